"""The API docs at /schema: Swagger UI served from the package itself (vendored under
`static/swagger-ui/` with its licence), so they render on an intranet with no internet."""

from __future__ import annotations

from pathlib import Path

from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.router import Router

from service.web.vendored import served

SWAGGER_UI_VERSION = "5.18.2"  # of the vendored files
ASSETS = "/schema/assets"
_FILES = Path(__file__).parent / "static" / "swagger-ui"


def swagger_ui() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        version=SWAGGER_UI_VERSION,
        js_url=f"{ASSETS}/swagger-ui-bundle.js",
        css_url=f"{ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS}/favicon-32x32.png'>",
    )


def assets() -> Router:
    return served(ASSETS, _FILES)
