"""Issue 9: HQ's tasks (F7) move here from `events` with their data: the tables were renamed by
`events.0002`; this takes the models over in the migration state, with their content types."""

import django.db.models.deletion
import django_fsm
import ravabet.lib.storage
import ravabet.workflow.declare
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr


MODELS = ('task', 'assignment')
# Notices already sent link to the old addresses under /events/.
LINKS = [('/events/tasks/', '/tasks/')]


def take_content_types(apps, schema_editor):
    """The action log and permissions refer to a model by its content type: keep them with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="hqtasks", model=model).exists():
            ContentType.objects.filter(app_label="events", model=model).update(app_label="hqtasks")


def give_back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="hqtasks", model__in=MODELS).update(app_label="events")


def relink_notices(apps, schema_editor):
    Notification = apps.get_model("outbox", "Notification")
    for old, new in LINKS:
        Notification.objects.filter(url__startswith=old).update(url=Concat(Value(new), Substr("url", len(old) + 1)))


def unlink_notices(apps, schema_editor):
    Notification = apps.get_model("outbox", "Notification")
    for old, new in LINKS:
        Notification.objects.filter(url__startswith=new).update(url=Concat(Value(old), Substr("url", len(new) + 1)))


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('events', '0002_tables_of_occasions_and_hqtasks'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('outbox', '0001_initial'),
        ('offices', '0002_user_sms_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables are there already (renamed by events.0002, data kept): only the state moves.
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Task',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='عنوان')),
                        ('description', models.TextField(verbose_name='شرح کار')),
                        ('due_date', models.DateField(verbose_name='مهلت انجام')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='زمان ابلاغ')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ابلاغ\u200cکننده')),
                    ],
                    options={
                        'verbose_name': 'مأموریت اداره کل',
                        'verbose_name_plural': 'مأموریت\u200cهای اداره کل',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Assignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', ravabet.workflow.declare.StateField(choices=[('open', 'در دست انجام'), ('done', 'انجام\u200cشده، در انتظار بررسی'), ('accepted', 'پذیرفته\u200cشده'), ('returned', 'برگشت برای تکمیل')], db_index=True, default='open', max_length=12, verbose_name='وضعیت')),
                        ('evidence', models.TextField(blank=True, verbose_name='گزارش انجام کار')),
                        ('evidence_file', models.FileField(blank=True, storage=ravabet.lib.storage.private_storage, upload_to='hqtasks/%Y/%m/', verbose_name='پیوست یا عکس')),
                        ('evidence_type', models.CharField(blank=True, max_length=50)),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان انجام')),
                        ('review_comment', models.TextField(blank=True, verbose_name='نظر اداره کل')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان بررسی')),
                        ('reminded_at', models.DateTimeField(blank=True, editable=False, null=True)),
                        ('done_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='انجام\u200cدهنده')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='hq_assignments', to='offices.unit', verbose_name='واحد')),
                        ('task', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='assignments', to='hqtasks.task', verbose_name='مأموریت')),
                    ],
                    options={
                        'verbose_name': 'مأموریت واحد',
                        'verbose_name_plural': 'مأموریت\u200cهای واحدها',
                        'ordering': ['task__due_date', 'pk'],
                        'indexes': [models.Index(fields=['unit', 'state'], name='hqtasks_unit_state_idx')],
                        'constraints': [models.UniqueConstraint(fields=('task', 'unit'), name='hqtasks_one_assignment_per_unit')],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
            ],
        ),
        migrations.RunPython(take_content_types, give_back_content_types),
        migrations.RunPython(relink_notices, unlink_notices),
    ]
