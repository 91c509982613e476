"""Checks an uploaded file by its content, never by its name."""

from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from .digits import format_size

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000


def sniff(upload) -> str:
    """'image/jpeg', 'image/png', 'image/webp', 'application/pdf' or '' for anything else."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    try:
        with Image.open(upload) as image:
            kind = IMAGE_FORMATS.get(image.format or "", "")
    except Image.DecompressionBombError:
        # A real image, only far too large: say so in check_upload, not "wrong type".
        kind = "image/too-large"
    except (UnidentifiedImageError, OSError, ValueError):
        kind = ""
    upload.seek(0)
    return kind


def check_upload(upload, *, allowed: set[str], max_bytes: int) -> str:
    """Refuse a file that is too big or whose real type is not allowed; return its type."""
    if upload.size > max_bytes:
        raise ValidationError(f"حجم «{upload.name}» ({format_size(upload.size)}) بیش از {format_size(max_bytes)} است.",
                              code="too_big")
    kind = sniff(upload)
    if kind == "image/too-large":
        raise ValidationError(f"ابعاد تصویر «{upload.name}» بیش از حد بزرگ است.", code="too_many_pixels")
    if kind not in allowed:
        names = "، ".join(sorted({"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG",
                                  "image/webp": "WebP"}.get(k, k) for k in allowed))
        raise ValidationError(f"«{upload.name}» پرونده‌ی مجاز نیست؛ فقط {names} پذیرفته می‌شود.", code="bad_type")
    if kind.startswith("image/"):
        try:
            with Image.open(upload) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(f"ابعاد تصویر «{upload.name}» بیش از حد بزرگ است.", code="too_many_pixels")
                image.verify()
        except (OSError, Image.DecompressionBombError, SyntaxError) as error:
            raise ValidationError(f"تصویر «{upload.name}» ناقص یا خراب است.", code="broken") from error
        finally:
            upload.seek(0)
    return kind
