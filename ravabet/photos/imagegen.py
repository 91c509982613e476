"""Generated pictures for demo data and tests: landscapes drawn with Pillow, no real photos needed."""

import io
import random
import struct
import zlib

from PIL import Image, ImageDraw


def landscape(seed: int, size: tuple[int, int] = (1600, 1067), fmt: str = "JPEG", exif: bytes | None = None) -> bytes:
    """A sky gradient, hills, a sun and some buildings; each seed gives a visibly different picture."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = (rng.randint(40, 120), rng.randint(100, 180), rng.randint(180, 255))
    bottom = (rng.randint(180, 255), rng.randint(150, 230), rng.randint(100, 200))
    for y in range(height):
        t = y / max(height - 1, 1)
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    sun = (rng.randint(0, width), rng.randint(0, height // 3))
    radius = rng.randint(height // 20, height // 8)
    draw.ellipse([sun[0] - radius, sun[1] - radius, sun[0] + radius, sun[1] + radius], fill=(255, 220, 120))
    for layer in range(3):
        base = height * (0.55 + 0.12 * layer)
        color = (rng.randint(30, 90), rng.randint(90, 160), rng.randint(30, 90))
        points = [(0, height)]
        for x in range(0, width + 1, max(width // 8, 1)):
            points.append((x, base - rng.randint(0, height // 5)))
        points.append((width, height))
        draw.polygon(points, fill=color)
    for _ in range(rng.randint(3, 9)):
        x = rng.randint(0, width)
        w, h = rng.randint(width // 30, width // 10), rng.randint(height // 10, height // 3)
        draw.rectangle([x, height - h, x + w, height], fill=(rng.randint(120, 220),) * 3)
    buffer = io.BytesIO()
    kwargs = {"quality": 88} if fmt == "JPEG" else {}
    if exif is not None:
        kwargs["exif"] = exif
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


def huge_png_header(width: int = 20000, height: int = 20000) -> bytes:
    """A PNG that claims to be width×height pixels: a decompression bomb's header, a few bytes long."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + \
        chunk(b"IEND", b"")
