"""API keys of machine clients (a provincial platform, a national one): made and revoked
by the operator (`officer-cert api-keys`), sent as `Authorization: Bearer <key>`.

A key is 256 random bits, shown once; only its SHA-256 is kept, which is enough for a
key of that strength (a slow hash guards guessable secrets, not random ones). A key is
bound to a region and to scopes; today the one scope is `exchange:read`, and nothing but
the exchange endpoints accepts a key.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from service.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthenticated
from service.domain.organisation import region_prefix
from service.domain.text import collapse
from service.store.models import ApiKey, Region
from service.usecases.services import Services

log = logging.getLogger(__name__)

PREFIX = "ock_"  # officer-cert key: tells a key from an access token at a glance
SCOPES = frozenset({"exchange:read"})
TOUCH_EVERY = timedelta(minutes=1)  # how stale `last_used_at` may be, to spare a write a request


@dataclass(frozen=True, slots=True)
class ApiClient:
    """The client a valid key stands for."""

    key_id: int
    name: str
    region_code: str
    region_prefix: str
    scopes: frozenset[str]

    def require(self, scope: str) -> None:
        """Raises Forbidden `auth.scope_missing` unless the key has `scope`."""
        if scope not in self.scopes:
            raise Forbidden(f"This API key lacks the scope {scope}.", code="auth.scope_missing")


@dataclass(frozen=True, slots=True)
class NewKey:
    record: ApiKey
    key: str  # shown once


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


async def create_key(services: Services, name: str, region_code: str, scopes: list[str]) -> NewKey:
    """A new key for `name`, limited to the region (and the regions inside it).

    Raises InvalidInput (`api_key.bad_name`, `api_key.bad_region`, `api_key.bad_scope`),
    Conflict `api_key.duplicate_name`.
    """
    name = collapse(name)
    if not 1 <= len(name) <= 50:
        raise InvalidInput("A key's name has 1 to 50 characters.", code="api_key.bad_name")
    region = await Region.get_or_none(code=region_code)
    if region is None:
        raise InvalidInput(f"No region has the code {region_code!r}.", code="api_key.bad_region")
    unknown = sorted(set(scopes) - SCOPES)
    if unknown or not scopes:
        raise InvalidInput(
            f"Unknown scopes {unknown}: the scopes are {sorted(SCOPES)}.", code="api_key.bad_scope"
        )
    key = PREFIX + secrets.token_urlsafe(32)
    try:
        record = await ApiKey.create(
            name=name,
            key_hash=_hash(key),
            hint=key[: len(PREFIX) + 6],
            region_id=region.code,
            scopes=sorted(set(scopes)),
        )
    except IntegrityError:
        raise Conflict(f"A key named {name!r} exists.", code="api_key.duplicate_name") from None
    log.info("API key %r made for region %s, scopes %s", name, region.code, ",".join(scopes))
    return NewKey(record, key)


async def revoke_key(services: Services, name: str) -> ApiKey:
    """End the key: it is refused from the next request on. Raises NotFound
    `api_key.not_found`; revoking a revoked key changes nothing."""
    record = await ApiKey.get_or_none(name=collapse(name))
    if record is None:
        raise NotFound(f"No API key is named {name!r}.", code="api_key.not_found")
    if record.revoked_at is None:
        record.revoked_at = services.now()
        await record.save(update_fields=["revoked_at"])
        log.info("API key %r revoked", record.name)
    return record


async def list_keys() -> list[ApiKey]:
    return list(await ApiKey.all().order_by("id"))


async def authenticate(services: Services, key: str) -> ApiClient:
    """The client of a key. Raises Unauthenticated `auth.bad_api_key` (unknown) or
    `auth.api_key_revoked`."""
    record = await ApiKey.get_or_none(key_hash=_hash(key)).select_related("region")
    if record is None:
        raise Unauthenticated("Unknown API key.", code="auth.bad_api_key")
    if record.revoked_at is not None:
        raise Unauthenticated("This API key was revoked.", code="auth.api_key_revoked")
    now = services.now()
    if record.last_used_at is None or now - record.last_used_at > TOUCH_EVERY:
        await ApiKey.filter(id=record.id).update(last_used_at=now)
    region: Region = record.region
    return ApiClient(
        key_id=record.id,
        name=record.name,
        region_code=region.code,
        region_prefix=region_prefix(region.code, region.level),
        scopes=frozenset(record.scopes),
    )
