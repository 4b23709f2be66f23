"""The font that draws Chinese on printed cards and posters.

Chinese needs a CJK font on the machine. `CARD_FONT` names one; otherwise the usual
Debian places are tried (`make run` / `make test` install fonts-wqy-microhei), then
fontconfig. Without one a print is refused with 503 `card.font_missing`, naming the
package to install, rather than printed with empty boxes.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from service.domain.errors import Unavailable

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


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
