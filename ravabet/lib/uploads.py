"""One upload pipeline: a file's type from its content, never its name (issue 13, point 2).

`check_upload` refuses what is too big, of a type not allowed for the use, or an image that does not
decode in full (truncated, corrupt) or has too many pixels. `clean_upload` does that and then rewrites an
image in place: orientation applied, every metadata block (EXIF, GPS, XMP, ICC comments) dropped by
re-encoding, downscaled to `max_side` pixels on its longer side, HEIC/HEIF from phones converted to JPEG;
and gives every file a random name with the checked extension. `private_file_response` serves a stored
private file with the content type of its checked extension, `nosniff`, and `attachment` for anything that
is not an image or a PDF. Source: issue 13 (OWASP ASVS level 2, V12.1-V12.5 files), point 2.
"""

import io
import mimetypes
import secrets
from contextlib import contextmanager
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.http import FileResponse
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

try:  # phones send HEIC; pillow-heif teaches Pillow to open it
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover — pillow-heif is a dependency; without it HEIC is refused
    pass

IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "application/pdf": "pdf",
              "image/heic": "heic"}
LABELS = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP",
          "image/heic": "HEIC"}
MAX_PIXELS = 50_000_000
MAX_STORED_SIDE = 4096  # pixels on the longer side of a stored image (clean_upload's default)
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


@contextmanager
def _strict_decoding():
    """WeasyPrint turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; a check must not tolerate."""
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def sniff(upload) -> str:
    """'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/pdf' or '' for anything else
    ('image/too-large' for an image past Pillow's decompression-bomb limit)."""
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


def _allowed_with_heic(allowed: set[str]) -> set[str]:
    return allowed | {"image/heic"} if "image/jpeg" in allowed else allowed


def check_upload(upload, *, allowed: set[str], max_bytes: int) -> str:
    """Refuse a file that is too big, whose real type is not in `allowed` (MIME types), or an image that
    does not decode in full or has more than MAX_PIXELS pixels; return its type. Raises ValidationError
    (Persian, codes too_big, bad_type, too_many_pixels, broken)."""
    if upload.size > max_bytes:
        from .digits import format_size

        raise ValidationError(f"حجم «{upload.name}» ({format_size(upload.size)}) بیش از {format_size(max_bytes)} است.",
                              code="too_big")
    kind = sniff(upload)
    if kind == "image/too-large":
        raise ValidationError(f"ابعاد تصویر «{upload.name}» بیش از حد بزرگ است.", code="too_many_pixels")
    if kind not in allowed:
        names = "، ".join(sorted({LABELS.get(k, k) for k in allowed}))
        raise ValidationError(f"«{upload.name}» پرونده‌ی مجاز نیست؛ فقط {names} پذیرفته می‌شود.", code="bad_type")
    if kind.startswith("image/"):
        try:
            with _strict_decoding(), Image.open(upload) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise ValidationError(f"ابعاد تصویر «{upload.name}» بیش از حد بزرگ است.", code="too_many_pixels")
                image.load()  # a full decode: a truncated or corrupt image fails here
        except (OSError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
            raise ValidationError(f"تصویر «{upload.name}» ناقص یا خراب است.", code="broken") from error
        finally:
            upload.seek(0)
    return kind


def _replace_content(upload, data: bytes) -> None:
    """Put `data` in place of the upload's bytes (memory or temporary file alike)."""
    handle = upload.file
    handle.seek(0)
    handle.truncate()
    handle.write(data)
    handle.flush() if hasattr(handle, "flush") else None
    handle.seek(0)
    upload.size = len(data)


def _reencode(upload, kind: str, max_side: int) -> tuple[bytes, str]:
    with _strict_decoding(), Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if max(image.size) > max_side:
            image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if kind in ("image/jpeg", "image/heic"):
            image.convert("RGB").save(out, "JPEG", quality=90, optimize=True)
            return out.getvalue(), "image/jpeg"
        if kind == "image/png":
            keep = image if image.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else image.convert("RGBA")
            keep.save(out, "PNG", optimize=True)  # no text chunks, no EXIF, no ICC are carried over
            return out.getvalue(), kind
        image.save(out, "WEBP", quality=90)
        return out.getvalue(), kind


def clean_upload(upload, *, allowed: set[str], max_bytes: int, max_side: int = MAX_STORED_SIDE) -> str:
    """check_upload (HEIC accepted wherever JPEG is), then rewrite the upload in place: images re-encoded
    without metadata (GPS included), orientation applied, at most `max_side` pixels on the longer side, HEIC
    as JPEG; every file renamed to 32 random hex digits and its checked extension. The uploader's name stays
    in `upload.original_name`; the returned type is also in `upload.checked_type`. Raises ValidationError."""
    original = getattr(upload, "original_name", None) or upload.name
    kind = check_upload(upload, allowed=_allowed_with_heic(allowed), max_bytes=max_bytes)
    if kind.startswith("image/"):
        try:
            data, kind = _reencode(upload, kind, max_side)
        except (OSError, ValueError) as error:
            raise ValidationError(f"تصویر «{original}» ناقص یا خراب است.", code="broken") from error
        _replace_content(upload, data)
    upload.seek(0)
    upload.original_name = original
    upload.name = f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}"
    upload.content_type = upload.checked_type = kind
    return kind


def private_file_response(field_file, *, download_name: str | None = None, pdf_inline: bool = True,
                          checked_type: str = "", attachment: bool = False) -> FileResponse:
    """Serve a stored private file: the content type from its checked type — `checked_type` (the MIME type
    clean_upload returned and the record kept) or else the checked extension of its stored name; anything
    that is not a JPEG, PNG, WebP or PDF is application/octet-stream — with `X-Content-Type-Options: nosniff`,
    inline only for images and PDF (images only with `pdf_inline=False`, e.g. a PDF a citizen sent; nothing
    with `attachment=True`, e.g. an untouched original that may carry GPS), otherwise
    `Content-Disposition: attachment`.

    In: `field_file`, a FieldFile or a File opened from a storage (`storage.open(name)`); `download_name`, the
    name offered to the browser (it ends in the stored file's checked extension: one missing is added, another
    known one replaced). Out: a FileResponse.
    Raises Http404 when the stored file is missing. Source: issue 13 §2 (OWASP ASVS 4.0 V12.5.1, V14.4.4)."""
    from django.http import Http404

    path = PurePosixPath(field_file.name)
    kind = checked_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind not in INLINE_TYPES:
        kind = "application/octet-stream"
    if download_name and (offered := PurePosixPath(download_name)).suffix.lower() != path.suffix.lower():
        # The offered name ends in the checked extension, never the uploader's (a PNG sent as «x.html»).
        known = mimetypes.guess_type(offered.name)[0] or offered.suffix.lower() in (".heic", ".heif")
        download_name = (offered.stem if known else offered.name) + path.suffix
    try:
        field_file.open("rb")
    except FileNotFoundError:
        raise Http404("پرونده پیدا نشد.") from None
    inline = not attachment and (kind.startswith("image/") or (pdf_inline and kind == "application/pdf"))
    response = FileResponse(field_file, content_type=kind, as_attachment=not inline,
                            filename=download_name or path.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
