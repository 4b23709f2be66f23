"""What the admin's generic table views may do, and for whom.

- Writes that would bypass a rule or skip an event are refused (403, in Chinese): the
  lifecycle, the ledger and the logs change only through the forms, which call the use
  cases. An agency's name is editable, through the same use case as the API.
- Tables of accounts, sessions, tokens, devices and number sequences are for
  superadmins only.
- A bureau admin sees only rows inside the region. Piccolo Admin has no row-level hook,
  so `admin.piccolo_patches.ScopedCRUD` adds the region to every query it builds; the
  validator every table endpoint runs tells it which region.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from piccolo_api.crud.endpoints import PiccoloCRUD
from piccolo_api.crud.validators import Validators
from starlette.exceptions import HTTPException
from starlette.requests import Request

from admin.auth import AdminAccount, NotForAdmin, admin_principal_of
from admin.piccolo_patches import scope_queries_to
from service.domain.access import Principal, Role


async def admin_principal(request: Request) -> Principal:
    """The logged-in staff account as the use cases know it (read once per request)."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    user: AdminAccount = request.user.user
    try:
        principal = await admin_principal_of(int(user.id))
    except NotForAdmin as refused:
        raise HTTPException(status_code=403, detail=str(refused)) from None
    request.state.principal = principal
    return principal


async def _enter(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    """Every table endpoint: an admin role, and the caller's region for this request."""
    principal = await admin_principal(request)
    scope_queries_to(principal.scope.region_prefix)


def _superadmin_only(piccolo_crud: PiccoloCRUD, request: Request) -> None:
    if request.state.principal.role is not Role.SUPERADMIN:
        raise HTTPException(status_code=403, detail="只有系统管理员可以查看此表。")


def refuse(why: str) -> Callable[[PiccoloCRUD, Request], None]:
    def validator(piccolo_crud: PiccoloCRUD, request: Request) -> None:
        raise HTTPException(status_code=403, detail=why)

    return validator


def read_only(why: str, *, superadmin: bool = False) -> Validators:
    """Validators of a table that the generic views may read but never change."""
    no = [refuse(why)]
    every: list[Any] = [_enter, _superadmin_only] if superadmin else [_enter]
    return Validators(
        every=every,
        post_single=no,
        put_single=no,
        patch_single=no,
        delete_single=no,
        delete_all=no,
    )


def editable(*, why: str) -> Validators:
    """Reads and PATCH (which a hook sends through a use case); no create, replace or
    delete."""
    no = [refuse(why)]
    return Validators(
        every=[_enter], post_single=no, put_single=no, delete_single=no, delete_all=no
    )
