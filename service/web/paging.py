"""The list envelope of the API: `{"items", "total", "page", "page_size"}`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from service.store.paging import MAX_PAGE_SIZE, Page

ItemT = TypeVar("ItemT")

MAX_PAGE = 100_000  # with the largest page size, an offset far inside int64
PageNumber = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE, description="Page, from 1")]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]


class PageOut(msgspec.Struct, Generic[ItemT]):
    items: list[ItemT]
    total: int
    page: int
    page_size: int


def page_out(page: Page[Any], convert: Callable[[Any], ItemT]) -> PageOut[ItemT]:
    return PageOut([convert(item) for item in page.items], page.total, page.page, page.page_size)
