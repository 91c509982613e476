"""`manage.py workflows`: every declared workflow as plain text, the permission matrix for auditors."""

from django.core.management.base import BaseCommand

from ravabet.offices.roles import Role
from ravabet.workflow.engine import steps_of, workflow_models


def _roles(roles) -> str:
    return "، ".join(f"{Role(role).label} ({role})" for role in sorted(roles)) or "—"


class Command(BaseCommand):
    help = "Print every workflow: model, states, and each step with its roles, guards, needed values and notices."

    def handle(self, *args, **options):
        for model in workflow_models():
            steps = steps_of(model)
            field = model._meta.get_field(next(iter(steps.values())).field)
            self.stdout.write(f"\n{model._meta.label} — {model._meta.verbose_name}")
            self.stdout.write("  states: " + "، ".join(f"{value} ({label})" for value, label in field.choices))
            for spec in steps.values():
                flags = [flag for flag, on in (("system", spec.system), ("aside", spec.aside)) if on]
                self.stdout.write(f"  {spec.name}: {' | '.join(spec.sources)} -> {spec.target}  «{spec.label}»"
                                  f"{'  [' + ', '.join(flags) + ']' if flags else ''}")
                self.stdout.write(f"      roles: {_roles(spec.roles)}{' + scheduler' if spec.system else ''}"
                                  f"{f'; only the person in {spec.actor}' if spec.actor else ''}")
                for guard in spec.guards:
                    self.stdout.write(f"      guard {guard.name}: {guard.message}")
                for need in spec.needs:
                    self.stdout.write(f"      needs {need.name} ({need.label}){': ' + need.message if need.required else ' (optional)'}")
                for notice in spec.notify:
                    self.stdout.write(f"      notifies {notice.to}{' by SMS too' if notice.urgent else ''}: {notice.title}")
                self.stdout.write(f"      log: {spec.log}")
