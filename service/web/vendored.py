"""Third-party browser code served from the package (each with its licence), so the pages
work on an intranet and, once loaded, offline: jsQR for the organiser's scan page."""

from __future__ import annotations

from pathlib import Path

from litestar.datastructures import CacheControlHeader
from litestar.router import Router
from litestar.static_files import create_static_files_router

JSQR = "/assets/jsqr"  # jsQR 1.4.0 (Apache-2.0): static/jsqr/NOTICE
_FILES = Path(__file__).parent / "static" / "jsqr"


def served(path: str, folder: Path) -> Router:
    """A folder of vendored files at `path`, cached a day by browsers."""
    return create_static_files_router(
        path=path,
        directories=[folder],
        include_in_schema=False,
        cache_control=CacheControlHeader(max_age=86_400, public=True),
    )


def jsqr_assets() -> Router:
    return served(JSQR, _FILES)
