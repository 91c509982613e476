"""Issue 9: the occasions calendar, participation and occasion content (E1-E3) move here from `events`
with their data: the tables were renamed by `events.0002`; this takes the models over in the migration
state, with their content types."""

import django.core.validators
import django.db.models.deletion
import django_fsm
import ravabet.lib.storage
import ravabet.workflow.declare
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat, Substr


MODELS = ('occasion', 'activity', 'occasioncontent')
# Notices already sent link to the old addresses under /events/.
LINKS = [('/events/occasions/', '/occasions/'), ('/events/activities/', '/occasions/activities/'), ('/events/contents/', '/occasions/contents/')]


def take_content_types(apps, schema_editor):
    """The action log and permissions refer to a model by its content type: keep them with the model."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label="occasions", model=model).exists():
            ContentType.objects.filter(app_label="events", model=model).update(app_label="occasions")


def give_back_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="occasions", model__in=MODELS).update(app_label="events")


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
                    name='Occasion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=150, verbose_name='عنوان')),
                        ('date', models.DateField(db_index=True, verbose_name='تاریخ')),
                        ('kind', models.CharField(choices=[('national', 'ملی'), ('religious', 'مذهبی'), ('organisational', 'سازمانی')], default='national', max_length=16, verbose_name='نوع')),
                        ('lunar', models.BooleanField(default=False, verbose_name='قمری (تاریخ را اداره کل تعیین می\u200cکند)')),
                        ('remind_days', models.PositiveSmallIntegerField(default=7, validators=[django.core.validators.MaxValueValidator(60)], verbose_name='یادآوری چند روز پیش')),
                        ('note', models.CharField(blank=True, max_length=300, verbose_name='توضیح')),
                        ('reminded_at', models.DateTimeField(blank=True, editable=False, null=True)),
                    ],
                    options={
                        'verbose_name': 'مناسبت',
                        'verbose_name_plural': 'مناسبت\u200cها',
                        'ordering': ['date', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('title', 'date'), name='occasions_one_occasion_per_day')],
                    },
                ),
                migrations.CreateModel(
                    name='Activity',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('ceremony', 'شرکت در مراسم مذهبی یا ملی'), ('march', 'شرکت در راهپیمایی'), ('culture', 'برنامه ترویج فرهنگ اسلامی'), ('ethics', 'برنامه اخلاق اداری')], max_length=10, verbose_name='نوع')),
                        ('title', models.CharField(max_length=200, verbose_name='عنوان')),
                        ('date', models.DateField(db_index=True, verbose_name='تاریخ')),
                        ('participants', models.PositiveIntegerField(default=0, verbose_name='شمار شرکت\u200cکنندگان')),
                        ('description', models.TextField(blank=True, verbose_name='شرح')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ثبت\u200cکننده')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='occasion_activities', to='offices.unit', verbose_name='واحد')),
                        ('occasion', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='activities', to='occasions.occasion', verbose_name='مناسبت')),
                    ],
                    options={
                        'verbose_name': 'مشارکت و برنامه فرهنگی',
                        'verbose_name_plural': 'مشارکت\u200cها و برنامه\u200cهای فرهنگی',
                        'ordering': ['-date', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='OccasionContent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='عنوان')),
                        ('text', models.TextField(verbose_name='متن')),
                        ('file', models.FileField(blank=True, storage=ravabet.lib.storage.private_storage, upload_to='occasions/content/%Y/%m/', verbose_name='پیوست')),
                        ('file_type', models.CharField(blank=True, max_length=50)),
                        ('state', ravabet.workflow.declare.StateField(choices=[('draft', 'پیش\u200cنویس'), ('sent', 'فرستاده به اداره کل'), ('acknowledged', 'دیده\u200cشده در اداره کل')], db_index=True, default='draft', max_length=14, verbose_name='وضعیت')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان ارسال')),
                        ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان دیدن')),
                        ('hq_comment', models.TextField(blank=True, verbose_name='نظر اداره کل')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='تهیه\u200cکننده')),
                        ('occasion', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contents', to='occasions.occasion', verbose_name='مناسبت')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='occasion_contents', to='offices.unit', verbose_name='واحد')),
                    ],
                    options={
                        'verbose_name': 'محتوای مناسبتی',
                        'verbose_name_plural': 'محتوای مناسبتی',
                        'ordering': ['-created_at', '-pk'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
            ],
        ),
        migrations.RunPython(take_content_types, give_back_content_types),
        migrations.RunPython(relink_notices, unlink_notices),
    ]
