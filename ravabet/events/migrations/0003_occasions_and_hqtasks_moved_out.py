"""Issue 9: `events` lets go of the models `occasions` and `hqtasks` took over (state only: the tables
stay with their new apps), points an event's occasion at `occasions.Occasion`, and makes the event's
state the workflow's state field (the same column)."""

import django.db.models.deletion
import ravabet.workflow.declare
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0002_tables_of_occasions_and_hqtasks'),
        ('occasions', '0001_initial'),
        ('hqtasks', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='event',
                    name='occasion',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='events', to='occasions.occasion', verbose_name='مناسبت'),
                ),
                migrations.AlterField(
                    model_name='event',
                    name='state',
                    field=ravabet.workflow.declare.StateField(choices=[('planned', 'در حال برنامه\u200cریزی'), ('held', 'برگزارشده'), ('cancelled', 'لغوشده')], db_index=True, default='planned', max_length=12, verbose_name='وضعیت'),
                ),
                migrations.DeleteModel(name='Activity'),
                migrations.DeleteModel(name='OccasionContent'),
                migrations.DeleteModel(name='Occasion'),
                migrations.DeleteModel(name='Assignment'),
                migrations.DeleteModel(name='Task'),
            ],
        ),
    ]
