"""The check-in poster for a session: A4 with the title, time, place and a QR, as PNG or
PDF, to print and put up at the door (the QR does not rotate; see `poster_qr`)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageDraw, ImageFont

from service.documents.qrcodes import qr_image

DPI = 150
A4 = (1240, 1754)  # 210 x 297 mm at 150 dpi: sharp enough for a QR of a few cm
_INK = (31, 41, 55)
_MUTED = (90, 98, 110)
_RED = (178, 34, 34)


@dataclass(frozen=True, slots=True)
class PosterFace:
    heading: str  # e.g. 扫码签到
    title: str
    lines: list[str]  # time, place, hours
    url: str
    footer: str


def render_poster(face: PosterFace, font_path: Path, fmt: Literal["png", "pdf"]) -> bytes:
    image = Image.new("RGB", A4, "white")
    draw = ImageDraw.Draw(image)
    width = A4[0]

    def centred(text: str, y: int, size: int, fill: tuple[int, int, int]) -> int:
        font = ImageFont.truetype(str(font_path), size)
        while draw.textlength(text, font=font) > width - 160 and size > 24:
            size -= 4
            font = ImageFont.truetype(str(font_path), size)
        draw.text(((width - draw.textlength(text, font=font)) / 2, y), text, font=font, fill=fill)
        return y + int(size * 1.5)

    draw.rectangle((0, 0, width, 24), fill=_RED)
    y = centred(face.heading, 120, 96, _RED)
    y = centred(face.title, y + 20, 64, _INK)
    for line in face.lines:
        y = centred(line, y, 40, _MUTED)
    qr = qr_image(face.url, side=900)
    image.paste(qr, ((width - qr.width) // 2, y + 40))
    centred(face.footer, y + 80 + qr.height, 36, _MUTED)
    out = io.BytesIO()
    if fmt == "pdf":
        image.save(out, format="PDF", resolution=DPI, title=face.title)
    else:
        image.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()
