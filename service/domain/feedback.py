"""Complaints and praise from the public (投诉/表扬) about a certificate holder: what a
submission must be, and the limits that keep a script from posting in a loop."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from service.domain.errors import InvalidInput
from service.domain.text import collapse

FORM_LIFETIME = timedelta(minutes=30)  # a form token is good this long, and once
PER_CERTIFICATE_PER_HOUR = 5  # submissions about one certificate, from everyone
TEXT_LENGTH = (10, 1_000)
CONTACT_LENGTH = 100


class FeedbackKind(StrEnum):
    COMPLAINT = "complaint"
    PRAISE = "praise"

    @property
    def label(self) -> str:
        return "投诉" if self is FeedbackKind.COMPLAINT else "表扬"


class FeedbackStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


def validate_text(raw: str) -> str:
    """The submission's text, 10 to 1,000 characters once spaces are collapsed."""
    text = collapse(raw)
    low, high = TEXT_LENGTH
    if not low <= len(text) <= high:
        raise InvalidInput(
            f"Say what happened in {low} to {high} characters.",
            code="feedback.bad_text",
            field="text",
        )
    return text


def validate_contact(raw: str | None) -> str | None:
    """An optional way to reach the sender (never shown publicly), up to 100 characters."""
    contact = collapse(raw or "")
    if len(contact) > CONTACT_LENGTH:
        raise InvalidInput(
            f"A contact has at most {CONTACT_LENGTH} characters.",
            code="feedback.bad_contact",
            field="contact",
        )
    return contact or None


def reference(day: date, feedback_id: int) -> str:
    """The number the sender quotes: TS (投诉) or BY (表扬) are not told apart, a day and
    the id, e.g. FK20261201000042."""
    return f"FK{day:%Y%m%d}{feedback_id:06d}"
