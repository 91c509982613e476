"""Records of the unit profile (B9) for tests, and small upload files."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.offices import profile_services
from ravabet.offices.models import UnitProfile
from ravabet.testing import World
from ravabet.workflow.engine import move


def jpeg(name: str = "photo.jpg", size=(800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name: str = "brochure.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test brochure\n", content_type="application/pdf")


PROFILE_DATA = {"history": "تأسیس در سال ۱۳۶۰", "mission": "نگهداری راه‌های شهرستان",
                "services": "صدور مجوز\nپاسخ به درخواست‌های مردمی", "address": "مرودشت، بلوار امام",
                "phones": "۰۷۱۴۳۳۳۰۰۰۰", "hours": "شنبه تا چهارشنبه ۷:۳۰ تا ۱۴:۳۰", "manager_name": "رئیس اداره الف",
                "website": ""}


def make_profile(world: World, *, submit: bool = False, acknowledge: bool = False, returned: bool = False,
                 photos=()) -> UnitProfile:
    """County A's open version, filled in; submitted, approved by HQ or returned by HQ when asked."""
    profile = profile_services.profile_start(unit=world.county_a, by=world.officer)
    profile = profile_services.profile_update(profile=profile, by=world.officer, photos=photos,
                                              submit=submit or acknowledge or returned, **PROFILE_DATA)
    if acknowledge:
        profile = move(profile, "approve", by=world.hq_expert)
    if returned:
        profile = move(profile, "send_back", by=world.hq_expert, review_comment="ساعت کاری را بنویسید.")
    return profile
