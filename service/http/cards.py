"""The printable certificate card: 85.6 x 54 mm (ID-1) at 300 dpi, with Chinese text.

Chinese needs a CJK font on the machine. `CARD_FONT` names one; otherwise the usual
Debian places are tried (`make run` / `make test` install fonts-wqy-microhei), then
fontconfig. Without one the card is refused with 503 `card.font_missing`, naming the
package to install, rather than printed with empty boxes.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M

from service.domain.errors import Unavailable

DPI = 300
SIZE = (1011, 638)  # 85.6 x 54 mm at 300 dpi
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
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
    photo: Path | None = None


def find_cjk_font(configured: Path | None) -> Path:
    """The font to draw Chinese with. Raises Unavailable `card.font_missing`."""
    if configured is not None:
        return configured
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return Path(candidate)
    found = fontconfig_cjk()
    if found is not None:
        return found
    raise Unavailable(
        "No font with Chinese characters is installed for printing cards: install "
        "fonts-wqy-microhei (apt-get install fonts-wqy-microhei) or fonts-noto-cjk, or set "
        "CARD_FONT to a .ttf/.ttc file.",
        code="card.font_missing",
    )


@lru_cache(maxsize=1)
def fontconfig_cjk() -> Path | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    listed = subprocess.run(  # noqa: S603 - fontconfig's own tool, fixed arguments
        [fc_list, ":lang=zh", "file"], capture_output=True, text=True, check=False, timeout=10
    ).stdout
    files = sorted(line.split(":", 1)[0].strip() for line in listed.splitlines() if line.strip())
    return Path(files[0]) if files else None


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
    if face.photo is not None and face.photo.is_file():
        with Image.open(face.photo) as photo:
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


def qr_image(data: str, *, side: int) -> Image.Image:
    """A QR code at most `side` pixels wide, in whole pixels per module."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=0)
    code.add_data(data)
    code.make(fit=True)
    box = max(1, side // code.modules_count)  # whole pixels per module keep the edges sharp
    code.box_size = box
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB")
