"""The domain's Chinese labels as Piccolo `choices` enums: the stored value stays the
API's English one; the admin's dropdowns and list cells read the Chinese."""

from __future__ import annotations

from enum import Enum, StrEnum

from piccolo.columns.choices import Choice

from service.domain.labels import label


def choices(enum: type[StrEnum]) -> type[Enum]:
    """A Piccolo choices enum: the stored value with its Chinese label."""
    members = {
        member.name: Choice(value=member.value, display_name=label(member)) for member in enum
    }
    return Enum(f"{enum.__name__}Choice", members)  # type: ignore[return-value]
