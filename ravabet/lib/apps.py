from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "ravabet.lib"
    label = "lib"
    verbose_name = "ابزارها"

    def ready(self):
        # Django 6.1's blank choice label has no Persian translation; Django invites apps to set it here.
        from django.db.models import fields

        fields.BLANK_CHOICE_LABEL = "— انتخاب کنید —"

        from .validators import use_persian_validator_messages

        use_persian_validator_messages()

        from .generation import connect

        connect()
