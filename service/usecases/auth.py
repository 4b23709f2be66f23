"""Logging in, refreshing and logging out; reading the caller from an access token."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from functools import lru_cache

from tortoise.exceptions import IntegrityError

from service.domain.access import Principal, Role, Scope
from service.domain.errors import Forbidden, InvalidInput, Unauthenticated
from service.security.passwords import hash_password, verify_password
from service.store.models import Account, Device, RefreshToken, Region
from service.store.scoping import scope_of
from service.usecases.login_sessions import Login
from service.usecases.services import Services

DEVICE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,100}$")


@lru_cache(maxsize=4)
def _dummy_hash(iterations: int) -> str:
    """Checked against when the username is unknown, so that path costs the same time
    as a wrong password and does not tell which usernames exist."""
    return hash_password(secrets.token_hex(8), iterations=iterations)


class ClientKind(StrEnum):
    STAFF = "staff"
    OFFICER = "officer"


@dataclass(frozen=True, slots=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int


async def login(
    services: Services,
    username: str,
    password: str,
    *,
    kind: ClientKind,
    device_id: str | None = None,
) -> TokenPair:
    """Check the password and issue an access and a refresh token.

    For officers, records the device (the first one becomes the bound device).
    Raises Unauthenticated (`auth.invalid_credentials`), Forbidden (`auth.wrong_kind`
    when a staff account uses the officers' login or the reverse), InvalidInput
    (`auth.bad_device_id`).
    """
    if kind is ClientKind.OFFICER and (device_id is None or not DEVICE_ID.match(device_id)):
        raise InvalidInput(
            "device_id must be 8 to 100 letters, digits or ._:-", code="auth.bad_device_id"
        )
    account = await authenticate(services, username, password)
    _check_kind(account, kind)
    if kind is ClientKind.OFFICER and device_id is not None:
        await _record_device(account, device_id, services)
    async with services.unit_of_work():
        await _logged_in(services, account)
        return await _issue(services, account, family=secrets.token_hex(16))


async def authenticate(services: Services, username: str, password: str) -> Account:
    """The active account whose password this is (checked off the event loop). An
    unknown username costs the same time as a wrong password, so the answer does not
    tell which usernames exist. Raises Unauthenticated `auth.invalid_credentials`."""
    account = await Account.get_or_none(username=username.strip())
    stored = account.password if account else _dummy_hash(services.settings.password_iterations)
    matches = await asyncio.to_thread(verify_password, password, stored)
    if account is None or not matches or not account.active:
        raise Unauthenticated("Wrong username or password.", code="auth.invalid_credentials")
    return account


async def _logged_in(services: Services, account: Account) -> None:
    account.last_login = services.clock.now()
    await account.save(update_fields=["last_login"])


async def staff_login(
    services: Services, username: str, password: str, *, roles: Collection[Role]
) -> Principal:
    """The admin's login: the account whose password this is, if its role is one of
    `roles`, as a principal, its last login recorded (the admin keeps its own session,
    so no tokens are issued). Raises Unauthenticated `auth.invalid_credentials`,
    Forbidden `auth.wrong_kind`."""
    account = await authenticate(services, username, password)
    if account.role not in roles:
        raise Forbidden("This account may not log in here.", code="auth.wrong_kind")
    async with services.unit_of_work():
        await _logged_in(services, account)
    return await staff_principal(account.id)


async def refresh(services: Services, refresh_token: str) -> TokenPair:
    """Exchange a refresh token for a new pair; the old one is revoked.

    Presenting a token that was already used revokes its whole family (it was stolen
    or replayed). Raises Unauthenticated (`auth.invalid_refresh_token`).
    """
    now = services.clock.now()
    async with services.unit_of_work():
        # Lock the token row alone: PostgreSQL refuses FOR UPDATE across an outer join.
        stored = (
            await RefreshToken.filter(token_hash=_digest(refresh_token)).select_for_update().first()
        )
        if stored is not None and stored.revoked_at is not None:
            # A replay: revoke the whole login, committed before refusing.
            await RefreshToken.filter(family=stored.family, revoked_at=None).update(revoked_at=now)
            services.session_checks.forget(stored.account_id)  # type: ignore[attr-defined]
        elif stored is not None:
            account = await Account.get(id=stored.account_id)  # type: ignore[attr-defined]
            if stored.expires_at > now and account.active:
                stored.revoked_at = now
                await stored.save(update_fields=["revoked_at"])
                return await _issue(services, account, family=stored.family)
    raise _bad_refresh()


async def logout(services: Services, refresh_token: str) -> None:
    """End the login: its refresh tokens are revoked, so its access tokens stop holding
    too. Unknown tokens are ignored (logout is idempotent)."""
    stored = await RefreshToken.get_or_none(token_hash=_digest(refresh_token))
    if stored is not None:
        await RefreshToken.filter(family=stored.family, revoked_at=None).update(
            revoked_at=services.clock.now()
        )
        services.session_checks.forget(stored.account_id)  # type: ignore[attr-defined]


async def read_access_token(services: Services, token: str) -> Login:
    """Who a verified access token names, and the session it was issued in (not yet
    checked against the account: see `caller`). Raises Unauthenticated."""
    claims = await services.access_tokens.decode(token, now=services.clock.now())
    try:
        role = Role(claims["role"])
        agency = claims.get("ag")
        officer = claims.get("off")
        principal = Principal(
            account_id=int(claims["sub"]),
            username=str(claims["usr"]),
            role=role,
            scope=Scope(region_prefix=claims.get("rp"), agency_id=int(agency) if agency else None),
            officer_id=int(officer) if officer else None,
        )
        return Login(principal, int(claims["gen"]), str(claims["fam"]))
    except (KeyError, ValueError, TypeError):
        raise Unauthenticated("The token is not valid.", code="auth.invalid_token") from None


async def caller(services: Services, token: str) -> Principal:
    """The caller an access token names, if the token is genuine and unexpired and its
    login has not ended since (see `login_sessions`). Raises Unauthenticated
    (`auth.invalid_token`, `auth.token_expired`, `auth.session_ended`)."""
    return await services.session_checks.require(await read_access_token(services, token))


def access_claims(account: Account, scope: Scope, family: str) -> dict[str, object]:
    """What an access token of this account's login `family` says (`read_access_token`
    reads it back); the login holds while a refresh token of the family is unrevoked."""
    return {
        "sub": str(account.id),
        "usr": account.username,
        "role": account.role.value,
        "rp": scope.region_prefix,
        "ag": scope.agency_id,
        "off": account.officer_id,  # type: ignore[attr-defined]
        "gen": account.session_generation,
        "fam": family,
    }


async def _issue(services: Services, account: Account, *, family: str) -> TokenPair:
    claims = access_claims(account, await _scope(account), family)
    now = services.clock.now()
    ttl = timedelta(minutes=services.settings.access_token_minutes)
    access = await services.access_tokens.encode(claims, now=now, ttl=ttl)
    refresh_token = secrets.token_urlsafe(32)
    await RefreshToken.create(
        account=account,
        token_hash=_digest(refresh_token),
        family=family,
        issued_at=now,
        expires_at=now + timedelta(days=services.settings.refresh_token_days),
    )
    return TokenPair(access, refresh_token, int(ttl.total_seconds()))


def _check_kind(account: Account, kind: ClientKind) -> None:
    is_officer = account.role is Role.OFFICER
    if is_officer != (kind is ClientKind.OFFICER):
        where = "the officers' app" if not is_officer else "the staff API"
        raise Forbidden(f"This account cannot log in to {where}.", code="auth.wrong_kind")


async def _record_device(account: Account, device_id: str, services: Services) -> None:
    now = services.clock.now()
    officer_id = account.officer_id  # type: ignore[attr-defined]
    updated = await Device.filter(officer_id=officer_id, device_id=device_id).update(
        last_seen_at=now
    )
    if not updated:
        # Two logins from one new phone at once: the second finds the row made by the first.
        with contextlib.suppress(IntegrityError):
            await Device.create(
                officer_id=officer_id, device_id=device_id, first_seen_at=now, last_seen_at=now
            )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _bad_refresh() -> Unauthenticated:
    return Unauthenticated(
        "The refresh token is unknown, expired or revoked.", code="auth.invalid_refresh_token"
    )


async def staff_principal(account_id: int) -> Principal:
    """The caller for a staff account found by id (the admin's logged-in user).

    Raises Unauthenticated when the account is gone or inactive, Forbidden
    (`auth.wrong_kind`) for an officer's account.
    """
    account = await Account.get_or_none(id=account_id)
    if account is None or not account.active:
        raise Unauthenticated("The account is not active.", code="auth.inactive")
    if not account.role.is_staff:
        raise Forbidden("Officers use the mobile pages.", code="auth.wrong_kind")
    return Principal(account.id, account.username, account.role, await _scope(account))


async def _scope(account: Account) -> Scope:
    region_code = account.region_id  # type: ignore[attr-defined]
    region = await Region.get_or_none(code=region_code) if region_code else None
    return scope_of(account, region)
