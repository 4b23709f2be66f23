"""Key-value stores: Redis when `REDIS_URL` is set (shared by every process), else memory.

The rate limiters use them through Litestar's store registry, the public-view cache
through `Services.cache`; both come from here so they agree on the backend.

Redis going away never makes an answer a 500, nor a slow one. Its client gives up
within a second (`TIMEOUT_SECONDS`); after a failure the stores of that client do not
call Redis for `Breaker.PAUSE_SECONDS` and answer at once, then one call tries again.
Each store says what its users need while Redis does not answer: the public pages'
limiter and the public cache carry on without it (a lookup reads the database; nothing
private is at stake), the login limiter refuses with 503 `service.unavailable` (without
it, password guessing would go unchecked).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry
from redis.asyncio import Redis

from service.domain.errors import Unavailable
from service.settings import Settings
from service.store.outages import is_outage

log = logging.getLogger(__name__)

CACHE = "cache"
FAIL_OPEN = frozenset({CACHE, "public_rate_limit"})  # the rest refuse while Redis is away
TIMEOUT_SECONDS = 1.0

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Stores:
    registry: StoreRegistry
    ping: Callable[[], Awaitable[object]] | None  # None: in memory, nothing to reach

    @property
    def cache(self) -> Guarded | LocalStore:
        """The public views' cache (what `Services.cache` is)."""
        store = self.registry.get(CACHE)
        assert isinstance(store, Guarded | LocalStore)
        return store


def build_stores(settings: Settings) -> Stores:
    if not settings.redis_url:
        return Stores(StoreRegistry(default_factory=lambda _name: LocalStore()), None)
    client = Redis.from_url(
        settings.redis_url,
        socket_timeout=TIMEOUT_SECONDS,
        socket_connect_timeout=TIMEOUT_SECONDS,
    )
    shared = RedisStore(client, namespace="officer-cert")
    breaker = Breaker()

    def store(name: str) -> Store:
        return Guarded(shared.with_namespace(name), breaker, name=name, fail_open=name in FAIL_OPEN)

    return Stores(StoreRegistry(default_factory=store), client.ping)


def cache_store(settings: Settings) -> Guarded | LocalStore:
    return build_stores(settings).cache


class Breaker:
    """Whether to call Redis now: not for `PAUSE_SECONDS` after a call failed. `outages`
    counts the times it went from answering to not answering (see `PublicGeneration`)."""

    PAUSE_SECONDS = 2.0

    def __init__(self) -> None:
        self.outages = 0
        self._down = False
        self._closed_until = 0.0

    def allows(self) -> bool:
        return time.monotonic() >= self._closed_until

    def failed(self) -> None:
        if not self._down:
            self._down = True
            self.outages += 1
        self._closed_until = time.monotonic() + self.PAUSE_SECONDS

    def answered(self) -> None:
        self._down = False


