"""Perceptual hashes as signed 64-bit integers and the band lookup for near-duplicates.

A hash is split into four 16-bit bands. If two hashes differ in at most `d` bits,
some band differs in at most d // 4 bits (pigeonhole), so probing each band with
every value within that radius finds every match exactly, through the indexes.
"""

from itertools import combinations

BANDS = 4
BAND_BITS = 16
MASK64 = (1 << 64) - 1


def to_signed(value: int) -> int:
    value &= MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value & MASK64


def bands(value: int) -> list[int]:
    unsigned = to_unsigned(value)
    return [(unsigned >> (BAND_BITS * i)) & 0xFFFF for i in range(BANDS)]


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def neighbours(band: int, radius: int) -> list[int]:
    """Every 16-bit value within `radius` flipped bits of `band`, itself included."""
    values = [band]
    for flips in range(1, radius + 1):
        for bits in combinations(range(BAND_BITS), flips):
            flipped = band
            for bit in bits:
                flipped ^= 1 << bit
            values.append(flipped)
    return values


def band_queryset(queryset, value: int, max_distance: int):
    """(pk, phash) of every row whose hash may lie within max_distance of `value`: one indexed
    lookup per band, joined with UNION so the database uses each (unit, band) index fully."""
    radius = max_distance // BANDS
    parts = [queryset.filter(**{f"band{index}__in": neighbours(band, radius)}).order_by().values_list("pk", "phash")
             for index, band in enumerate(bands(value))]
    return parts[0].union(*parts[1:]).order_by()


def nearest(queryset, value: int, max_distance: int) -> tuple[int, int] | None:
    """(pk, distance) of the closest row of `queryset` within max_distance, or None."""
    best = None
    for pk, other in band_queryset(queryset, value, max_distance):
        found = distance(value, other)
        if found <= max_distance and (best is None or found < best[1]):
            best = (pk, found)
    return best
