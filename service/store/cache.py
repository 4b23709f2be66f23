"""Key-value stores: Redis when `REDIS_URL` is set (shared by every process), else memory.

The rate limiters use them through Litestar's store registry, the public-view cache
through `Services.cache`; both come from here so they agree on the backend.
"""

from __future__ import annotations

import time
from datetime import timedelta

from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry

from service.settings import Settings

CACHE = "cache"


def store_registry(settings: Settings) -> StoreRegistry:
    if settings.redis_url:
        redis = RedisStore.with_client(url=settings.redis_url, namespace="officer-cert")
        return StoreRegistry(default_factory=redis.with_namespace)
    return StoreRegistry(default_factory=lambda _name: LocalStore())


def cache_store(settings: Settings, registry: StoreRegistry | None = None) -> Store:
    return (registry or store_registry(settings)).get(CACHE)


class LocalStore(Store):
    """A store in this process's memory, for one event loop.

    Unlike Litestar's MemoryStore it takes no lock: no operation awaits anything, so each
    one is atomic on the event loop already, and the public endpoints do four of them per
    request. Expired entries are swept whenever the store has doubled since the last
    sweep, so one-off clients of the rate limiter do not pile up.
    """

    MIN_SWEEP = 1_024

    def __init__(self) -> None:
        self._data: dict[str, tuple[bytes, float | None]] = {}
        self._sweep_at = self.MIN_SWEEP

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


def _deadline(expires_in: int | timedelta | None) -> float | None:
    if expires_in is None:
        return None
    seconds = expires_in.total_seconds() if isinstance(expires_in, timedelta) else expires_in
    return time.monotonic() + seconds
