"""A visit photo as evidence (issue 17, point 6): where and when the camera says it was taken, read from
EXIF before the metadata are stripped, and how far that is from the registered place."""

import datetime as dt
import math
from decimal import Decimal

from django.utils import timezone
from PIL import Image

GPS_IFD = 0x8825
EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME = 0x0132
EARTH_RADIUS_M = 6_371_000
# A photo taken within this distance of the place's map point counts as taken there.
NEAR_METRES = 500


def _degrees(parts, ref) -> Decimal | None:
    try:
        degrees, minutes, seconds = (float(part) for part in parts)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = degrees + minutes / 60 + seconds / 3600
    if str(ref).upper() in ("S", "W"):
        value = -value
    return Decimal(str(round(value, 6)))


def read_metadata(upload) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """(taken_at, latitude, longitude) from the photo's EXIF: the original date-time (taken as local time,
    Asia/Tehran, since cameras write no zone) and the GPS point in decimal degrees (WGS 84); None for what
    is missing or unreadable. The upload is rewound afterwards."""
    taken = latitude = longitude = None
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            exif = image.getexif()
            stamp = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
            gps = exif.get_ifd(GPS_IFD)
    except Exception:  # noqa: BLE001 — a photo without readable metadata is still a photo
        upload.seek(0)
        return None, None, None
    if stamp:
        try:
            taken = timezone.make_aware(dt.datetime.strptime(str(stamp).strip("\x00 "), "%Y:%m:%d %H:%M:%S"))
        except ValueError:
            taken = None
    if gps and 2 in gps and 4 in gps:
        latitude, longitude = _degrees(gps[2], gps.get(1, "N")), _degrees(gps[4], gps.get(3, "E"))
        if latitude is None or longitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            latitude = longitude = None
    upload.seek(0)
    return taken, latitude, longitude


def distance_m(lat1, lon1, lat2, lon2) -> int:
    """The great-circle distance in whole metres between two points in decimal degrees (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return round(2 * EARTH_RADIUS_M * math.asin(math.sqrt(a)))
