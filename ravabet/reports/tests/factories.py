import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ravabet.reports import services
from ravabet.reports.models import Kind, Source, UnitProfile, UnitReport, Urgency
from ravabet.testing import World


def make_report(world: World, *, kind: str = Kind.PROBLEM, send: bool = True, subject: str = "کمبود پارکینگ ارباب رجوع",
                **extra) -> UnitReport:
    data = {"source": Source.PEOPLE, "description": "مراجعان برای پارک خودرو مشکل دارند.",
            "urgency": Urgency.NORMAL, **extra}
    return services.report_create(unit=world.county_a, by=world.officer, kind=kind, subject=subject, send=send,
                                  **data)


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


def make_profile(world: World, *, submit: bool = False, acknowledge: bool = False, photos=()) -> UnitProfile:
    profile = services.profile_start(unit=world.county_a, by=world.officer)
    profile = services.profile_update(profile=profile, by=world.officer, photos=photos, **PROFILE_DATA)
    if submit or acknowledge:
        profile = services.profile_submit(profile=profile, by=world.officer)
    if acknowledge:
        profile = services.profile_review(profile=profile, by=world.hq_expert, accept=True)
    return profile
