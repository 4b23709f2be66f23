"""A login's life after its tokens were issued: every request checks that the login still
holds, and a logout, a reuse of a refresh token, a password set or reset, or a change of
role or jurisdiction ends it everywhere.

An access token names its account's session generation (`gen`) and its login's refresh
family (`fam`). A request's token holds while the account is active, its generation is
the account's, the family still has an unrevoked refresh token, and the account's role
and jurisdiction are still those the token names (so a change made any way, even in the
database by hand, ends the login). The database is the
one truth every process shares; each process remembers an answer for at most
`SESSION_CHECK_SECONDS` (5), so an ended session is refused on every process within that
time (and at once on the process that ended it).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from service.domain.access import Principal
from service.domain.errors import Unauthenticated
from service.store import accounts
from service.store.accounts import SessionState

CHECK_SECONDS = 5
REMEMBERED = 10_000  # logins remembered per process, the least recently used dropped


@dataclass(frozen=True, slots=True)
class Login:
    """Who a verified access token names, and the session it was issued in."""

    principal: Principal
    generation: int
    family: str


class SessionChecks:
    """This process's memory of whether logins hold, for at most `CHECK_SECONDS`."""

    def __init__(self, seconds: float = CHECK_SECONDS, size: int = REMEMBERED) -> None:
        self.seconds = seconds
        self.size = size
        self._known: OrderedDict[tuple[int, str], tuple[float, SessionState | None]] = OrderedDict()

    async def require(self, login: Login) -> Principal:
        """The login's principal if the login still holds. Raises Unauthenticated
        `auth.session_ended`."""
        holds = self.known(login)
        if holds is None:
            key = (login.principal.account_id, login.family)
            self._remember(key, await accounts.session_state(*key))
            holds = self.known(login)
        if not holds:
            raise Unauthenticated(
                "This login has ended (logged out, password changed, or the account "
                "changed): log in again.",
                code="auth.session_ended",
            )
        return login.principal

    def known(self, login: Login) -> bool | None:
        """Whether the login holds, as this process knows it (for at most `seconds`), or
        None when it does not know."""
        key = (login.principal.account_id, login.family)
        known = self._known.get(key)
        if known is None or known[0] <= time.monotonic():
            return None
        self._known.move_to_end(key)
        state, principal = known[1], login.principal
        return (
            state is not None
            and state.active
            and state.family_alive
            and state.generation == login.generation
            and state.role is principal.role
            and state.scope == principal.scope
        )

    def vouch(self, login: Login) -> None:
        """Remember that the login holds: a statement that wrote only while it held (the
        one-statement check-in, `checkin_writes.LoginGuard`) has just found so."""
        principal = login.principal
        state = SessionState(True, login.generation, True, principal.role, principal.scope)
        self._remember((principal.account_id, login.family), state)

    def _remember(self, key: tuple[int, str], state: SessionState | None) -> None:
        self._known[key] = (time.monotonic() + self.seconds, state)
        self._known.move_to_end(key)
        if len(self._known) > self.size:
            self._known.popitem(last=False)

    def forget(self, account_id: int) -> None:
        """Drop what this process knows of an account's logins (it just ended them)."""
        for key in [key for key in self._known if key[0] == account_id]:
            del self._known[key]
