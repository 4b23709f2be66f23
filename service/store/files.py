"""Evidence files under DATA_DIR/evidence, named by their SHA-256 (content-addressed)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def save(directory: Path, content: bytes, extension: str) -> tuple[str, str, bool]:
    """Store the content; returns (path relative to `directory`, sha256, created). Written
    to a temporary file and renamed, so a reader never sees half a file. Mode 0600."""
    digest = hashlib.sha256(content).hexdigest()
    relative = f"{digest[:2]}/{digest}.{extension}"
    path = directory / relative
    if path.exists():
        return relative, digest, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return relative, digest, True


def path_of(directory: Path, relative: str) -> Path:
    """The stored file, refusing anything that would leave `directory`."""
    path = (directory / relative).resolve()
    if directory.resolve() not in path.parents:
        raise ValueError(f"not an evidence path: {relative!r}")
    return path
