"""Cases for tests, made through the service so they look like real ones."""

from ravabet.complaints import services
from ravabet.complaints.models import Kind


def make_case(unit, *, mobile: str = "09121234567", subject: str = "چاله بزرگ در جاده روستا",
              text: str = "در کیلومتر ۱۲ جاده روستای خیرآباد چاله‌ای بزرگ هست که خطرناک است.", **fields):
    fields.setdefault("citizen_name", "علی رضایی")
    return services.case_submit(unit=unit, kind=fields.pop("kind", Kind.COMPLAINT), subject=subject, text=text,
                                citizen_mobile=mobile, **fields)
