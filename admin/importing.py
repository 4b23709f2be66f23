"""Importing officers, certificates, hours and exam results from a CSV or XLSX file,
inside the admin.

Piccolo Admin's forms post JSON from single-line inputs, which can carry neither a file
nor the lines of a pasted sheet, so each upload is a page of its own at
/admin-tools/import-{officers,certificates,hours,exams}, linked from the admin's sidebar.
It accepts only the admin's own login (the session and CSRF cookies Piccolo Admin set),
for the roles the admin admits, and runs the same import use case as the API.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, Router, get, post
from litestar.datastructures import Cookie, UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.params import Body
from litestar.response import Redirect, Template

from admin.auth import AdminSession, NotForAdmin, admin_principal_of
from service.documents.tabular import rows_of
from service.domain.access import Principal
from service.domain.errors import DomainError
from service.domain.messages import MESSAGES, in_chinese
from service.usecases.import_kinds import KINDS, ImportKind
from service.usecases.imports import ImportReport, RowError, Upload
from service.usecases.services import Services

PATHS = {f"/admin-tools/import-{name}": kind for name, kind in KINDS.items()}
PATH = "/admin-tools/import-officers"  # the first, linked from the sidebar


@dataclass
class UploadForm:
    file: UploadFile
    csrftoken: str
    atomic: bool = False


def sidebar_links() -> dict[str, str]:
    """The upload pages, for the admin's sidebar."""
    return {f"导入{kind.title}（CSV/XLSX）": path for path, kind in PATHS.items()}


def describe(error: RowError, kind: ImportKind) -> dict[str, Any]:
    """A row error for people: row, field and reason in Chinese, with the stable code."""
    return {
        "row": error.row,
        "field": kind.columns.get(error.field or "", error.field or ""),
        "reason": MESSAGES.get(error.code, error.message),
        "code": error.code,
    }


async def _caller(request: Request[Any, Any, Any]) -> Principal:
    token = request.cookies.get("id")
    account_id = await AdminSession.get_user_id(token) if token else None
    if account_id is None:
        raise NotAuthorizedException("Log in to the admin first.")
    try:
        return await admin_principal_of(account_id)
    except NotForAdmin as refused:
        raise PermissionDeniedException(str(refused)) from None


def _kind(request: Request[Any, Any, Any]) -> tuple[str, ImportKind]:
    path = request.url.path.rstrip("/")
    return path, PATHS[path]


def _page(request: Request[Any, Any, Any], **context: Any) -> Template:
    # The admin sets the CSRF cookie on its pages; a page opened straight after its cookie
    # lapsed makes one the same way (a random double-submit token), so the form still works.
    token = request.cookies.get("csrftoken")
    made = [] if token else [Cookie(key="csrftoken", value=secrets.token_urlsafe(32), path="/")]
    path, kind = _kind(request)
    return Template(
        "admin_import.html",
        context={
            "csrftoken": token or made[0].value,
            "path": path,
            "kind": kind,
            "headers": "、".join(kind.columns.values()),
            "pages": sidebar_links(),
            **context,
        },
        headers={"Cache-Control": "no-store"},
        cookies=made,
    )


@get(list(PATHS), include_in_schema=False)
async def import_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    try:
        await _caller(request)
    except NotAuthorizedException:
        return Redirect("/admin/#/login/")
    return _page(request)


@post(list(PATHS), include_in_schema=False, status_code=200)
async def import_upload(
    request: Request[Any, Any, Any],
    data: Annotated[UploadForm, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:
    principal = await _caller(request)
    cookie = request.cookies.get("csrftoken", "")
    if not cookie or not hmac.compare_digest(cookie, data.csrftoken):
        raise PermissionDeniedException("CSRF token missing or wrong; reload the page.")
    services: Services = request.app.state.services
    _, kind = _kind(request)
    try:
        content = await data.file.read()
        upload = Upload(content, rows_of(content, kind.headers))
        report = await kind.run(services, principal, upload, atomic=data.atomic)
    except DomainError as error:
        return _page(request, problem=in_chinese(error), file_name=data.file.filename)
    return _page(request, report=_summary(report, kind), file_name=data.file.filename)


def _summary(report: ImportReport, kind: ImportKind) -> dict[str, Any]:
    return {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "written": report.written,
        "errors": [describe(error, kind) for error in report.errors],
    }


def build_router() -> Router:
    return Router("/", route_handlers=[import_page, import_upload])
