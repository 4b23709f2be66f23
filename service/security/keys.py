"""Signing keys: one ring per purpose, kept by a `KeyStore` (the database, in the service).

Each key is an Ed25519 key named by its `kid`, `<sequence>-<yyyymmdd>-<random>`. Its
private half is stored sealed with the key-encryption key (AES-256-GCM, the ring and kid
as associated data, so a sealed key copied to another row does not open), which never
enters the database: a dump alone cannot sign anything.

The newest key signs; every key in the ring verifies, so rotating adds a key without
breaking what the older ones signed. Every host reads the same rows: a key added on one
(`officer-cert keys rotate`) starts signing on another within `refresh_seconds`, and a
host that meets an unknown `kid` reads the ring again at once (at most once a second, so
forged kids cannot make every request a query).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEK_BYTES = 32
NONCE_BYTES = 12


class KeyEncryptionError(RuntimeError):
    """The key-encryption key does not open a stored key, or is not a key at all."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    private: Ed25519PrivateKey
    public: Ed25519PublicKey = field(init=False)  # derived once: every verification uses it

    def __post_init__(self) -> None:
        object.__setattr__(self, "public", self.private.public_key())

    @property
    def sequence(self) -> int:
        return int(self.kid.split("-", 1)[0])


@dataclass(frozen=True, slots=True)
class SealedKey:
    ring: str
    kid: str
    public_key: bytes  # raw, 32 bytes
    sealed: bytes  # nonce + AES-GCM ciphertext and tag of the PKCS#8 DER private key


class KeyStore(Protocol):
    async def sealed_keys(self, ring: str) -> list[SealedKey]:
        """Every key of the ring."""
        ...

    async def add(self, key: SealedKey) -> bool:
        """Store the key; False (and nothing written) if the ring has its kid already."""
        ...


class MemoryKeyStore:
    """Keys in this process only (unit tests)."""

    def __init__(self) -> None:
        self.keys: dict[tuple[str, str], SealedKey] = {}

    async def sealed_keys(self, ring: str) -> list[SealedKey]:
        return [key for (name, _), key in self.keys.items() if name == ring]

    async def add(self, key: SealedKey) -> bool:
        if (key.ring, key.kid) in self.keys:
            return False
        self.keys[key.ring, key.kid] = key
        return True


class Sealer:
    """AES-256-GCM with the key-encryption key."""

    def __init__(self, kek: bytes) -> None:
        if len(kek) != KEK_BYTES:
            raise KeyEncryptionError(f"a key-encryption key has {KEK_BYTES} bytes, not {len(kek)}")
        self._aead = AESGCM(kek)

    def seal(self, ring: str, key: SigningKey) -> SealedKey:
        der = key.private.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        nonce = os.urandom(NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, der, _associated(ring, key.kid))
        public = key.public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return SealedKey(ring=ring, kid=key.kid, public_key=public, sealed=sealed)

    def open(self, stored: SealedKey) -> SigningKey:
        nonce, ciphertext = stored.sealed[:NONCE_BYTES], stored.sealed[NONCE_BYTES:]
        try:
            der = self._aead.decrypt(nonce, ciphertext, _associated(stored.ring, stored.kid))
        except InvalidTag:
            raise KeyEncryptionError(
                f"The key-encryption key does not open signing key {stored.ring}/{stored.kid}: "
                "every host must have the same KEY_ENCRYPTION_KEY (or KEY_ENCRYPTION_KEY_FILE) "
                "as the host that made the key."
            ) from None
        private = serialization.load_der_private_key(der, password=None)
        if not isinstance(private, Ed25519PrivateKey):
            raise KeyEncryptionError(f"signing key {stored.ring}/{stored.kid} is not Ed25519")
        return SigningKey(kid=stored.kid, private=private)

    def seal_bytes(self, purpose: str, data: bytes) -> bytes:
        """Any other secret (a channel's), bound to `purpose` as associated data."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data, f"officer-cert/{purpose}".encode())

    def open_bytes(self, purpose: str, sealed: bytes) -> bytes:
        """Raises KeyEncryptionError when the KEK or the purpose is not the sealer's."""
        nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, ciphertext, f"officer-cert/{purpose}".encode())
        except InvalidTag:
            raise KeyEncryptionError(
                f"The key-encryption key does not open the secret of {purpose}."
            ) from None


def _associated(ring: str, kid: str) -> bytes:
    return f"officer-cert/{ring}/{kid}".encode()


