"""Where an officer's photo is kept: in `evidence_files` by its SHA-256 (`photo_path`
"db:<sha256>"), or, from a release before, as a file under DATA_DIR."""

from __future__ import annotations

from pathlib import Path

import anyio

from service.store import evidence

STORED = "db:"


def stored_path(sha256: str) -> str:
    return STORED + sha256


def digest_of(photo_path: str | None) -> str | None:
    return photo_path[len(STORED) :] if photo_path and photo_path.startswith(STORED) else None


async def read_photo(data_dir: Path, photo_path: str | None) -> bytes | None:
    """The photo's bytes, or None (no photo, or a file that is gone or outside DATA_DIR)."""
    if not photo_path:
        return None
    digest = digest_of(photo_path)
    if digest is not None:
        return await evidence.content(digest)
    root = await anyio.Path(data_dir).resolve()
    legacy = await (root / photo_path).resolve()
    if root not in legacy.parents or not await legacy.is_file():
        return None
    return await legacy.read_bytes()
