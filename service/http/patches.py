"""PATCH bodies: only the fields a client sent."""

from __future__ import annotations

from typing import Any

import msgspec


def sent_fields(data: msgspec.Struct) -> dict[str, Any]:
    """The fields of a PATCH struct that were in the request (absent ones are UNSET; an
    explicit null is kept, meaning "clear it")."""
    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
