"""The one generic edit the admin allows: renaming an agency, through the use case."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from piccolo.columns.base import Column
from piccolo_api.crud.hooks import Hook, HookType
from starlette.exceptions import HTTPException
from starlette.requests import Request

from admin import tables as t
from admin.context import current_services
from admin.guards import admin_principal
from service.domain.errors import DomainError
from service.domain.messages import in_chinese
from service.usecases.reference import rename_agency
from service.web.problems import http_status

FIXED = ("region_id", "sector", "kind")  # in the certificate numbers already issued


def rename_agency_hook() -> Hook:
    async def pre_patch(
        row_id: Any, values: dict[Column, Any], request: Request
    ) -> dict[Column, Any]:
        principal = await admin_principal(request)
        given = {column._meta.name: value for column, value in values.items()}
        fixed = [getattr(t.Agency, name) for name in FIXED]
        stored = await t.Agency.select(*fixed).where(t.Agency.id == row_id).first()
        if stored is None:
            raise HTTPException(status_code=404, detail="找不到该单位。")
        if any(
            column._meta.name in given
            and str(given[column._meta.name]) != str(stored[column._meta.db_column_name])
            for column in fixed
        ):
            raise HTTPException(
                status_code=403,
                detail="单位只能改名；所属区划、行业代码和类型已用于证号，不能修改。",
            )
        others = sorted(set(given) - {"name", *FIXED})
        if others:
            raise HTTPException(
                status_code=422, detail=f"单位只能改名；不能修改：{'、'.join(others)}。"
            )
        if "name" not in given:
            return {}
        try:
            agency = await rename_agency(
                current_services(), principal, int(row_id), str(given["name"])
            )
        except DomainError as error:
            raise HTTPException(status_code=http_status(error), detail=in_chinese(error)) from None
        return {t.Agency.name: agency.name}

    hook: Callable[..., Awaitable[dict[Column, Any]]] = pre_patch
    return Hook(hook_type=HookType.pre_patch, callable=hook)
