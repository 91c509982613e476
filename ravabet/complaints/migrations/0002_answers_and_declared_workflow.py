"""Every answer becomes a version row (Answer) carrying its rating; cases get the states the declared
workflow names: a case reopened by an objection is "reopened" (its old answer stays as version 1 and no
longer stands), and a case closed with no answer is "closed_unanswered" (no reason was recorded then)."""

import django.core.validators
import django.db.models.deletion
import ravabet.complaints.models
import ravabet.workflow.declare
from django.conf import settings
from django.db import migrations, models


def answers_to_versions(apps, schema_editor):
    Case = apps.get_model("complaints", "Case")
    Answer = apps.get_model("complaints", "Answer")
    batch = []
    for case in Case.objects.exclude(answer="").order_by("pk").iterator(chunk_size=2000):
        batch.append(Answer(case_id=case.pk, version=1, text=case.answer,
                            answered_at=case.answered_at or case.updated_at, answered_by_id=case.answered_by_id,
                            working_days=case.answer_working_days, in_time=case.answered_in_time,
                            rating=case.rating, rated_at=case.updated_at if case.rating else None))
        if len(batch) >= 2000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    # Reopened by an objection (the old workflow sent them back to received/referred): no answer stands.
    Case.objects.filter(state__in=["received", "referred"], objected_at__isnull=False).exclude(answer="").update(
        state="reopened", answered_at=None, answered_by=None, answer_working_days=None, answered_in_time=None)
    Case.objects.filter(state="closed", answer="").update(state="closed_unanswered")


def versions_to_answers(apps, schema_editor):
    Case = apps.get_model("complaints", "Case")
    Answer = apps.get_model("complaints", "Answer")
    Case.objects.filter(state="closed_unanswered").update(state="closed")
    Case.objects.filter(state="reopened").update(state="referred")
    for answer in Answer.objects.order_by("case_id", "version").iterator():
        Case.objects.filter(pk=answer.case_id).update(answer=answer.text, rating=answer.rating)


class Migration(migrations.Migration):

    dependencies = [
        ('complaints', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='close_reason',
            field=models.TextField(blank=True, verbose_name='علت بستن بدون پاسخ'),
        ),
        migrations.AddField(
            model_name='case',
            name='referral_note',
            field=models.CharField(blank=True, max_length=300, verbose_name='توضیح ارجاع'),
        ),
        migrations.AlterField(
            model_name='case',
            name='state',
            field=ravabet.workflow.declare.StateField(choices=[('received', 'دریافت\u200cشده'), ('referred', 'ارجاع\u200cشده'), ('reopened', 'بازگشایی با اعتراض'), ('answered', 'پاسخ\u200cداده\u200cشده'), ('closed', 'بسته\u200cشده'), ('closed_unanswered', 'بسته\u200cشده بدون پاسخ')], db_index=True, default='received', max_length=20, verbose_name='وضعیت'),
        ),
        migrations.CreateModel(
            name='Answer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveSmallIntegerField(verbose_name='نسخه')),
                ('text', models.TextField(verbose_name='متن پاسخ')),
                ('attachment', models.FileField(blank=True, storage=ravabet.complaints.models.private_storage, upload_to='complaints/answers/%Y/%m/', verbose_name='پیوست پاسخ')),
                ('attachment_name', models.CharField(blank=True, max_length=200, verbose_name='نام پیوست')),
                ('attachment_type', models.CharField(blank=True, max_length=50)),
                ('answered_at', models.DateTimeField(verbose_name='زمان پاسخ')),
                ('working_days', models.PositiveIntegerField(blank=True, null=True)),
                ('in_time', models.BooleanField(null=True)),
                ('rating', models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(5)], verbose_name='رضایت')),
                ('rated_at', models.DateTimeField(blank=True, null=True)),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='پاسخ\u200cدهنده')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='complaints.case', verbose_name='پرونده')),
            ],
            options={
                'verbose_name': 'پاسخ',
                'verbose_name_plural': 'پاسخ\u200cها',
                'ordering': ['case', 'version'],
                'constraints': [models.UniqueConstraint(fields=('case', 'version'), name='complaints_answer_version')],
            },
        ),
        migrations.RunPython(answers_to_versions, versions_to_answers),
        migrations.RemoveField(
            model_name='case',
            name='answer',
        ),
        migrations.RemoveField(
            model_name='case',
            name='rating',
        ),
    ]
