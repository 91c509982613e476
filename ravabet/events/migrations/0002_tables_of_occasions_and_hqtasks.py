"""Issue 9: the occasions calendar (with participation and content) and HQ's tasks leave `events` for their
own apps. This migration renames their tables (data kept) and constraints; `occasions.0001` and
`hqtasks.0001` then take the models over in the migration state, and `events.0003` lets go of them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(model_name='assignment', name='events_one_assignment_per_unit'),
        migrations.RemoveConstraint(model_name='occasion', name='events_one_occasion_per_day'),
        migrations.RemoveIndex(model_name='assignment', name='events_assi_unit_id_7754d8_idx'),
        migrations.AlterModelTable(name='task', table='hqtasks_task'),
        migrations.AlterModelTable(name='assignment', table='hqtasks_assignment'),
        migrations.AlterModelTable(name='occasion', table='occasions_occasion'),
        migrations.AlterModelTable(name='activity', table='occasions_activity'),
        migrations.AlterModelTable(name='occasioncontent', table='occasions_occasioncontent'),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.UniqueConstraint(fields=('task', 'unit'), name='hqtasks_one_assignment_per_unit'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', 'state'], name='hqtasks_unit_state_idx'),
        ),
        migrations.AddConstraint(
            model_name='occasion',
            constraint=models.UniqueConstraint(fields=('title', 'date'), name='occasions_one_occasion_per_day'),
        ),
    ]
