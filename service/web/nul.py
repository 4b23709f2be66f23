"""No NUL character in what a request says.

PostgreSQL's text cannot hold U+0000 and refuses the whole statement; SQLite would store
it. So the character is refused before anything reads it, the same on both databases:
in the path and query (`%00`), in a JSON body (`\\u0000`, an escape no backslash
escapes) and in a form's text fields (a file's bytes are the file's business). The
database's own refusal is answered the same way (`problems`), should text reach it
another way.
"""

from __future__ import annotations

import re
from typing import Any

from litestar import Request
from litestar.types import Scope

from service.domain.errors import InvalidInput

# \u0000 preceded by an even number of backslashes (zero included): an escape, not text.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")
_URL_NUL = (b"%00", b"\x00")
_NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})
_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def bad_text() -> InvalidInput:
    return InvalidInput("Text may not contain the NUL character (U+0000).", code="request.bad_text")


def url_has_nul(scope: Scope) -> bool:
    """Whether the path or the query says U+0000 (`%00`, or the byte itself)."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    return any(nul in raw_path or nul in query for nul in _URL_NUL)


def json_has_nul(body: bytes) -> bool:
    """Whether a JSON body says U+0000 (`\\u0000` not itself escaped)."""
    return b"\\u0000" in body and _JSON_NUL.search(body) is not None  # search where it may hit


async def refuse_nul(request: Request[Any, Any, Any]) -> None:
    """A `before_request` hook. Raises InvalidInput `request.bad_text`."""
    scope = request.scope
    if url_has_nul(scope):
        raise bad_text()
    if scope["method"] in _NO_BODY:  # their bodies are never read
        return
    kind = request.content_type[0]
    if kind == "application/json" and json_has_nul(await request.body()):
        raise bad_text()
    if kind in _FORMS:  # parsed once: the handler reads the same form
        form = await request.form()
        if any(isinstance(value, str) and "\x00" in value for value in form.values()):
            raise bad_text()
