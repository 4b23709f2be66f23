"""`officer-cert worker`: the notification worker on its own (also run inside `serve`
unless WORKER=off); `--once` for one round, as cron or a test runs it."""

from __future__ import annotations

import asyncio
import signal

import click

from service.cli.runtime import console, run, services_for
from service.notify.running import worker_running
from service.notify.senders import http_client, senders
from service.settings import Settings
from service.usecases.notify_schedule import enqueue_scheduled
from service.usecases.notify_worker import deliver_once, worker_name


@click.command("worker")
@click.option("--once", is_flag=True, help="One round, then exit (prints what it did).")
def worker_command(once: bool) -> None:
    """Deliver the notification outbox: WeCom and DingTalk robots, e-mail, webhooks.
    Several workers on several hosts share the work; each message goes out once."""

    async def work(settings: Settings) -> None:
        async with services_for(settings) as services:
            if once:
                queued = await enqueue_scheduled(services)
                async with http_client() as client:
                    done = await deliver_once(services, senders(settings, client), worker_name())
                console.print(f"{queued} digests and reminders queued.")
                console.print(
                    f"{done.sent} sent, {done.retried} to retry, {done.deferred} deferred, "
                    f"{done.given_up} given up, {done.unconfirmed} unconfirmed."
                )
                return
            async with worker_running(services) as stop:
                loop = asyncio.get_running_loop()
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(signum, stop.set)
                console.print("Delivering notifications; Ctrl+C stops.")
                await stop.wait()

    run(work)
