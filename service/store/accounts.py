"""Accounts' sessions as stored: the generation an access token must name, the refresh
tokens of a login (its family), the admin's cookie sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F

from service.domain.access import Role, Scope
from service.domain.organisation import RegionLevel, region_prefix
from service.store import sql
from service.store.models import Account, AdminSession, RefreshToken


@dataclass(frozen=True, slots=True)
class SessionState:
    active: bool
    generation: int
    family_alive: bool  # a refresh token of the login is still unrevoked
    role: Role  # what the account is now: a token issued for another role or scope
    scope: Scope  # no longer holds, however the account was changed


_STATE = """
SELECT a.active, a.session_generation, a.role, a.agency_id, a.region_id, g.level,
  EXISTS (SELECT 1 FROM refresh_tokens r
          WHERE r.account_id = a.id AND r.family = ? AND r.revoked_at IS NULL) AS alive
FROM accounts a LEFT JOIN regions g ON g.code = a.region_id WHERE a.id = ?
"""


async def session_state(account_id: int, family: str) -> SessionState | None:
    """What decides whether an access token of this account and login still holds: one
    indexed read. None when the account is gone."""
    rows = await sql.fetch(_STATE, [family, account_id])
    if not rows:
        return None
    row = rows[0]
    if row["agency_id"] is not None:
        scope = Scope(agency_id=int(row["agency_id"]))
    elif row["region_id"] is not None and row["level"] is not None:
        scope = Scope(region_prefix=region_prefix(row["region_id"], RegionLevel(row["level"])))
    else:
        scope = Scope()
    return SessionState(
        active=bool(row["active"]),
        generation=int(row["session_generation"]),
        family_alive=bool(row["alive"]),
        role=Role(row["role"]),
        scope=scope,
    )


async def end_sessions(account_id: int, now: datetime) -> None:
    """End every session of the account: the generation moves on (its access tokens stop
    holding), its refresh tokens are revoked, its admin sessions deleted."""
    await Account.filter(id=account_id).update(session_generation=F("session_generation") + 1)
    await RefreshToken.filter(account_id=account_id, revoked_at=None).update(revoked_at=now)
    await AdminSession.filter(user_id=account_id).delete()
