"""Evidence files in the database (`evidence_files`), stored once per content: the key is
the SHA-256, so the same file filed twice is kept once, and every host reads it."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from service.store import sql
from service.store.models import EvidenceFile

_INSERT = (
    "INSERT INTO evidence_files (sha256, media_type, size, content, created_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING RETURNING sha256"
)


async def put(content: bytes, media_type: str) -> tuple[str, bool]:
    """Store the content (in the caller's transaction, so it goes with the claim that
    names it); returns (sha256, whether it was new)."""
    digest = hashlib.sha256(content).hexdigest()
    rows = await sql.fetch(_INSERT, [digest, media_type, len(content), content, datetime.now(UTC)])
    return digest, bool(rows)


async def content(sha256: str) -> bytes | None:
    found = await EvidenceFile.filter(sha256=sha256).values_list("content", flat=True)
    return bytes(found[0]) if found else None
