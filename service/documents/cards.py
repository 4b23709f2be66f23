"""The printable certificate card: 85.6 x 54 mm (ID-1) at 300 dpi, with Chinese text
drawn in the font `documents.fonts` finds."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from PIL import Image, ImageDraw, ImageFont

from service.documents.fonts import find_cjk_font
from service.documents.qrcodes import qr_image
from service.usecases.verification import Card

DPI = 300
SIZE = (1011, 638)  # 85.6 x 54 mm at 300 dpi
_RED = (178, 34, 34)
_INK = (31, 41, 55)
_MUTED = (90, 98, 110)


def mm(value: float) -> int:
    return round(value / 25.4 * DPI)


@dataclass(frozen=True, slots=True)
class CardFace:
    title: str  # 行政执法证
    authority: str  # the issuing justice bureau
    name: str
    agency: str
    number: str
    area: str
    valid: str  # 2026-03-01 至 2031-02-28
    qr_url: str
    photo: bytes | None = None  # a JPEG


def render_card(face: CardFace, font_path: Path) -> bytes:
    """The card as a PNG carrying its 300 dpi, ready to print at ID-1 size."""
    card = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(card)

    def font(size_mm: float) -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(font_path), mm(size_mm))

    # Header band: the title and the issuing authority.
    band = mm(10)
    draw.rectangle((0, 0, SIZE[0], band), fill=_RED)
    draw.text((mm(4), band // 2), face.title, font=font(5), fill="white", anchor="lm")
    authority = _fit(draw, face.authority, font(3), mm(48))
    draw.text((SIZE[0] - mm(4), band // 2), authority, font=font(3), fill="white", anchor="rm")

    # The signed QR, bottom right, as large as the card allows (the white card around it
    # is its quiet zone).
    qr = qr_image(face.qr_url, side=mm(26))
    qr_left, qr_top = SIZE[0] - qr.width - mm(3), SIZE[1] - qr.height - mm(3)
    card.paste(qr, (qr_left, qr_top))

    # Photo area: the officer's photo if there is one, else a box to paste one in.
    photo_box = (mm(4), band + mm(3), mm(4) + mm(20), band + mm(3) + mm(25))
    draw.rectangle(photo_box, outline=_MUTED, width=3)
    if face.photo:
        with Image.open(io.BytesIO(face.photo)) as photo:
            fitted = photo.convert("RGB")
            fitted.thumbnail((photo_box[2] - photo_box[0] - 6, photo_box[3] - photo_box[1] - 6))
            card.paste(fitted, (photo_box[0] + 3, photo_box[1] + 3))
    else:
        centre = ((photo_box[0] + photo_box[2]) // 2, (photo_box[1] + photo_box[3]) // 2)
        draw.text(centre, "照片", font=font(3.5), fill=_MUTED, anchor="mm")

    # Details, right of the photo; rows beside the QR stop short of it.
    x, y = photo_box[2] + mm(3), band + mm(2.5)
    label_font = font(2.4)
    for label, value, value_font in (
        ("姓名", face.name, font(4.2)),
        ("单位", face.agency, font(3.1)),
        ("执法区域", face.area, font(3.1)),
    ):
        row_bottom = y + mm(2.9) + value_font.size
        right = qr_left - mm(2) if row_bottom > qr_top else SIZE[0] - mm(4)
        draw.text((x, y), label, font=label_font, fill=_MUTED)
        y += mm(2.9)
        draw.text((x, y), _fit(draw, value, value_font, right - x), font=value_font, fill=_INK)
        y += value_font.size + mm(1.6)

    # Validity and number along the bottom, under the photo, left of the QR.
    line_font = font(3.1)
    width = qr_left - mm(2) - mm(4)
    for offset, text in ((mm(9.5), f"有效期 {face.valid}"), (mm(4), f"证号 {face.number}")):
        draw.text(
            (mm(4), SIZE[1] - offset),
            _fit(draw, text, line_font, width),
            font=line_font,
            fill=_INK,
            anchor="ls",
        )

    out = io.BytesIO()
    card.save(out, format="PNG", dpi=(DPI, DPI), optimize=True)
    return out.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """The text, shortened with an ellipsis if it would run into the QR code."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


async def card_png(card: Card, configured_font: Path | None) -> bytes:
    """The certificate's printable card (drawn off the event loop). Raises Unavailable
    `card.font_missing` when no CJK font is found."""
    font = find_cjk_font(configured_font)
    record = card.view.record
    face = CardFace(
        title="行政执法证",
        authority=record.issuing_authority or "",
        name=record.name,
        agency=record.agency,
        number=record.number,
        area=record.enforcement_area,
        valid=f"{record.valid_from} 至 {record.valid_until}",
        qr_url=card.url,
        photo=card.photo,
    )
    return await anyio.to_thread.run_sync(render_card, face, font)
