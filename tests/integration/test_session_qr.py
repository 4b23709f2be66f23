"""The rotating session QR: decoded by zbar, signed, and accepted for two windows only."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import jwt
import pytest
from PIL import Image

from service.clock import SHANGHAI, FixedClock
from service.domain.errors import InvalidInput
from service.domain.training import ScanKind, checkin_refusal
from service.security.keys import KeyRing, MemoryKeyStore, Sealer
from service.security.tokens import CompactCodec
from service.settings import Settings
from service.usecases.checkin_tokens import read_scan
from service.usecases.services import Services
from tests.conftest import serving
from tests.integration.test_sessions_api import create
from tests.integration.world import World, build_world
from tests.qr import decode_qr

NOW = datetime(2027, 3, 10, 9, 0, 10, tzinfo=SHANGHAI)  # 10 s into a 30-second window


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def qr_world(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def scanned(world: World, session_id: object, tmp_path: Path, kind: str = "checkin") -> str:
    response = await world.client.get(
        f"/api/v1/sessions/{session_id}/qr.png",
        params={"kind": kind},
        headers=world.auth("trainer"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["cache-control"] == "no-store"
    return decode_qr(response.content, tmp_path)


def token_of(url: str, settings: Settings) -> str:
    prefix = f"{settings.public_base_url}/m/c/"
    assert url.startswith(prefix), url
    return url.removeprefix(prefix)


async def test_qr_png_decodes_to_the_check_in_url_of_the_session(
    qr_world: World, clock: FixedClock, settings: Settings, tmp_path: Path
) -> None:
    session = await create(qr_world)
    services = Services.build(settings, clock)
    checkin = await read_scan(
        services, token_of(await scanned(qr_world, session["id"], tmp_path), settings)
    )
    assert (checkin.session_id, checkin.kind) == (session["id"], ScanKind.CHECKIN)
    url = await scanned(qr_world, session["id"], tmp_path, kind="checkout")
    assert (await read_scan(services, token_of(url, settings))).kind is ScanKind.CHECKOUT


async def test_qr_is_coarse_enough_to_read_across_a_room(qr_world: World) -> None:
    session = await create(qr_world)
    response = await qr_world.client.get(
        f"/api/v1/sessions/{session['id']}/qr.png", headers=qr_world.auth("trainer")
    )
    width, height = Image.open(io.BytesIO(response.content)).size
    modules = width // 16 - 8  # 16 px per module, a quiet zone of 4 on each side
    assert width == height
    assert modules <= 53  # QR version 9 at most: the compact token keeps it coarse


async def test_token_is_accepted_in_its_window_and_the_next_only(
    qr_world: World, clock: FixedClock, settings: Settings, tmp_path: Path
) -> None:
    session = await create(qr_world)
    token = token_of(await scanned(qr_world, session["id"], tmp_path), settings)
    services = Services.build(settings, clock)
    clock.advance(timedelta(seconds=25))  # the next window
    assert (await read_scan(services, token)).session_id == session["id"]
    clock.advance(timedelta(seconds=30))  # two windows on
    with pytest.raises(InvalidInput) as refused:
        await read_scan(services, token)
    assert refused.value.code == "checkin.token_expired"


async def test_forged_tokens_are_refused(
    qr_world: World, clock: FixedClock, settings: Settings, tmp_path: Path
) -> None:
    session = await create(qr_world)
    token = token_of(await scanned(qr_world, session["id"], tmp_path), settings)
    services = Services.build(settings, clock)
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    other = base64.urlsafe_b64encode(json.dumps({**claims, "s": claims["s"] + 1}).encode())
    altered = f"{header}.{other.decode().rstrip('=')}.{signature}"
    unsigned = jwt.encode(claims, None, algorithm="none")
    elsewhere = KeyRing("checkin", MemoryKeyStore(), Sealer(settings.kek()))
    foreign = await CompactCodec(elsewhere, checkin_refusal).sign(
        {"s": session["id"], "k": "i", "w": claims["w"]}
    )
    access = await services.access_tokens.encode(  # a genuine token of another purpose and key
        {"sub": "1", "s": session["id"], "k": "i", "w": claims["w"]},
        now=clock.now(),
        ttl=timedelta(minutes=1),
    )
    for bad in (altered, unsigned, foreign, access, "not-a-token", token + "x"):
        with pytest.raises(InvalidInput) as refused:
            await read_scan(services, bad)
        assert refused.value.code == "checkin.token_invalid", bad


async def test_no_qr_for_a_cancelled_or_foreign_session(qr_world: World) -> None:
    session = await create(qr_world)
    url = f"/api/v1/sessions/{session['id']}"
    outsider = await qr_world.client.get(f"{url}/qr.png", headers=qr_world.auth("hy_admin"))
    assert outsider.status_code == 404
    await qr_world.client.post(f"{url}/cancel", headers=qr_world.auth("trainer"))
    cancelled = await qr_world.client.get(f"{url}/qr.png", headers=qr_world.auth("trainer"))
    assert (cancelled.status_code, cancelled.json()["code"]) == (409, "session.not_scheduled")
    bad_kind = await qr_world.client.get(
        f"{url}/qr.png", params={"kind": "lunch"}, headers=qr_world.auth("trainer")
    )
    assert bad_kind.status_code == 400
