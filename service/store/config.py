"""Tortoise configuration, built from the settings.

`TORTOISE_ORM` is what `tortoise makemigrations` / `tortoise migrate` read (see
`[tool.tortoise]` in pyproject.toml); it is computed on first access so importing this
module reads no environment.
"""

from __future__ import annotations

from typing import Any

MODELS_MODULE = "service.store.models"
MIGRATIONS_MODULE = "migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
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


def __getattr__(name: str) -> Any:
    if name == "TORTOISE_ORM":
        from service.settings import get_settings

        settings = get_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        return tortoise_config(settings.database_url)
    raise AttributeError(name)
