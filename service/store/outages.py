"""What a dependency that is away looks like, as the drivers raise it: the one test the
web's error mapping (503 instead of 500) and the Redis stores (fail open or closed) use.

A database or Redis is away when a connection is refused, dropped or timed out; when
asyncpg's pool cannot give one or finds it broken ("another operation is in progress",
"cannot switch to state" after a connection was killed mid-reply); when PostgreSQL
itself refuses (shutting down or not accepting connections: classes 57 and 55; out of
connections or resources: 53); when uvloop refuses to write to a connection the peer
reset while it sat in a pool; and when a SQLite file stays locked past its timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3

import asyncpg  # type: ignore[import-untyped]
from redis.exceptions import RedisError
from tortoise.exceptions import DBConnectionError

_OUTAGES: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable (ConnectionError is one)
    asyncio.TimeoutError,
    RedisError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.OperatorInterventionError,
    asyncpg.ObjectNotInPrerequisiteStateError,
    asyncpg.InsufficientResourcesError,
    DBConnectionError,
)


def _says_away(error: BaseException) -> bool:
    return (
        isinstance(error, _OUTAGES)
        or (isinstance(error, sqlite3.OperationalError) and "locked" in str(error))
        or (isinstance(error, RuntimeError) and "TCPTransport closed" in str(error))
    )


def is_outage(error: BaseException) -> bool:
    """Whether the error, or one it was raised from or during, says a dependency is
    away (rather than that the request or the code is wrong)."""
    seen: BaseException | None = error
    for _ in range(10):
        if seen is None:
            return False
        if _says_away(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
