"""Pixels of the screenshots the browsers take (8-bit RGB or RGBA PNG, not interlaced), with the
standard library only: a test can then tell whether a panel the DOM calls visible was painted."""

import struct
import zlib
from pathlib import Path


def read_png(path: str | Path, rows_wanted: int | None = None) -> tuple[int, int, int, list[bytes]]:
    """(width, height, bytes per pixel, rows of raw pixel bytes): the first `rows_wanted` rows only
    when given (each row is unfiltered from the one above it, in Python: the rest costs time)."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, color, _, _, interlace = header
    if depth != 8 or color not in (2, 6) or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA, not interlaced (depth {depth}, colour type {color})")
    bpp = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, previous = [], bytes(stride)
    for y in range(min(height, rows_wanted or height)):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, bpp, rows


def changed_pixels(before: str | Path, after: str | Path, rect: dict) -> int:
    """How many pixels inside `rect` ({left, top, right, bottom}, CSS px at a device pixel ratio of
    1) differ between two screenshots of the same page."""
    rows = int(rect["bottom"] + 0.999)
    w1, h1, bpp1, a = read_png(before, rows)
    w2, h2, bpp2, b = read_png(after, rows)
    left, top = max(0, int(rect["left"])), max(0, int(rect["top"]))
    right, bottom = min(w1, w2, int(rect["right"] + 0.999)), min(h1, h2, rows)
    count = 0
    for y in range(top, bottom):
        for x in range(left, right):
            if a[y][x * bpp1:x * bpp1 + 3] != b[y][x * bpp2:x * bpp2 + 3]:
                count += 1
    return count
