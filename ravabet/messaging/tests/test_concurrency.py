"""Racing steps on PostgreSQL: an approval racing a return of one condolence banner, a double-sent
request form, and the page poll racing the worker to close an announcement."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from ravabet.audit.models import ActionLog
from ravabet.messaging import services
from ravabet.messaging.models import AnnouncementState, BannerState, CondolenceBanner
from ravabet.messaging.tests.factories import make_announcement, make_banner
from ravabet.outbox.models import Notification, OutboxMessage
from ravabet.workflow.engine import move

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real concurrency"),
]


def _race(*calls):
    """Run the calls at the same moment, each on its own connection; their results or refusals."""
    start = threading.Barrier(len(calls))

    def run(call):
        try:
            start.wait()
            return call()
        except PermissionDenied as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_an_approval_racing_a_return_leaves_one_decision_and_only_its_notice(world):
    banner = make_banner(world.county_a)
    head = world.hq_head
    results = _race(lambda: move(CondolenceBanner.objects.get(pk=banner.pk), "approve", by=head),
                    lambda: move(CondolenceBanner.objects.get(pk=banner.pk), "send_back", by=head,
                                 review_note="سمت را کامل بنویسید"),
                    lambda: move(CondolenceBanner.objects.get(pk=banner.pk), "approve", by=head))
    refused = [r for r in results if isinstance(r, PermissionDenied)]
    assert len(refused) == 2 and all("هم‌اکنون" in str(r) or "در وضعیت" in str(r) for r in refused)
    banner.refresh_from_db()
    decided = ActionLog.objects.filter(action__in=["messaging.banner_approved", "messaging.banner_returned"])
    assert decided.count() == 1
    won = decided.get().action
    assert banner.state == (BannerState.APPROVED if won == "messaging.banner_approved" else BannerState.RETURNED)
    [notice] = Notification.objects.filter(user=world.officer)
    assert ("تأیید" in notice.title) == (won == "messaging.banner_approved")


def test_a_request_form_sent_twice_at_once_is_one_banner_and_one_sms(world):
    from django.test import RequestFactory

    from ravabet.lib import idempotency

    token = idempotency.new_token()

    def send():
        request = RequestFactory().post("/", {idempotency.FIELD: token})
        request.user = world.officer
        banner, _ = idempotency.create_once(request, "messaging.banner", lambda: services.banner_create(
            unit=world.county_a, by=world.officer, deceased_name="مرحوم رضا کاظمی", relation="colleague"))
        return banner.pk

    first, second = _race(send, send)
    assert first == second and CondolenceBanner.objects.count() == 1
    assert OutboxMessage.objects.filter(recipient=world.hq_head.mobile, channel="sms").count() == 1


def test_the_page_poll_and_the_worker_close_an_announcement_once(world):
    announcement = make_announcement(world.county_a, state=AnnouncementState.SENDING, recipients_count=0,
                                     processed_count=0)

    def refresh():
        services.refresh_states(type(announcement).objects.get(pk=announcement.pk))

    _race(refresh, refresh, refresh)
    announcement.refresh_from_db()
    assert announcement.state == AnnouncementState.SENT
    assert ActionLog.objects.filter(action="messaging.announcement_sent").count() == 1
