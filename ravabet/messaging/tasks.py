from django.tasks import task
from django.utils import timezone

from ravabet.jobs.registry import periodic

from .models import Announcement, AnnouncementState
from .services import dispatch_batch, fetch_delivery_reports, refresh_states


@task
def dispatch_announcement(announcement_id: int) -> int:
    """Queue every remaining batch of one announcement; the outbox worker paces the sending."""
    batches = 0
    while dispatch_batch(announcement_id=announcement_id) > 0:
        batches += 1
    return batches


@task
def dispatch_due() -> int:
    """Start scheduled announcements whose time has come, finish any whose worker stopped
    half-way, and close those whose messages have all been delivered."""
    due = Announcement.objects.filter(state=AnnouncementState.SCHEDULED, send_at__lte=timezone.now())
    sending = Announcement.objects.filter(state=AnnouncementState.SENDING)
    count = 0
    for announcement_id in list(due.values_list("pk", flat=True)) + list(sending.values_list("pk", flat=True)):
        dispatch_announcement.call(announcement_id)
        count += 1
    for announcement in Announcement.objects.filter(state=AnnouncementState.SENDING):
        refresh_states(announcement)
    return count


periodic("messaging.dispatch_due", every_minutes=1)(dispatch_due)


@task
def fetch_sms_delivery_reports() -> int:
    """B1: the SMS provider's delivery reports turn "sent" into "delivered" or "not delivered"."""
    return fetch_delivery_reports()


periodic("messaging.fetch_sms_delivery_reports", every_minutes=10)(fetch_sms_delivery_reports)


@task
def render_banner_png(banner_id: int) -> bool:
    """Render and store an approved banner's PNG right after approval, so nobody waits for it."""
    from .banners import banner_png
    from .models import CondolenceBanner

    banner = CondolenceBanner.objects.select_related("unit").filter(pk=banner_id).first()
    if banner is None or not banner.is_printable:
        return False
    banner_png(banner)
    return True
