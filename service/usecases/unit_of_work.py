"""The unit of work: a use case's writes in one transaction, and what must happen once
they have committed.

    async with services.unit_of_work() as uow:
        ...writes...
        uow.public_views_changed()      # or uow.after_commit("name", hook)

The hooks run only after a successful commit, each once however often it was registered.
A unit of work opened inside another is a savepoint: its hooks join the outer one's if
it succeeds and are dropped if it rolls back, so nothing runs for a change that was
undone. A hook that fails is logged and retried in the background; it never turns a
committed change into an error for the caller.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from tortoise.transactions import in_transaction

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]
_current: ContextVar[UnitOfWork | None] = ContextVar("unit_of_work", default=None)


class AfterCommit:
    """Runs committed units of work's hooks: each at once; a failing one again after
    `first_delay` seconds, the wait doubling up to `max_delay`, until it succeeds or
    `give_up_after` seconds have passed, then it is given up with an error in the log.

    The public cache's invalidation is such a hook: retried every second while Redis is
    away, a view cached before the change outlives Redis's return by a second at most.
    """

    def __init__(
        self, *, first_delay: float = 0.2, max_delay: float = 1.0, give_up_after: float = 300.0
    ) -> None:
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.give_up_after = give_up_after
        self._retrying: set[asyncio.Task[None]] = set()

    async def run(self, hooks: dict[str, Hook]) -> None:
        for name, hook in hooks.items():
            try:
                await hook()
            except Exception:  # a hook's failure must not fail the committed change
                log.warning("after-commit hook %r failed; retrying", name, exc_info=True)
                task = asyncio.create_task(self._retry(name, hook))
                self._retrying.add(task)
                task.add_done_callback(self._retrying.discard)

    async def _retry(self, name: str, hook: Hook) -> None:
        deadline = time.monotonic() + self.give_up_after
        delay, attempt = self.first_delay, 1
        while True:
            await asyncio.sleep(delay)
            attempt += 1
            try:
                await hook()
            except Exception:
                log.warning("after-commit hook %r failed (try %d)", name, attempt, exc_info=True)
            else:
                log.info("after-commit hook %r succeeded on try %d", name, attempt)
                return
            if time.monotonic() + delay >= deadline:
                log.error("after-commit hook %r failed %d times; given up", name, attempt)
                return
            delay = min(delay * 2, self.max_delay)

    @property
    def retrying(self) -> int:
        """Hooks waiting for another try."""
        return len(self._retrying)

    async def drain(self) -> None:
        """Wait for the hooks being retried (before a process exits)."""
        while self._retrying:
            await asyncio.gather(*self._retrying, return_exceptions=True)


class UnitOfWork:
    """One transaction (a savepoint inside another unit of work) and its after-commit
    hooks. Use it with `async with`; `Services.unit_of_work()` makes one."""

    def __init__(self, runner: AfterCommit, invalidate_public_views: Hook) -> None:
        self._runner = runner
        self._invalidate_public_views = invalidate_public_views
        self._hooks: dict[str, Hook] = {}
        self._transaction: Any = None
        self._parent: UnitOfWork | None = None
        self._token: Token[UnitOfWork | None] | None = None

    def after_commit(self, name: str, hook: Hook) -> None:
        """Run `hook` once the outermost unit of work has committed (once per name)."""
        self._hooks.setdefault(name, hook)

    def public_views_changed(self) -> None:
        """What this unit writes shows in a public view or the status list: move the
        public cache to a new generation after the commit (see `usecases.verification`)."""
        self.after_commit("public views changed", self._invalidate_public_views)

    async def __aenter__(self) -> UnitOfWork:
        self._parent = _current.get()
        self._transaction = in_transaction()
        await self._transaction.__aenter__()
        self._token = _current.set(self)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _current.reset(self._token)
        await self._transaction.__aexit__(exc_type, exc, traceback)
        if exc_type is not None:
            return  # rolled back: the hooks go with it
        if self._parent is not None:
            for name, hook in self._hooks.items():
                self._parent.after_commit(name, hook)
        else:
            await self._runner.run(self._hooks)
