"""Logs: one line per request and per event, plain text locally or one JSON object per
line (`LOG_FORMAT=json`), each with the request's id.

What a log line never holds: a password, a token or an ID number. So the request line
names the route template (`/verify/{number}`), never the path or the query; errors are
logged with their type and stack but without their message (a database error's text can
quote the row, e.g. an ID number in a duplicate key); the query logs of Tortoise and the
drivers, which print parameters, stay off whatever LOG_LEVEL says.

The id comes from the caller's `X-Request-ID` when it is a plain token (a proxy's), else
is made here, and is sent back in `X-Request-ID` (`service.web.logs`).
"""

from __future__ import annotations

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="-")

# Fields a record may carry besides its message (`extra=`), kept in the JSON line.
_FIELDS = ("method", "route", "status", "duration_ms", "client", "error")


class WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):  # the access line names its own
            record.request_id = REQUEST_ID.get()
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, and the
    record's known extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in _FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[1] is not None:
            line["exception"] = stack_of(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False)


class TextLines(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: Any) -> str:
        return stack_of(ei[1])


def stack_of(error: BaseException) -> str:
    """The error's type and where it was raised, without its message (which may quote
    data), for each error in its chain."""
    parts = []
    seen: BaseException | None = error
    while seen is not None and len(parts) < 5:
        frames = "".join(traceback.format_tb(seen.__traceback__))
        parts.append(
            f"{type(seen).__module__}.{type(seen).__qualname__} (message withheld)\n{frames}"
        )
        seen = seen.__cause__ or seen.__context__
    return "\nwhile handling\n".join(parts)


QUERY_LOGGERS = ("tortoise", "tortoise.db_client", "aiosqlite", "asyncpg", "piccolo")


def logging_config(log_format: str, level: str) -> dict[str, Any]:
    """A `logging.config.dictConfig` (uvicorn takes it as `log_config`)."""
    formatter = "json" if log_format == "json" else "text"
    quiet = "INFO" if level.upper() == "DEBUG" else level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": WithRequestId}},
        "formatters": {
            "json": {"()": JsonLines},
            "text": {"()": TextLines},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": formatter,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # Their own handlers would print lines in their own format: everything goes
            # through the root's.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            # The database drivers log every query with its parameters at DEBUG: never.
            **{name: {"level": quiet} for name in QUERY_LOGGERS},
            "asyncio": {"level": "WARNING"},
        },
    }