class KeyRing:
    """One purpose's keys, as every host sees them."""

    UNKNOWN_KID_RELOAD_SECONDS = 1.0  # at most one read of the ring a second for unknown kids

    def __init__(
        self, name: str, store: KeyStore, sealer: Sealer, *, refresh_seconds: float = 30.0
    ) -> None:
        self.name = name
        self.store = store
        self.sealer = sealer
        self.refresh_seconds = refresh_seconds
        self._keys: dict[str, SigningKey] = {}
        self._loaded_at = float("-inf")
        self._unknown_read_at = float("-inf")  # the last read for a kid not known here

    async def current(self) -> SigningKey:
        """The key that signs: the newest (by sequence, then kid), made on first use."""
        if not self._keys or time.monotonic() - self._loaded_at >= self.refresh_seconds:
            await self._load()
        if not self._keys:
            await self._add(self._new(1))
        return self._newest()

    async def get(self, kid: str) -> SigningKey | None:
        """The key with this id, reading the ring again if another host may have added it."""
        key = self._keys.get(kid)
        if key is None and valid_kid(kid):
            now = time.monotonic()
            if now - self._unknown_read_at >= self.UNKNOWN_KID_RELOAD_SECONDS:
                self._unknown_read_at = now
                await self._load()
            key = self._keys.get(kid)
        return key

    async def all(self) -> list[SigningKey]:
        """Every key, oldest first, as of the last read of the ring (at most
        `refresh_seconds` ago): the JWKS costs no query per request."""
        await self.current()
        return sorted(self._keys.values(), key=_order)

    async def rotate(self) -> SigningKey:
        """Add a new key that signs from now on; the old ones keep verifying."""
        await self._load()  # the next sequence number follows every stored key
        sequence = 1 + max((key.sequence for key in self._keys.values()), default=0)
        return await self._add(self._new(sequence))

    async def adopt(self, key: SigningKey) -> bool:
        """Store a key made elsewhere (the one-time import of a key ring from disk);
        False if the ring has it already."""
        added = await self.store.add(self.sealer.seal(self.name, key))
        self._loaded_at = float("-inf")
        return added

    def _newest(self) -> SigningKey:
        return max(self._keys.values(), key=_order)

    def _new(self, sequence: int) -> SigningKey:
        kid = f"{sequence:04d}-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"
        return SigningKey(kid=kid, private=Ed25519PrivateKey.generate())

    async def _add(self, key: SigningKey) -> SigningKey:
        # Two hosts making a ring's first key at once both succeed (their kids differ);
        # every host then signs with the same newest one after its next read.
        await self.store.add(self.sealer.seal(self.name, key))
        await self._load()
        return self._keys[key.kid]

    async def _load(self) -> None:
        self._loaded_at = time.monotonic()
        for stored in await self.store.sealed_keys(self.name):
            if stored.kid not in self._keys and valid_kid(stored.kid):
                self._keys[stored.kid] = self.sealer.open(stored)


def _order(key: SigningKey) -> tuple[int, str]:
    return key.sequence, key.kid


def valid_kid(kid: str) -> bool:
    sequence, _, rest = kid.partition("-")
    return len(kid) <= 40 and sequence.isdigit() and all(c.isalnum() or c == "-" for c in rest)


def read_pem_key(path: Path) -> SigningKey | None:
    """A key ring file of the releases that kept keys on disk (`<kid>.pem`), or None."""
    if not valid_kid(path.stem):
        return None
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(private, Ed25519PrivateKey):
        return None
    return SigningKey(kid=path.stem, private=private)


def decode_kek(text: str | bytes, where: str) -> bytes:
    """32 bytes from their base64 form (what `openssl rand -base64 32` prints)."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyEncryptionError(f"{where} is not base64") from None
    if len(raw) != KEK_BYTES:
        raise KeyEncryptionError(
            f"{where} must be {KEK_BYTES} random bytes in base64 (openssl rand -base64 32), "
            f"not {len(raw)} bytes"
        )
    return raw


def default_kek(path: Path) -> bytes:
    """The key-encryption key of a single host with nothing configured: made at first
    start under DATA_DIR, mode 0600, and read from there afterwards."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(base64.b64encode(secrets.token_bytes(KEK_BYTES)).decode() + "\n")
        try:
            os.link(temporary, path)  # whole or not at all; the first process wins
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return decode_kek(path.read_text(), str(path))
