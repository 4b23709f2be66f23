"""`Content-Disposition` for a file whose name may hold Chinese (a legacy certificate number,
新KS-2021-0100): an ASCII `filename` for old clients and the exact name as RFC 6266's
`filename*` (headers are Latin-1, so the name itself cannot go in as it is)."""

from __future__ import annotations

import re
from urllib.parse import quote

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def disposition(name: str, *, inline: bool = False) -> str:
    fallback = _UNSAFE.sub("_", name)
    kind = "inline" if inline else "attachment"
    if fallback == name:
        return f'{kind}; filename="{name}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
