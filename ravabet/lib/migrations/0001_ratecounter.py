from django.db import migrations, models


class Migration(migrations.Migration):
    """Counters of the rate-limit helper when no Redis is configured (issue 13, point 3)."""

    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200)),
                ("bucket", models.BigIntegerField(help_text="Window number: Unix seconds // window length.")),
                ("count", models.PositiveIntegerField(default=0)),
                ("expires_at", models.BigIntegerField(db_index=True,
                                                      help_text="Unix seconds after which the row is useless.")),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("key", "bucket"), name="lib_ratecounter_key_bucket")],
            },
        ),
    ]
