"""Reading QR codes back with a real decoder (zbar), never with our own encoder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def decode_qr(png: bytes, tmp_path: Path) -> str:
    """The text of the one QR code in a PNG, as zbarimg reads it."""
    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        pytest.fail("zbarimg is missing: apt-get install zbar-tools", pytrace=False)
    path = tmp_path / "code.png"
    path.write_bytes(png)
    # QR codes only: with every symbology on, zbar once read a stray barcode in a card's
    # text as a second symbol.
    found = subprocess.run(
        [zbarimg, "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable", str(path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert found.returncode == 0, f"zbarimg found no QR code: {found.stderr}"
    symbols = found.stdout.strip().splitlines()
    assert len(symbols) == 1, f"expected one QR code, zbarimg read {symbols}"
    return symbols[0]
