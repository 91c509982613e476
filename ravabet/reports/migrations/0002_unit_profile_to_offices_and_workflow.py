"""The unit profile (B9) now lives in the offices part (offices/0003 takes it over with its tables
unchanged): here it only leaves the reports part's picture of the models, the tables stay. The
report's state becomes the workflow's state field (same column)."""

import ravabet.workflow.declare
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('offices', '0003_unit_profile_from_reports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='ProfilePhoto'),
                migrations.DeleteModel(name='UnitProfile'),
            ],
        ),
        migrations.AlterField(
            model_name='unitreport',
            name='state',
            field=ravabet.workflow.declare.StateField(choices=[('draft', 'پیش\u200cنویس'), ('sent', 'فرستاده\u200cشده به اداره کل'), ('acknowledged', 'دیده\u200cشده در اداره کل'), ('action', 'در دست اقدام اداره کل'), ('closed', 'بسته\u200cشده')], db_index=True, default='draft', max_length=15, verbose_name='وضعیت'),
        ),
    ]
