"""Creating accounts: the first superuser, staff accounts, officers' mobile logins."""

from __future__ import annotations

import asyncio
import re
import secrets
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from service.domain.access import Action, Principal, Role
from service.domain.errors import Conflict, InvalidInput, NotFound
from service.security.passwords import hash_password, password_problem
from service.store import accounts as accounts_store
from service.store.lookups import one
from service.store.models import Account, Agency, Region
from service.usecases.auth import staff_principal
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services

_STAFF_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{2,49}$")


@dataclass(frozen=True, slots=True)
class OfficerLogin:
    username: str
    created: bool


async def ensure_superuser(services: Services) -> tuple[str, str | None] | None:
    """At first start with no staff account, create a superuser.

    Uses ADMIN_USERNAME / ADMIN_PASSWORD, or `admin` with a random password, which is
    returned so the caller can print it once. Returns None when staff accounts exist.
    """
    if await Account.exists(role=Role.SUPERADMIN):
        return None
    username = services.settings.admin_username or "admin"
    password = services.settings.admin_password
    generated = password is None
    if password is None:
        password = secrets.token_urlsafe(12)
    await create_staff_account(services, username=username, password=password, role=Role.SUPERADMIN)
    return username, password if generated else None


async def create_staff_account(
    services: Services,
    *,
    username: str,
    password: str,
    role: Role,
    region_code: str | None = None,
    agency_id: int | None = None,
    display_name: str | None = None,
) -> Account:
    """Create a staff account with its jurisdiction.

    A bureau admin needs a region, an agency admin or organiser an agency, a superadmin
    neither. Raises InvalidInput (`account.*`) and Conflict (`account.username_taken`).
    """
    if not role.is_staff:
        raise InvalidInput("Officers' accounts are made from the officer.", code="account.bad_role")
    if not _STAFF_USERNAME.match(username):
        raise InvalidInput(
            "A staff username has 3-50 letters, digits or ._- and starts with a letter.",
            code="account.bad_username",
        )
    if problem := password_problem(password, forbidden=(username,)):
        raise InvalidInput(problem, code="account.weak_password", field="password")
    region = agency = None
    if role is Role.BUREAU_ADMIN:
        region = await Region.get_or_none(code=region_code or "")
        if region is None:
            raise InvalidInput("A bureau admin needs an existing region.", code="account.bad_scope")
    elif role in (Role.AGENCY_ADMIN, Role.ORGANISER):
        agency = await Agency.get_or_none(id=agency_id or 0)
        if agency is None:
            raise InvalidInput(f"A {role} needs an existing agency.", code="account.bad_scope")
    hashed = await _hash(services, password)
    try:
        return await Account.create(
            username=username,
            password=hashed,
            first_name=display_name,
            role=role,
            region=region,
            agency=agency,
            active=True,
            admin=True,
            superuser=role is Role.SUPERADMIN,
        )
    except IntegrityError:
        raise Conflict(f"Username {username} is taken.", code="account.username_taken") from None


async def set_officer_login(
    services: Services, principal: Principal, officer_id: int, password: str
) -> OfficerLogin:
    """Create the officer's mobile login (username: the ID number), or reset its password.

    A reset ends every session of the officer's login (`end_sessions`). Raises NotFound
    (outside the caller's jurisdiction too), InvalidInput (`account.weak_password`),
    Forbidden.
    """
    principal.require(Action.MANAGE_ACCOUNTS)
    officer = await officer_in_scope(principal, officer_id)
    if problem := password_problem(password, forbidden=(officer.id_number,)):
        raise InvalidInput(problem, code="account.weak_password", field="password")
    hashed = await _hash(services, password)
    async with services.unit_of_work():
        account = await Account.filter(officer=officer).select_for_update().first()
        if account is not None:
            account.password = hashed
            await account.save(update_fields=["password"])
            await end_sessions(services, account.id)
            return OfficerLogin(account.username, created=False)
        if await Account.exists(username=officer.id_number):
            raise Conflict("An account already uses this ID number.", code="account.username_taken")
        await Account.create(
            username=officer.id_number,
            password=hashed,
            first_name=officer.name,
            role=Role.OFFICER,
            officer=officer,
            active=True,
        )
        return OfficerLogin(officer.id_number, created=True)


async def change_password(services: Services, username: str, password: str) -> None:
    """Set an account's password (its holder in the admin, an operator on the command
    line) and end every session of the account (`end_sessions`).

    Raises NotFound `account.not_found`, InvalidInput `account.weak_password`.
    """
    account = await one(
        Account.filter(username=username).select_related("officer"),
        code="account.not_found",
        what=f"account {username}",
    )
    officer = account.officer
    forbidden = (account.username, *((officer.id_number,) if officer is not None else ()))
    if problem := password_problem(password, forbidden=forbidden):
        raise InvalidInput(problem, code="account.weak_password", field="password")
    hashed = await _hash(services, password)
    async with services.unit_of_work():
        await Account.filter(id=account.id).update(password=hashed)
        await end_sessions(services, account.id)


async def end_sessions(services: Services, account_id: int) -> None:
    """End every session of an account, on every process: its access tokens stop holding
    (within `login_sessions.CHECK_SECONDS` elsewhere, at once here), its refresh tokens
    are revoked, its admin sessions deleted. Call inside a unit of work, whenever the
    password, the role or the jurisdiction of the account changes."""
    await accounts_store.end_sessions(account_id, services.now())
    services.session_checks.forget(account_id)


async def _hash(services: Services, password: str) -> str:
    return await asyncio.to_thread(
        hash_password, password, iterations=services.settings.password_iterations
    )


async def acting_as(username: str | None) -> Principal:
    """The staff account a command-line task acts as: the one named, or the first
    superadmin. Raises NotFound (`account.not_found`), Forbidden for an officer."""
    query = Account.filter(username=username) if username else Account.filter(role=Role.SUPERADMIN)
    account = await query.order_by("id").first()
    if account is None:
        raise NotFound(f"No staff account {username or '(superadmin)'}.", code="account.not_found")
    return await staff_principal(account.id)
