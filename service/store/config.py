"""Tortoise configuration, built from the settings.

`TORTOISE_ORM` is what `tortoise makemigrations` / `tortoise migrate` read (see
`[tool.tortoise]` in pyproject.toml); it is computed on first access so importing this
module reads no environment.
"""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

MODELS_MODULE = "service.store.models"
MIGRATIONS_MODULE = "migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    connection: str | dict[str, Any] = database_url
    if not database_url.startswith("sqlite"):
        connection = expand_db_url(database_url)
        connection["credentials"]["reset"] = _keep_session
    return {
        "connections": {"default": connection},
        "apps": {
            "models": {
                "models": [MODELS_MODULE],
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def _keep_session(connection: Any) -> None:
    """Release a PostgreSQL connection to the pool without asyncpg's default `RESET ALL`
    round trip. asyncpg still rolls back a transaction left open before calling this;
    the rest of a session's state (LISTEN, advisory locks, SET, open cursors) is
    never used by this service, so there is nothing else to reset."""


def __getattr__(name: str) -> Any:
    if name == "TORTOISE_ORM":
        from service.settings import get_settings

        settings = get_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return tortoise_config(settings.database_url)
    raise AttributeError(name)
