"""The OpenAPI document tells the truth: every answer an operation can give, errors as
`application/problem+json`, bodies that refuse unknown fields marked so, and the few
answers whose media type depends on a parameter.

`document_errors(app)` runs once on a built app: it looks at each operation (does it take
a body, parameters, a caller's token; does it write; is it rate limited) and adds the
problem answers it can give. A client generated from the document then handles every
answer, and schemathesis holds the server to it (`tests/e2e/test_fuzzing.py`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Litestar
from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, Operation, Schema
from litestar.routes import HTTPRoute
from litestar.typing import FieldDefinition

from service.web.rate_limits import is_limited

PROBLEM = "application/problem+json"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
AUTHENTICATED = ("staff", "officer", "login", "client")  # the dependencies that read a bearer token
# Logins and refreshes refuse credentials themselves (401), and the wrong kind (403).
LOGINS = ("/api/v1/auth/", "/mobile/v1/auth/")


class Problem(msgspec.Struct):
    """RFC 9457 problem details: every error is answered so, with a stable `code`; some
    carry more (`field`, `errors`, ...)."""

    status: int
    title: str
    detail: str
    code: str


_DESCRIPTIONS = {
    400: "The request does not fit the schema (`request.invalid_body`).",
    401: "No credentials, or wrong, expired or revoked ones (`auth.*`).",
    403: "This caller may not do this (`auth.forbidden`, `auth.wrong_kind`).",
    404: "Not found, or outside the caller's jurisdiction.",
    409: "The change clashes with the current state (a duplicate, a refused transition).",
    413: "The body is too large (`request.too_large`).",
    422: "Well-formed, but a rule refuses it: the code says which.",
    429: "Rate limited (`rate_limited`); `Retry-After` says when to try again.",
    503: "A dependency is down (`service.unavailable`); `Retry-After` says when to retry.",
}


def problem_response(status: int) -> ResponseSpec:
    return ResponseSpec(
        data_container=Problem,
        description=_DESCRIPTIONS[status],
        media_type=PROBLEM,
        generate_examples=False,
    )


def document_errors(app: Litestar) -> None:
    """Add to every operation of the document the problem answers it can give."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.include_in_schema:
                continue
            statuses = _statuses(route, handler)
            handler.responses = {
                **{status: problem_response(status) for status in statuses},
                **(handler.responses or {}),
            }


def _statuses(route: HTTPRoute, handler: Any) -> set[int]:
    parameters = handler.parsed_fn_signature.parameters
    takes_body = "data" in parameters
    takes_input = (
        takes_body
        or bool(route.path_parameters)
        or any(name not in ("request", "services", *AUTHENTICATED, "data") for name in parameters)
    )
    authenticated = any(name in handler.resolve_dependencies() for name in AUTHENTICATED)
    found = {503}
    if takes_input:
        found |= {400, 422}
    if authenticated or route.path.startswith(LOGINS):
        found |= {401, 403, 404, 409}  # a read may meet a state that refuses it too
    if route.path_parameters:
        found.add(404)
    if handler.http_methods & WRITES:
        found.add(409)
    if takes_body:
        found.add(413)
    if is_limited(handler):
        found.add(429)
    return found


class StrictStructs(StructSchemaPlugin):
    """msgspec structs as Litestar describes them, and `additionalProperties: false` for
    those that refuse unknown fields (`forbid_unknown_fields=True`), as the server does.
    (Litestar's own plugin, which this extends, says nothing of unknown fields.)"""

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        if field_definition.type_.__struct_config__.forbid_unknown_fields:
            schema.additional_properties = False  # the registered component itself
        return schema


def also_answers(*media_types: str, status: str = "200") -> type[Operation]:
    """An operation class whose success answer may also come as these media types (a
    report's `format`, a file's kind), with the same description and no schema."""

    @dataclass
    class AlsoAnswers(Operation):
        def __post_init__(self) -> None:
            answer: Any = (self.responses or {}).get(status)
            if answer is not None:
                content = dict(answer.content or {})
                for media_type in media_types:
                    content.setdefault(media_type, OpenAPIMediaType(schema=Schema()))
                answer.content = content

    return AlsoAnswers


def media_types(spec: dict[str, Any], path: str, method: str = "get") -> Iterable[str]:
    """The media types a document gives for an operation's success answer (for tests)."""
    operation = spec["paths"][path][method]
    for status, answer in operation["responses"].items():
        if status.startswith("2"):
            yield from answer.get("content", {})
