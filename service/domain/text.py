"""Text that people type: white space folded, and required where a rule needs it."""

from __future__ import annotations

from service.domain.errors import InvalidInput


def collapse(text: str) -> str:
    """Runs of white space (line breaks, tabs, full-width spaces) as one space, none at
    the ends."""
    return " ".join(text.split())


def required(
    text: str, *, code: str, field: str, message: str, max_length: int | None = None
) -> str:
    """`text` collapsed, when something is left and it has at most `max_length`
    characters; else InvalidInput with `code`, `field` and `message`."""
    folded = collapse(text)
    if not folded or (max_length is not None and len(folded) > max_length):
        raise InvalidInput(message, code=code, field=field)
    return folded
