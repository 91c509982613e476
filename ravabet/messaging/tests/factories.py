"""Records for the messaging tests, built directly (the services are tested on their own)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from ravabet.offices.models import Membership, Unit
from ravabet.offices.roles import HQ_ROLES, UNIT_ROLES

from ..models import Announcement, CondolenceBanner, StaffGroup, TickerText


def sender_of(unit: Unit):
    roles = HQ_ROLES if unit.is_hq else UNIT_ROLES
    return Membership.objects.filter(unit=unit, role__in=roles).select_related("user").order_by("pk").first().user


def make_announcement(unit: Unit, **fields) -> Announcement:
    defaults = {"sender": sender_of(unit), "title": "جلسه ماهانه کارکنان", "body": "جلسه ماهانه شنبه ساعت ۹ برگزار می‌شود.",
                "state": "sent", "recipients_count": 0}
    announcement = Announcement.objects.create(unit=unit, **{**defaults, **fields})
    announcement.target_units.set([unit])
    return announcement


def make_group(unit: Unit, name: str = "فنی") -> StaffGroup:
    group = StaffGroup.objects.create(unit=unit, name=name)
    group.members.set(unit.people.all())
    return group


def make_ticker(unit: Unit, **fields) -> TickerText:
    defaults = {"kind": "tv", "occasion": "روز مهندس", "text": "روز مهندس گرامی باد", "created_by": sender_of(unit)}
    return TickerText.objects.create(unit=unit, **{**defaults, **fields})


def image_upload(name: str = "photo.jpg", size=(400, 300)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 120, 120)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_banner(unit: Unit, *, approved: bool = False, photo: bool = False, **fields) -> CondolenceBanner:
    """A banner request of `unit`, waiting for HQ's head unless `state` or `approved` says otherwise."""
    defaults = {"state": "submitted", "deceased_name": "مرحوم حسن رضایی", "position": "کارشناس فنی", "relation": "colleague",
                "text": "درگذشت همکار گرامی را تسلیت عرض می‌نماییم.", "created_by": sender_of(unit),
                "funeral_place": "مسجد جامع"}
    banner = CondolenceBanner(unit=unit, **{**defaults, **fields})
    if approved:
        banner.state, banner.approved_at = "approved", timezone.now()
    if photo:
        banner.photo.save("p.jpg", image_upload(), save=False)
    banner.save()
    return banner
