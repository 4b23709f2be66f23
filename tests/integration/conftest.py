"""A world on a fixed clock, for tests that move time (past days, the yearly cleanup)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest

from service.clock import SHANGHAI, FixedClock
from service.settings import Settings
from tests.conftest import serving
from tests.integration.world import World, build_world

CLOCK_STARTS = datetime(2025, 2, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
async def fixed_clock() -> FixedClock:
    return FixedClock(CLOCK_STARTS)


@pytest.fixture
async def clocked_town(settings: Settings, fixed_clock: FixedClock) -> AsyncIterator[World]:
    """The usual world, its app on `fixed_clock` (10 February 2025, 09:00 in Beijing)."""
    async with serving(settings, fixed_clock) as http:
        yield await build_world(http, settings)
