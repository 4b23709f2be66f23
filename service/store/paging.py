"""Pages of a list query: `?page=1&page_size=50`, with the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from service.domain.errors import InvalidInput

T = TypeVar("T", bound=Model)
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int


async def paginate(query: QuerySet[T], page: int, page_size: int) -> Page[T]:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            f"page starts at 1; page_size is 1 to {MAX_PAGE_SIZE}.", code="request.bad_page"
        )
    total = await query.count()
    items = await query.offset((page - 1) * page_size).limit(page_size)
    return Page(items=list(items), total=total, page=page, page_size=page_size)
