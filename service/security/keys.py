"""Signing keys on disk: one key ring per purpose under `DATA_DIR/keys/<purpose>/`.

Each key is an Ed25519 private key in PEM (mode 0600) named `<kid>.pem`. The newest
key signs; every key in the ring verifies, so rotating adds a key without breaking
what the older ones signed. Several processes may share the directory: creation is
serialised with a file lock, a process that meets an unknown `kid` re-reads it, and
a key added by another process (`officer-cert keys rotate`) starts signing here within
RELOAD_SECONDS; the list of public keys is read afresh each time.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey
    public: Ed25519PublicKey = field(init=False)  # derived once: every verification uses it

    def __post_init__(self) -> None:
        object.__setattr__(self, "public", self.private.public_key())


class KeyRing:
    RELOAD_SECONDS = 60.0

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._keys: dict[str, SigningKey] = {}
        self._mutex = threading.Lock()
        self._loaded_at = float("-inf")

    def current(self) -> SigningKey:
        """The key that signs: the newest, created on first use."""
        with self._mutex:
            if not self._keys or time.monotonic() - self._loaded_at > self.RELOAD_SECONDS:
                self._load()
            if not self._keys:
                with self._file_lock():
                    self._load()
                    if not self._keys:
                        self._create()
                        self._load()
            return self._keys[max(self._keys)]

    def get(self, kid: str) -> SigningKey | None:
        """The key with this id, re-reading the ring once if another process added it."""
        with self._mutex:
            if kid not in self._keys and _valid_kid(kid):
                self._load()
            return self._keys.get(kid)

    def all(self) -> list[SigningKey]:
        """Every key, oldest first, including keys other processes added."""
        self.current()
        with self._mutex:
            self._load()
            return [self._keys[kid] for kid in sorted(self._keys)]

    def rotate(self) -> SigningKey:
        """Add a new key that signs from now on; the old ones keep verifying."""
        with self._mutex, self._file_lock():
            self._load()  # the next sequence number follows every key on disk
            kid = self._create()
            self._load()
            return self._keys[kid]

    def _load(self) -> None:
        self._loaded_at = time.monotonic()
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.pem"):
            kid = path.stem
            if kid in self._keys or not _valid_kid(kid):
                continue
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if isinstance(private, Ed25519PrivateKey):
                self._keys[kid] = SigningKey(kid=kid, private=private)

    def _create(self) -> str:
        # Called under the file lock after a reload: the sequence orders keys by creation
        # even within one second; the date is for people, the random part for uniqueness.
        sequence = 1 + max((int(kid.split("-", 1)[0]) for kid in self._keys), default=0)
        kid = f"{sequence:04d}-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path = self.directory / f"{kid}.pem"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return kid

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.directory / ".lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


def _valid_kid(kid: str) -> bool:
    sequence, _, rest = kid.partition("-")
    return len(kid) <= 40 and sequence.isdigit() and all(c.isalnum() or c == "-" for c in rest)
