import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    from ravabet.audit import triggers

    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from ravabet.audit import triggers

    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    """The refusal log, and database triggers refusing UPDATE and DELETE on both logs (issue 13, point 5)."""

    dependencies = [
        ("audit", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Refusal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="زمان")),
                ("method", models.CharField(max_length=10, verbose_name="روش")),
                ("path", models.CharField(max_length=500, verbose_name="نشانی")),
                ("reason", models.CharField(blank=True, max_length=300, verbose_name="دلیل")),
                ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="نشانی IP")),
                ("actor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to=settings.AUTH_USER_MODEL,
                                            verbose_name="درخواست‌کننده")),
            ],
            options={
                "verbose_name": "درخواست ردشده",
                "verbose_name_plural": "درخواست‌های ردشده",
                "ordering": ["-created_at", "-pk"],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
