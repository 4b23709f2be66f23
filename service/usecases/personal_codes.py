"""An officer's personal check-in code, for rooms with no signal: the organiser's phone
scans it (offline if need be) and uploads the scans later.

The code is a compact EdDSA JWT of the check-in ring naming the officer (id and name, so
the organiser's page shows who it scanned without a network) and a 60-second window. The
phone fetches the next hour's codes while it has a network, so the page keeps working
offline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.domain.access import Principal
from service.domain.errors import DomainError, Forbidden, InvalidInput
from service.domain.training import window_of
from service.store.models import Officer
from service.usecases.services import Services

SECONDS = 60
MOST_AHEAD = 60  # codes fetched at once: an hour's


@dataclass(frozen=True, slots=True)
class PersonalCode:
    code: str
    valid_from: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Holder:
    officer_id: int
    name: str
    window: int


def _bounds(window: int) -> tuple[datetime, datetime]:
    return (
        datetime.fromtimestamp(window * SECONDS, UTC),
        datetime.fromtimestamp((window + 1) * SECONDS, UTC),
    )


async def personal_codes(
    services: Services, principal: Principal, ahead: int
) -> list[PersonalCode]:
    """This window's code and the next `ahead` ones (at most MOST_AHEAD). Raises Forbidden
    (not an officer)."""
    if principal.officer_id is None:
        raise Forbidden("Only officers have a check-in code.", code="auth.wrong_kind")
    officer = await Officer.get(id=principal.officer_id)
    now_window = window_of(services.now(), SECONDS)
    found = []
    for window in range(now_window, now_window + 1 + max(0, min(ahead, MOST_AHEAD))):
        claims = {"o": officer.id, "n": officer.name, "w": window, "pc": 1}
        start, end = _bounds(window)
        found.append(PersonalCode(await services.checkin_tokens.sign(claims), start, end))
    return found


async def holder_of(services: Services, code: str, scanned_at: datetime) -> Holder:
    """Whose code this is, if it is genuine and was current when scanned (its window, or
    the one after, for a phone clock a little behind). Raises InvalidInput
    `checkin.token_invalid`, `checkin.token_expired`."""
    try:
        claims: dict[str, Any] = await services.checkin_tokens.verify(code)
    except DomainError:
        raise _invalid() from None
    if claims.get("pc") != 1:
        raise _invalid()
    try:
        holder = Holder(int(claims["o"]), str(claims["n"]), int(claims["w"]))
    except (KeyError, TypeError, ValueError):
        raise _invalid() from None
    if window_of(scanned_at, SECONDS) - holder.window not in (0, 1):
        raise InvalidInput(
            "The code was not current when it was scanned.",
            code="checkin.token_expired",
            field="code",
        )
    return holder


def _invalid() -> InvalidInput:
    return InvalidInput(
        "Not an officer's check-in code.", code="checkin.token_invalid", field="code"
    )
