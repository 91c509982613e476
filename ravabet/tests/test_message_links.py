"""Issue 17 §4: every link in every e-mail and SMS the product sends is absolute, on settings.SITE_URL.

The demo province (every app's seed_demo: complaints filed, referred and answered, meetings and ceremonies
with invitations, announcements, achievements sent to officials, surveys reported, visits with follow-up
actions), then every periodic job (reminders, escalations, closings), SMS to people without an account
(a visit action's owner, a meeting's guest) and a password reset fill the outbox; every stored message
(and Django's e-mail) is read, and any link in it that is relative or on another host fails the test,
naming the message's source. The parts that must appear are listed, so a part whose messages vanish
from the demo is noticed."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SITE = "https://ravabet.example.ir"
ABSOLUTE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'»«،)]+", re.IGNORECASE)
# A path such as "/surveys/7/results/" standing alone: a slash not inside an absolute URL, followed by a
# Latin word and another slash (Persian dates "۱۴۰۵/۰۱/۰۲" and fractions are not paths).
RELATIVE = re.compile(r"(?<![\w.:/])/[a-z][\w\-.]*/[\w\-./?=&%]*", re.IGNORECASE)


def bad_links(text: str) -> list[str]:
    """Links in `text` that are not absolute on SITE: relative paths, or absolute on another host."""
    found = [link for link in ABSOLUTE.findall(text) if not link.startswith(SITE + "/")]
    bare = ABSOLUTE.sub(" ", text)
    return found + RELATIVE.findall(bare)


def test_the_link_reader_tells_relative_and_foreign_links_from_site_links():
    assert bad_links("نتایج:\n/surveys/7/results/") == ["/surveys/7/results/"]
    assert bad_links("پاسخ: http://localhost:8000/public/e/abc/") == ["http://localhost:8000/public/e/abc/"]
    assert bad_links(f"پیوند: {SITE}/public/surveys/i/abc/ و تاریخ ۱۴۰۵/۰۱/۰۲ و 1405/01/02") == []


def _messages_the_demo_does_not_send():
    """SMS to people without an account: a visit's follow-up owner (D6) and a meeting's outside guest (A3)."""
    import datetime as dt

    from django.utils import timezone

    from ravabet.lib import jalali
    from ravabet.offices.models import Person, Unit, UnitKind
    from ravabet.planning import services as planning
    from ravabet.planning.models import Guest, Meeting
    from ravabet.visits import services as visits
    from ravabet.visits.tests.factories import make_visit, officer_of

    unit = Unit.objects.filter(kind=UnitKind.COUNTY, memberships__isnull=False).order_by("pk").first()
    officer = officer_of(unit)
    owner = Person.objects.create(unit=unit, full_name="نگهبان کارگاه", mobile="09137654321")
    visit = make_visit(unit, done=True, days=-1)
    visits.action_add(visit=visit, by=officer, title="بستن در کارگاه", owner=owner, due_on=jalali.today())
    starts = timezone.now() + dt.timedelta(days=2)
    meeting = Meeting.objects.create(unit=unit, title="جلسه هماهنگی", starts_at=starts,
                                     ends_at=starts + dt.timedelta(hours=1), place="سالن اداره",
                                     agenda="۱. برنامه هفته دولت")
    Guest.objects.create(meeting=meeting, full_name="نماینده فرمانداری", organisation="فرمانداری",
                         mobile="09179998877")
    planning.meeting_invite(meeting=meeting, by=officer)


def _the_daily_news_reminder():
    """B5's reminder goes out only after HQ's reminder time on a working day, so the jobs above send it or
    not by the clock the suite runs at: it is sent here for the next working day, late in the evening, when
    no county has sent that day's news."""
    import datetime as dt

    from django.utils import timezone

    from ravabet.lib.workdays import add_working_days
    from ravabet.news.tasks import send_reminders

    day = add_working_days(timezone.localdate(), 1)
    evening = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 0)))
    assert send_reminders(now=evening) > 0


def test_every_link_in_every_stored_sms_and_email_is_absolute_on_site_url(settings, client):
    from ravabet.jobs.registry import JOBS
    from ravabet.outbox.models import OutboxMessage

    settings.SITE_URL = SITE
    call_command("seed_demo", stdout=io.StringIO())
    for name, job in JOBS.items():
        if name != "press.fetch_sources":  # reads outside news sites; sends nothing
            job.task.call()
    _messages_the_demo_does_not_send()
    _the_daily_news_reminder()
    # A password reset: Django's e-mail (in production through the outbox's e-mail backend; under pytest
    # Django keeps it in mail.outbox, read here too).
    from django.core import mail

    from ravabet.offices.models import User

    user = User.objects.exclude(email="").filter(is_active=True).first()
    client.post("/accounts/password_reset/", {"email": user.email})
    assert len(mail.outbox) == 1 and SITE + "/" in mail.outbox[0].body

    messages = list(OutboxMessage.objects.values_list("source", "channel", "subject", "body", "html_body"))
    messages += [("django-mail", "email", m.subject, m.body, "".join(c for c, _ in getattr(m, "alternatives", [])))
                 for m in mail.outbox]
    problems = [(source, channel, links) for source, channel, subject, body, html in messages
                if (links := bad_links(f"{subject}\n{body}\n{html}"))]
    assert not problems, problems
    sources = {source.split(".")[0] for source, *_ in messages}
    linked = {source.split(".")[0] for source, _, _, body, _ in messages if SITE in body}
    assert {"complaints", "surveys", "visits", "events", "planning", "messaging", "news", "press",
            "reports"} <= sources, sources
    assert {"complaints", "surveys", "events", "messaging", "press", "reports", "django-mail"} <= linked, linked
