"""What the use cases need from outside: settings, the clock, token codecs, the cache and
the unit of work."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from service.clock import SHANGHAI, Clock, SystemClock
from service.domain.errors import DomainError, InvalidInput
from service.domain.training import checkin_refusal
from service.security.keys import KeyRing, KeyStore, Sealer
from service.security.tokens import CompactCodec, CredentialCodec, TokenCodec
from service.settings import Settings
from service.usecases.login_sessions import SessionChecks
from service.usecases.unit_of_work import AfterCommit, UnitOfWork

ACCESS_AUDIENCE = "officer-cert:access"


class Cache(Protocol):
    """What the use cases need of a key-value store (Litestar's stores fit)."""

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None: ...

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None: ...

    async def get_many(self, keys: list[str]) -> list[bytes | None]: ...

    @property
    def outages(self) -> int:
        """How many times the backend went away (0 for memory)."""
        ...


PUBLIC_GENERATION = "public:generation"


def cached_key(key: str, generation: str) -> str:
    """Where a public view is cached under a generation."""
    return f"public:{key}:{generation}"


class PublicGeneration:
    """The public cache's generation: public views and the status list are cached under
    it, and a change that shows in them moves it on (`renew`), so nobody reads what was
    cached before.

    The cache carries on when its backend (Redis) is away, so a renewal is read back, and
    one that did not land leaves this process `stale`: until a renewal lands (the unit
    of work's retry, or the next reader's own try) its readers do not use the cache at
    all, so the process that made a change never shows the view from before it.

    Nor does any process that saw Redis go away (`Cache.outages` moved): another may
    have changed something meanwhile without being able to say so, so it renews before
    it reads the cache again. A process that made no call to Redis during the outage
    reads the shared generation, which the committing process's retry moves on within a
    second of Redis coming back (`AfterCommit.max_delay`).
    """

    def __init__(self, cache: Cache) -> None:
        self.cache = cache
        self.stale = False
        self._outages = 0  # the cache's count when a renewal last landed
        self._last: str | None = None  # the generation this process last read

    async def read(self, key: str) -> tuple[str | None, bytes | None]:
        """The generation to cache under (None: do not use the cache) and what is cached
        for `key` under it: one round trip while the generation stays the one this
        process read last, two when it moved."""
        if self._last is not None and not self.stale and self.cache.outages == self._outages:
            raw, value = await self.cache.get_many([PUBLIC_GENERATION, cached_key(key, self._last)])
            if raw and self.cache.outages == self._outages:
                if raw.decode() == self._last:
                    return self._last, value
                self._last = raw.decode()
                return self._last, await self.cache.get(cached_key(key, self._last))
        generation = await self.current()
        if generation is None:
            return None, None
        return generation, await self.cache.get(cached_key(key, generation))

    async def current(self) -> str | None:
        """The generation to cache under; None: do not use the cache for this read."""
        if not self.stale and self.cache.outages == self._outages:
            raw = await self.cache.get(PUBLIC_GENERATION)
            if raw and self.cache.outages == self._outages:
                self._last = raw.decode()
                return self._last
        # Unset (a new Redis), unreadable, or a renewal pending: moving on is always safe.
        try:
            return await self.renew()
        except ConnectionError:
            return None

    async def renew(self) -> str:
        """Move to a new generation. Raises ConnectionError when it did not land."""
        outages = self.cache.outages
        generation = secrets.token_hex(8)
        await self.cache.set(PUBLIC_GENERATION, generation)
        if await self.cache.get(PUBLIC_GENERATION) != generation.encode():
            self.stale = True
            raise ConnectionError("the public cache's new generation was not stored")
        self.stale, self._outages, self._last = False, outages, generation
        return generation


CARD_KEYS = "cards"  # the ring whose public keys /.well-known/jwks.json publishes


def credential_refusal(expired: bool) -> DomainError:
    if expired:
        return InvalidInput("The presentation QR has expired.", code="credential.expired")
    return InvalidInput("The QR is not a genuine certificate.", code="credential.invalid")


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    access_tokens: TokenCodec
    checkin_tokens: CompactCodec
    credentials: CredentialCodec
    cache: Cache
    public_generation: PublicGeneration
    after_commit: AfterCommit
    session_checks: SessionChecks
    sealer: Sealer  # seals secrets other than signing keys (a channel's) with the KEK

    @classmethod
    def build(
        cls,
        settings: Settings,
        clock: Clock | None = None,
        *,
        cache: Cache | None = None,
        key_store: KeyStore | None = None,
    ) -> Services:
        """`cache` defaults to the store `REDIS_URL` names, or memory; `key_store` to the
        database's signing keys, sealed with the settings' key-encryption key."""
        if cache is None:
            from service.store.cache import cache_store

            cache = cache_store(settings)
        if key_store is None:
            from service.store.keys import DatabaseKeyStore

            key_store = DatabaseKeyStore()
        sealer = Sealer(settings.kek())

        def ring(name: str) -> KeyRing:
            return KeyRing(name, key_store, sealer, refresh_seconds=settings.key_refresh_seconds)

        return cls(
            settings=settings,
            clock=clock or SystemClock(),
            access_tokens=TokenCodec(ring("access"), ACCESS_AUDIENCE),
            checkin_tokens=CompactCodec(ring("checkin"), checkin_refusal),
            credentials=CredentialCodec(ring(CARD_KEYS), credential_refusal),
            cache=cache,
            public_generation=PublicGeneration(cache),
            after_commit=AfterCommit(),
            session_checks=SessionChecks(settings.session_check_seconds),
            sealer=sealer,
        )

    @property
    def key_rings(self) -> dict[str, KeyRing]:
        return {
            "access": self.access_tokens.ring,
            "checkin": self.checkin_tokens.ring,
            CARD_KEYS: self.credentials.ring,
        }

    async def prepare_keys(self) -> None:
        """Read every ring, making its first key if it has none, and open each key with
        the key-encryption key: a host with the wrong one stops here, at start
        (KeyEncryptionError), not at its first request. After this no request makes a
        key inside its own transaction."""
        for ring in self.key_rings.values():
            await ring.all()

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work (see `usecases.unit_of_work`)."""
        return UnitOfWork(self.after_commit, self._new_public_generation)

    async def _new_public_generation(self) -> None:
        # Readers that read the database before the commit stored their answers under
        # the old generation, which nobody reads again.
        await self.public_generation.renew()

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """Today's date in China, the calendar every rule counts in."""
        return self.clock.now().astimezone(SHANGHAI).date()
