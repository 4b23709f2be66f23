"""Accounts' sessions as stored: the generation an access token must name, the refresh
tokens of a login (its family), the admin's cookie sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F

from service.store import sql
from service.store.models import Account, AdminSession, RefreshToken


@dataclass(frozen=True, slots=True)
class SessionState:
    active: bool
    generation: int
    family_alive: bool  # a refresh token of the login is still unrevoked


_STATE = """
SELECT a.active, a.session_generation,
  EXISTS (SELECT 1 FROM refresh_tokens r
          WHERE r.account_id = a.id AND r.family = ? AND r.revoked_at IS NULL) AS alive
FROM accounts a WHERE a.id = ?
"""


async def session_state(account_id: int, family: str) -> SessionState | None:
    """What decides whether an access token of this account and login still holds: one
    indexed read. None when the account is gone."""
    rows = await sql.fetch(_STATE, [family, account_id])
    if not rows:
        return None
    row = rows[0]
    return SessionState(bool(row["active"]), int(row["session_generation"]), bool(row["alive"]))


async def end_sessions(account_id: int, now: datetime) -> None:
    """End every session of the account: the generation moves on (its access tokens stop
    holding), its refresh tokens are revoked, its admin sessions deleted."""
    await Account.filter(id=account_id).update(session_generation=F("session_generation") + 1)
    await RefreshToken.filter(account_id=account_id, revoked_at=None).update(revoked_at=now)
    await AdminSession.filter(user_id=account_id).delete()
