"""What the use cases need from outside: settings, the clock, token codecs."""

from __future__ import annotations

from dataclasses import dataclass

from service.clock import Clock, SystemClock
from service.security.keys import KeyRing
from service.security.tokens import TokenCodec
from service.settings import Settings

ACCESS_AUDIENCE = "officer-cert:access"


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    access_tokens: TokenCodec

    @classmethod
    def build(cls, settings: Settings, clock: Clock | None = None) -> Services:
        return cls(
            settings=settings,
            clock=clock or SystemClock(),
            access_tokens=TokenCodec(KeyRing(settings.keys_dir / "access"), ACCESS_AUDIENCE),
        )
