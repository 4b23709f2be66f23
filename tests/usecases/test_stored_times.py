"""Times compared in the database whatever offset they carry: a time given in Beijing's
offset selects the same rows as the same instant in UTC, on SQLite (which compares text)
as on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.clock import SHANGHAI
from service.store.models import FeedbackForm
from service.usecases.services import Services


async def test_a_beijing_time_selects_as_the_same_instant_in_utc(services: Services) -> None:
    expires = datetime(2025, 2, 10, 9, 30, tzinfo=SHANGHAI)  # 01:30 UTC
    await FeedbackForm.create(token_hash="a" * 64, number="6531230325000019", expires_at=expires)
    for offset in (SHANGHAI, UTC):
        earlier = (expires - timedelta(minutes=30)).astimezone(offset)  # 09:00 / 01:00
        later = (expires + timedelta(minutes=1)).astimezone(offset)
        assert await FeedbackForm.filter(expires_at__gt=earlier).count() == 1, offset
        assert await FeedbackForm.filter(expires_at__gt=later).count() == 0, offset
        assert await FeedbackForm.filter(expires_at=expires.astimezone(offset)).count() == 1
