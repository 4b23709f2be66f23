"""One row, or a refusal: the rule that what lies outside the caller's jurisdiction is
answered as not found (its existence is not told) lives here."""

from __future__ import annotations

from typing import TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

from service.domain.errors import NotFound

RowT = TypeVar("RowT", bound=Model)


async def one(query: QuerySet[RowT], *, code: str, what: str) -> RowT:
    """The first row of `query` (already narrowed to what the caller may see), else
    NotFound `code`: "No {what}."."""
    found = await query.first()
    if found is None:
        raise NotFound(f"No {what}.", code=code)
    return found
