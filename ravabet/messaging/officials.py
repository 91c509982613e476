"""The register of the region's officials and the sending of published achievements to them (B2)."""

from django.conf import settings
from django.db.models import Q

from ravabet.lib.validators import MOBILE_RE
from ravabet.outbox.services import queue_email, queue_sms

from .models import AchievementDispatch, DeliveryChannel, Official


def officials_for(unit) -> list[Official]:
    """The active officials who receive achievements of `unit`: those registered for the unit
    itself and those in the registers of the units above it (HQ's provincial officials)."""
    above = [pk for pk in unit.path.split("/") if pk.isdigit()] if getattr(unit, "path", "") else []
    return list(Official.objects.filter(Q(unit=unit) | Q(unit_id__in=above), is_active=True,
                                        receives_achievements=True).order_by("pk"))


def send_achievement_to_officials(sender, news, by, **kwargs) -> list[AchievementDispatch]:
    """Receiver of news.signals.achievement_published: queue the published achievement `news`
    (a news.News) by SMS and e-mail to every official of its unit who receives achievements, and
    record each sending as B2's evidence. Runs inside the publishing transaction; keys make a
    repeated publish send nothing twice. Returns the dispatches created now. Rule: instruction B2
    (achievements made known to the people and the officials of the region)."""
    link = f"{settings.SITE_URL}{news.get_public_url()}"
    created = []
    for official in officials_for(news.unit):
        channels = []
        if official.mobile and MOBILE_RE.match(official.mobile):
            channels.append(DeliveryChannel.SMS)
        if official.email:
            channels.append(DeliveryChannel.EMAIL)
        for channel in channels:
            if AchievementDispatch.objects.filter(news=news, official=official, channel=channel).exists():
                continue
            key = f"achievement:{news.pk}:{official.pk}:{channel}"
            greeting = f"{official.title} محترم، {official.full_name}"
            if channel == DeliveryChannel.SMS:
                message = queue_sms(to=official.mobile, key=key, unit=news.unit, source="messaging.achievement",
                                    body=f"{greeting}\nدستاورد تازه {news.unit.name}: {news.title}\n{link}")
            else:
                message = queue_email(to=official.email, key=key, unit=news.unit, source="messaging.achievement",
                                      subject=f"دستاورد {news.unit.name}: {news.title}",
                                      body=f"{greeting}\n\nبا سلام و احترام، دستاورد تازه {news.unit.name} "
                                           f"به آگاهی می‌رسد:\n\n{news.title}\n\n{link}\n\nروابط عمومی {news.unit.name}")
            created.append(AchievementDispatch.objects.create(news=news, official=official, channel=channel,
                                                              outbox=message))
    return created
