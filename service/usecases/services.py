"""What the use cases need from outside: settings, the clock, token codecs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from service.clock import SHANGHAI, Clock, SystemClock
from service.domain.training import checkin_refusal
from service.security.keys import KeyRing
from service.security.tokens import CompactCodec, TokenCodec
from service.settings import Settings

ACCESS_AUDIENCE = "officer-cert:access"


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    access_tokens: TokenCodec
    checkin_tokens: CompactCodec

    @classmethod
    def build(cls, settings: Settings, clock: Clock | None = None) -> Services:
        return cls(
            settings=settings,
            clock=clock or SystemClock(),
            access_tokens=TokenCodec(KeyRing(settings.keys_dir / "access"), ACCESS_AUDIENCE),
            checkin_tokens=CompactCodec(KeyRing(settings.keys_dir / "checkin"), checkin_refusal),
        )

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """Today's date in China, the calendar every rule counts in."""
        return self.clock.now().astimezone(SHANGHAI).date()
