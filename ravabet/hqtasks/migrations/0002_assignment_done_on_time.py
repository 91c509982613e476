"""Assignment.done_on_time: whether the unit reported the task done on or before its due date (the local day
of `done_at`), kept by the `submit` step from now on and filled here for the assignments already done."""

from django.db import migrations, models
from django.utils import timezone


def fill_done_on_time(apps, schema_editor):
    Assignment = apps.get_model("hqtasks", "Assignment")
    on_time = [pk for pk, done_at, due in Assignment.objects.filter(done_at__isnull=False)
               .values_list("pk", "done_at", "task__due_date").iterator(chunk_size=2000)
               if timezone.localdate(done_at) <= due]
    for start in range(0, len(on_time), 1000):
        Assignment.objects.filter(pk__in=on_time[start:start + 1000]).update(done_on_time=True)


class Migration(migrations.Migration):

    dependencies = [
        ('hqtasks', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='done_on_time',
            field=models.BooleanField(default=False, editable=False, verbose_name='انجام در مهلت'),
        ),
        migrations.RunPython(fill_done_on_time, migrations.RunPython.noop),
    ]
