from django.core.management.base import BaseCommand

from ravabet.offices.demo import seed_bench_platform
from ravabet.offices.management.commands.seed_demo import app_hooks


class Command(BaseCommand):
    help = "Load province-scale data (30 units, 5 years) for the benchmarks in bench/."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=30)
        parser.add_argument("--years", type=int, default=5)

    def handle(self, *args, units, years, **options):
        ctx = seed_bench_platform(units=units)
        ctx.years = years
        for hook in app_hooks("seed_bench"):
            self.stdout.write(f"seed_bench: {hook.__module__}")
            hook(ctx)
        self.stdout.write(self.style.SUCCESS("Benchmark data ready."))
