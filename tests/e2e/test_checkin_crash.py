"""`kill -9` of the server under check-in load on PostgreSQL: 300 officers, 20 clients,
each checking in, scanning again and checking out. Every scan the server acknowledged
is in the database after the crash, none twice, and a restarted server answers a repeated
scan with the time it acknowledged first."""

from __future__ import annotations

import queue
import signal
import threading
from pathlib import Path

import asyncpg
import httpx

from tests.conftest import make_settings, run_sync
from tests.e2e.servers import server_process
from tests.load import CheckinLoad, prepare_checkin_load

OFFICERS = 300
CLIENTS = 20
KILL_AFTER = 300  # acknowledged scans (of the 900 the run would make)
ENV = {"QR_ROTATION_SECONDS": "300", "ADMIN_USERNAME": "bench", "ADMIN_PASSWORD": "Bench-pass-2026"}


def scan(http: httpx.Client, load: CheckinLoad, index: int, qr: str) -> httpx.Response:
    return http.post(
        "/mobile/v1/checkins",
        json={"token": qr, "device_id": f"crash-device-{index:04d}"},
        headers={"Authorization": f"Bearer {load.tokens[index]}"},
    )


def load_until_killed(base: str, load: CheckinLoad, kill: threading.Event) -> list[tuple]:
    """Officers' scans from CLIENTS threads until the server stops answering; returns
    what was acknowledged: (officer index, kind, the time the answer gave)."""
    todo: queue.Queue[int] = queue.Queue()
    for index in range(len(load.tokens)):
        todo.put(index)
    acknowledged: list[tuple] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(base_url=base, timeout=10) as http:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                for kind, qr in (
                    ("in", load.checkin_qr),
                    ("in", load.checkin_qr),
                    ("out", load.checkout_qr),
                ):
                    try:
                        answer = scan(http, load, index, qr)
                    except httpx.TransportError:
                        return  # the server is gone
                    assert answer.status_code == 200, answer.text
                    with lock:
                        acknowledged.append((index, kind, answer.json()["at"]))
                        if len(acknowledged) >= KILL_AFTER:
                            kill.set()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acknowledged


async def attendance(url: str, session_id: int) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await conn.fetch(
            "SELECT officer_id, checked_in_at, checked_out_at FROM attendance "
            "WHERE session_id = $1",
            session_id,
        )
    finally:
        await conn.close()


def test_every_acknowledged_scan_survives_kill_9_once(
    tmp_path: Path, empty_postgres: tuple[str, str]
) -> None:
    _, url = empty_postgres
    data = tmp_path / "data"
    settings = make_settings(data, url, **ENV)
    load = run_sync(
        prepare_checkin_load(
            settings, OFFICERS, admin_password=ENV["ADMIN_PASSWORD"], requires_checkout=True
        )
    )
    kill = threading.Event()
    with server_process(data, DATABASE_URL=url, **ENV) as server:
        killer = threading.Thread(
            target=lambda: kill.wait(120) and server.process.send_signal(signal.SIGKILL)
        )
        killer.start()
        acknowledged = load_until_killed(server.base, load, kill)
        killer.join()
        assert server.process.wait(timeout=10) == -signal.SIGKILL

    assert KILL_AFTER <= len(acknowledged) < 3 * OFFICERS  # the kill cut the load short
    rows = run_sync(attendance(url, load.session_id))
    by_officer = {row["officer_id"]: row for row in rows}
    assert len(by_officer) == len(rows), "an officer has two attendance rows"
    for index, kind, _ in acknowledged:
        row = by_officer.get(load.officer_ids[index])
        assert row is not None, f"acknowledged check-in of officer {index} lost"
        column = "checked_in_at" if kind == "in" else "checked_out_at"
        assert row[column] is not None, f"acknowledged check-{kind} of officer {index} lost"

    with (
        server_process(data, DATABASE_URL=url, **ENV) as again,
        httpx.Client(base_url=again.base, timeout=10) as http,
    ):
        for index, kind, at in acknowledged[:: max(1, len(acknowledged) // 50)]:
            qr = load.checkin_qr if kind == "in" else load.checkout_qr
            repeat = scan(http, load, index, qr)
            assert repeat.status_code == 200, repeat.text
            assert repeat.json()["at"] == at, "a repeated scan recorded a new time"
    assert len(run_sync(attendance(url, load.session_id))) == len(rows)
