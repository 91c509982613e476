"""Reading an uploaded image safely and deriving everything the library stores."""

import functools
import io
from dataclasses import dataclass

import imagehash
from django.core.exceptions import ValidationError
from PIL import Image, ImageFile, ImageOps

from .hashing import to_signed

MAX_PIXELS = 40_000_000
PUBLIC_LONG_SIDE = 1600
THUMB_LONG_SIDE = 480


@dataclass
class Processed:
    image: Image.Image  # oriented, RGB
    width: int
    height: int
    phash: int
    face_count: int
    public_jpeg: bytes
    thumb_jpeg: bytes


def refuse_bomb(data: bytes, name: str) -> None:
    """Read only the header: an image whose pixel count is too large is refused before decoding.
    Anything that is not an image passes here and is refused by the type check."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
    except Image.DecompressionBombError:
        raise _too_big(name) from None
    except (OSError, ValueError, SyntaxError):
        return
    if width * height > MAX_PIXELS:
        raise _too_big(name)


def open_checked(data: bytes, name: str) -> Image.Image:
    """Open and fully decode an image, refusing bombs and broken files with a Persian message."""
    refuse_bomb(data, name)
    # WeasyPrint sets ImageFile.LOAD_TRUNCATED_IMAGES = True for the whole process when it is
    # imported (any PDF render), which would let a half-uploaded JPEG through as grey pixels.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Image.DecompressionBombError:
        raise _too_big(name) from None
    except (OSError, ValueError, SyntaxError):
        raise ValidationError(f"تصویر «{name}» ناقص یا خراب است (شاید کامل بارگذاری نشده)؛ دوباره بفرستید.",
                              code="truncated") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return image


def _too_big(name: str) -> ValidationError:
    return ValidationError(
        f"ابعاد تصویر «{name}» بیش از حد مجاز است (حداکثر {MAX_PIXELS // 1_000_000} مگاپیکسل).",
        code="too_many_pixels")


def process(data: bytes, name: str) -> Processed:
    image = open_checked(data, name)
    # Apply the camera's rotation, then drop EXIF (GPS included) by never passing it on.
    image = ImageOps.exif_transpose(image).convert("RGB")
    width, height = image.size
    phash = to_signed(int(str(imagehash.phash(image)), 16))
    return Processed(image=image, width=width, height=height, phash=phash, face_count=count_faces(image),
                     public_jpeg=_jpeg(image, PUBLIC_LONG_SIDE), thumb_jpeg=_jpeg(image, THUMB_LONG_SIDE))


def _jpeg(image: Image.Image, long_side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()


@functools.cache
def _face_detector():
    import cv2

    return cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")


def count_faces(image: Image.Image) -> int:
    """Frontal faces found by OpenCV's bundled Haar cascade, on a copy at most 800 px wide."""
    import cv2
    import numpy

    small = image.copy()
    small.thumbnail((800, 800))
    gray = cv2.cvtColor(numpy.asarray(small), cv2.COLOR_RGB2GRAY)
    faces = _face_detector().detectMultiScale(gray, scaleFactor=1.1, minNeighbors=6, minSize=(40, 40))
    return len(faces)
