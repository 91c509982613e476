"""The unit profile (B9) moves from the reports part to the offices part ("the unit profile lives with
the units", issue 9). Only Django's picture of the models moves: the tables keep their names
(reports_unitprofile, reports_profilephoto; see Meta.db_table), so no row and no file moves. The
content types of the two models are renamed, so the action log (each version's timeline) still
points at them. The reports part removes them from its own picture in reports/0002."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models

import ravabet.lib.storage
import ravabet.workflow.declare

MODELS = ("unitprofile", "profilephoto")


def _move_content_types(apps, old_app: str, new_app: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    action_log = apps.get_model("audit", "ActionLog")
    for model in MODELS:
        old = content_type.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue
        new = content_type.objects.filter(app_label=new_app, model=model).first()
        if new is None:
            old.app_label = new_app
            old.save(update_fields=["app_label"])
        else:
            # Both exist (a migrate that ran its post-migrate step in between): the log follows the new one.
            action_log.objects.filter(target_type=old).update(target_type=new)


def forwards(apps, schema_editor):
    _move_content_types(apps, "reports", "offices")


def backwards(apps, schema_editor):
    _move_content_types(apps, "offices", "reports")


class Migration(migrations.Migration):

    dependencies = [
        ('offices', '0002_user_sms_notices'),
        ('reports', '0001_initial'),
        ('audit', '0002_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='UnitProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='نسخه')),
                        ('state', ravabet.workflow.declare.StateField(choices=[('draft', 'پیش\u200cنویس'), ('submitted', 'فرستاده\u200cشده به اداره کل'), ('acknowledged', 'تأییدشده اداره کل'), ('returned', 'برگشت برای اصلاح')], db_index=True, default='draft', max_length=15, verbose_name='وضعیت')),
                        ('history', models.TextField(blank=True, max_length=5000, verbose_name='تاریخچه')),
                        ('mission', models.TextField(max_length=5000, verbose_name='مأموریت و وظایف')),
                        ('services', models.TextField(blank=True, help_text='هر خدمت در یک سطر', max_length=5000, verbose_name='خدمات به مردم')),
                        ('address', models.CharField(max_length=300, verbose_name='نشانی')),
                        ('phones', models.CharField(max_length=120, verbose_name='تلفن\u200cها')),
                        ('hours', models.CharField(blank=True, max_length=120, verbose_name='ساعت کاری')),
                        ('manager_name', models.CharField(max_length=120, verbose_name='رئیس اداره')),
                        ('website', models.CharField(blank=True, max_length=200, verbose_name='نشانی وبگاه یا ایمیل')),
                        ('brochure', models.FileField(blank=True, storage=ravabet.lib.storage.private_storage, upload_to='reports/brochures/%Y/', verbose_name='بروشور (PDF)')),
                        ('review_comment', models.TextField(blank=True, max_length=3000, verbose_name='نظر اداره کل')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان ارسال')),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True, verbose_name='زمان بررسی')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='تهیه\u200cکننده')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='بررسی\u200cکننده')),
                        ('unit', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='profiles', to='offices.unit', verbose_name='واحد')),
                    ],
                    options={
                        'verbose_name': 'معرفی\u200cنامه واحد',
                        'verbose_name_plural': 'معرفی\u200cنامه\u200cهای واحد',
                        'db_table': 'reports_unitprofile',
                        'ordering': ['unit', '-version'],
                    },
                    bases=(django_fsm.ConcurrentTransitionMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='ProfilePhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('image', models.FileField(storage=ravabet.lib.storage.private_storage, upload_to='reports/profile-photos/%Y/', verbose_name='تصویر')),
                        ('caption', models.CharField(blank=True, max_length=200, verbose_name='شرح تصویر')),
                        ('content_type', models.CharField(max_length=50)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('profile', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='offices.unitprofile', verbose_name='معرفی\u200cنامه')),
                    ],
                    options={
                        'verbose_name': 'تصویر معرفی\u200cنامه',
                        'verbose_name_plural': 'تصاویر معرفی\u200cنامه',
                        'db_table': 'reports_profilephoto',
                        'ordering': ['pk'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='unitprofile',
                    constraint=models.UniqueConstraint(fields=('unit', 'version'), name='unique_profile_version'),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
