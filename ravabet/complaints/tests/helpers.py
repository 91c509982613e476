import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(name: str = "photo.jpg", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def public_data(office, **overrides) -> dict:
    data = {"unit": office.pk, "kind": "complaint", "subject": "چاله در جاده روستا",
            "text": "در کیلومتر ۱۲ جاده روستا چاله‌ای بزرگ است.", "citizen_name": "علی رضایی",
            "citizen_mobile": "۰۹۱۲۱۲۳۴۵۶۷", "citizen_national_code": "", "captcha_0": "x", "captcha_1": "PASSED"}
    data.update(overrides)
    return data