class Guarded(Store):
    """A store whose backend may be away: failing open (a read finds nothing, a write is
    dropped) or closed (503 `service.unavailable`), and saying so in the log at most
    every `QUIET_SECONDS`."""

    QUIET_SECONDS = 30.0

    def __init__(self, inner: Store, breaker: Breaker, *, name: str, fail_open: bool) -> None:
        self.inner = inner
        self.breaker = breaker
        self.name = name
        self.fail_open = fail_open
        self._said = 0.0
        self._hit: Any = None  # the rate limit's script, registered on first use

    @property
    def outages(self) -> int:
        """How many times the backend went away since this process started."""
        return self.breaker.outages

    async def _call(self, operation: Callable[[], Awaitable[T]], away: T) -> T:
        if not self.breaker.allows():
            return self._away(None, away)
        try:
            result = await operation()
        except Exception as error:
            if not is_outage(error):
                raise
            self.breaker.failed()
            return self._away(error, away)
        self.breaker.answered()
        return result

    def _away(self, error: BaseException | None, away: T) -> T:
        now = time.monotonic()
        if error is not None and now - self._said > self.QUIET_SECONDS:
            self._said = now
            how = "carrying on without it" if self.fail_open else "refusing until it is back"
            log.warning("Redis does not answer for store %r (%r): %s", self.name, error, how)
        if not self.fail_open:
            raise Unavailable(
                "The shared store (Redis) does not answer; try again shortly.",
                code="service.unavailable",
            )
        return away

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        return await self._call(lambda: self.inner.get(key, renew_for), None)

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        await self._call(lambda: self.inner.set(key, value, expires_in), None)

    async def delete(self, key: str) -> None:
        await self._call(lambda: self.inner.delete(key), None)

    async def delete_all(self) -> None:
        await self._call(lambda: self.inner.delete_all(), None)

    async def exists(self, key: str) -> bool:
        return await self._call(lambda: self.inner.exists(key), False)

    async def expires_in(self, key: str) -> int | None:
        return await self._call(lambda: self.inner.expires_in(key), None)

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        """The values of these keys, in one round trip."""
        inner = self.inner
        if not isinstance(inner, RedisStore):  # pragma: no cover - Guarded wraps Redis
            return [await self.get(key) for key in keys]
        names = [inner._make_key(key) for key in keys]

        async def read() -> list[bytes | None]:
            found = await inner._redis.mget(names)
            return [value.encode() if isinstance(value, str) else value for value in found]

        return await self._call(read, [None] * len(keys))

    async def hit(self, key: str, now: float, window: int, limit: int) -> tuple[int, float]:
        """A request counted against `limit` in the `window` seconds before `now`, in one
        atomic round trip: the requests counted there with this one (a refused one is not
        kept), and when the oldest of them was made."""
        inner = self.inner
        if not isinstance(inner, RedisStore):  # pragma: no cover - Guarded wraps Redis
            raise TypeError("a rate limit needs Redis or the local store")
        if self._hit is None:
            self._hit = inner._redis.register_script(_HIT)

        async def counted() -> tuple[int, float]:
            assert self._hit is not None
            member = f"{now:.6f}:{secrets.token_hex(4)}"
            count, oldest = await self._hit(
                keys=[inner._make_key(key)], args=[now, window, limit, member]
            )
            return int(count), float(oldest)

        return await self._call(counted, (0, now))


# KEYS[1]: the client's requests, scored by time; ARGV: now, window, limit, a member.
_HIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local count = redis.call('ZCARD', KEYS[1]) + 1
if count <= tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
  redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) + 1)
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {count, oldest[2] or ARGV[1]}
"""


class LocalStore(Store):
    """A store in this process's memory, for one event loop.

    Unlike Litestar's MemoryStore it takes no lock: no operation awaits anything, so each
    one is atomic on the event loop already, and the public endpoints do four of them per
    request. Expired entries are swept whenever the store has doubled since the last
    sweep, so one-off clients of the rate limiter do not pile up.
    """

    MIN_SWEEP = 1_024

    outages = 0  # memory never goes away

    def __init__(self) -> None:
        self._data: dict[str, tuple[bytes, float | None]] = {}
        self._sweep_at = self.MIN_SWEEP
        self._hits: dict[str, deque[float]] = {}
        self._hits_sweep_at = self.MIN_SWEEP

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        return [await self.get(key) for key in keys]

    async def hit(self, key: str, now: float, window: int, limit: int) -> tuple[int, float]:
        """As `Guarded.hit`, in this process's memory."""
        times = self._hits.setdefault(key, deque())
        while times and times[0] <= now - window:
            times.popleft()
        count = len(times) + 1
        if count <= limit:
            times.append(now)
        if len(self._hits) >= self._hits_sweep_at:  # one-off clients do not pile up
            self._hits = {k: t for k, t in self._hits.items() if t and t[-1] > now - window}
            self._hits_sweep_at = max(self.MIN_SWEEP, 2 * len(self._hits))
        return count, times[0] if times else now

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode() if isinstance(value, str) else value
        self._data[key] = (data, _deadline(expires_in))
        if len(self._data) >= self._sweep_at:
            now = time.monotonic()
            self._data = {k: v for k, v in self._data.items() if v[1] is None or v[1] > now}
            self._sweep_at = max(self.MIN_SWEEP, 2 * len(self._data))

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        found = self._data.get(key)
        if found is None:
            return None
        data, deadline = found
        if deadline is not None and deadline <= time.monotonic():
            del self._data[key]
            return None
        if renew_for and deadline is not None:
            self._data[key] = (data, _deadline(renew_for))
        return data

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def delete_all(self) -> None:
        self._data.clear()

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        found = self._data.get(key)
        if found is None or found[1] is None:
            return None
        return max(0, int(found[1] - time.monotonic()))

    def __len__(self) -> int:
        return len(self._data)

    def __bool__(self) -> bool:
        """A store, empty or not (the store registry makes a new one for a falsy one)."""
        return True


def _deadline(expires_in: int | timedelta | None) -> float | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    return time.monotonic() + seconds
