"""What every admin form shares: the caller, the Chinese refusal, ASCII slugs, files."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from piccolo_admin.endpoints import FileResponse, FormConfig, FormResponse
from pydantic import BaseModel
from starlette.requests import Request

from admin.context import current_services
from admin.guards import admin_principal
from service.clock import SHANGHAI
from service.domain.access import Principal
from service.domain.errors import DomainError
from service.domain.labels import label
from service.domain.messages import in_chinese
from service.usecases.services import Services

M = TypeVar("M", bound=BaseModel)
Action = Callable[[Services, Principal, M], Awaitable[FormResponse]]


def form(
    slug: str,
    name: str,
    model: type[M],
    action: Action[M],
    *,
    group: str,
    description: str,
) -> FormConfig:
    """A form whose submission runs `action` as the logged-in account; a refusal comes
    back as Piccolo's form error, in Chinese."""

    async def endpoint(request: Request, data: M) -> FormResponse:
        principal = await admin_principal(request)
        try:
            return await action(current_services(), principal, data)
        except DomainError as error:
            raise ValueError(in_chinese(error)) from None

    config = FormConfig(
        name=name,
        pydantic_model=model,
        endpoint=endpoint,
        description=description,
        form_group=group,
    )
    config.slug = slug  # Piccolo derives it from the (Chinese) name otherwise
    return config


def labelled(enum: type[StrEnum]) -> type[StrEnum]:
    """An enum whose values are the Chinese labels, for a form's dropdown."""
    return StrEnum(f"{enum.__name__}Choice", {m.name: label(m) for m in enum})  # type: ignore[return-value]


def unlabel(enum: type[StrEnum], choice: StrEnum) -> Any:
    return enum[choice.name]


def local(moment: datetime) -> datetime:
    """A browser's datetime-local value (no offset) is Beijing time."""
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def download(content: bytes, file_name: str, media_type: str) -> FileResponse:
    return FileResponse(contents=io.BytesIO(content), file_name=file_name, media_type=media_type)
