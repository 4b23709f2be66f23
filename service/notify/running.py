"""The notification worker as a background task of a process (`serve`'s lifespan, the
`worker` command): started with its own HTTP client, stopped cleanly."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from service.notify.senders import http_client, senders
from service.usecases.notify_worker import run_worker
from service.usecases.services import Services


@asynccontextmanager
async def worker_running(services: Services) -> AsyncIterator[asyncio.Event]:
    """The worker runs until the block ends (or the event it yields is set)."""
    stop = asyncio.Event()
    async with http_client() as client:
        task = asyncio.create_task(
            run_worker(services, senders(services.settings, client), stop=stop),
            name="notification-worker",
        )
        try:
            yield stop
        finally:
            stop.set()
            await task
