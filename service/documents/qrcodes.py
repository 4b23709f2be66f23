"""QR codes as PNG (qrcode + Pillow)."""

from __future__ import annotations

import io

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_L, ERROR_CORRECT_M

ON_SCREEN = ERROR_CORRECT_L  # a screen is clean: fewer, larger modules read from further
ON_PAPER = ERROR_CORRECT_M  # a printed card gets scratched


def qr_png(data: str, *, level: int = ON_PAPER, box_size: int = 16, border: int = 4) -> bytes:
    """A PNG of `data`, 16 px per module: a session URL's code is about 1,000 px wide,
    readable across a room when projected."""
    code = qrcode.QRCode(error_correction=level, box_size=box_size, border=border)
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white").get_image()
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def qr_image(data: str, *, side: int) -> Image.Image:
    """A QR code at most `side` pixels wide, in whole pixels per module, for a printed
    card or poster (medium error correction: paper gets scratched)."""
    code = qrcode.QRCode(error_correction=ON_PAPER, box_size=1, border=0)
    code.add_data(data)
    code.make(fit=True)
    box = max(1, side // code.modules_count)  # whole pixels per module keep the edges sharp
    code.box_size = box
    image: Image.Image = code.make_image(fill_color="black", back_color="white").get_image()
    return image.convert("RGB")
