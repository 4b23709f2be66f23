"""External training with evidence: filed by officers, checked by content, approved once."""

from __future__ import annotations

import asyncio
import hashlib
import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfWriter

from service.settings import Settings
from service.store.models import EvidenceFile, ExternalClaim, HourEntry
from tests.integration.world import World


def pdf() -> bytes:
    """A real one-page PDF (A4), as a scanner or a phone's "save as PDF" makes."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


async def officer_login(world: World) -> dict[str, str]:
    officer = await world.create_officer()
    assert (await world.give_login(officer)).status_code == 201
    login = await world.mobile_login(officer["id_number"])
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def file_claim(
    world: World, auth: dict[str, str], content: bytes, name: str = "证书.pdf", **fields: str
) -> Any:
    form = {
        "title": "国家法官学院行政执法培训班",
        "category": "professional",
        "hours": "12.5",
        "completed_on": "2026-10-15",
        **fields,
    }
    return await world.client.post(
        "/mobile/v1/me/external-training",
        data=form,
        files={"evidence": (name, content, "application/octet-stream")},
        headers=auth,
    )


async def stored_files() -> list[tuple[str, int]]:
    """The evidence kept: (sha256, size) per file."""
    return list(await EvidenceFile.all().order_by("sha256").values_list("sha256", "size"))


def on_disk(settings: Settings) -> list[Path]:
    return [p for p in settings.data_dir.rglob("*") if p.is_file() and "evidence" in str(p)]


async def test_claim_with_pdf_or_photo_is_filed_pending_and_stored_privately(
    world: World, settings: Settings
) -> None:
    me = await officer_login(world)
    for content, kind in ((PDF, "application/pdf"), (png(), "image/png")):
        response = await file_claim(world, me, content)
        assert response.status_code == 201, response.text
        assert (response.json()["status"], response.json()["evidence_type"]) == ("pending", kind)
        assert response.json()["hours"] == 12.5
    assert sorted(await stored_files()) == sorted(
        (hashlib.sha256(c).hexdigest(), len(c)) for c in (PDF, png())
    )
    assert on_disk(settings) == []  # in the database, which every host reads; not on this disk
    mine = await world.client.get("/mobile/v1/me/external-training", headers=me)
    assert len(mine.json()) == 2


async def test_the_same_file_filed_twice_is_stored_once_and_downloads_for_both(
    world: World,
) -> None:
    me = await officer_login(world)
    first = (await file_claim(world, me, PDF)).json()
    second = (await file_claim(world, me, PDF, title="另一次培训")).json()
    assert await stored_files() == [(hashlib.sha256(PDF).hexdigest(), len(PDF))]
    for claim in (first, second):
        got = await world.client.get(
            f"/api/v1/external-training/{claim['id']}/evidence", headers=world.auth("root")
        )
        assert (got.status_code, got.content) == (200, PDF), got.text


async def test_a_claim_that_fails_to_be_written_leaves_no_file(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    me = await officer_login(world)

    async def broken(**_: object) -> None:
        raise ConnectionResetError("the database went away between the file and the claim")

    monkeypatch.setattr(ExternalClaim, "create", broken)
    response = await file_claim(world, me, PDF)
    assert (response.status_code, response.json()["code"]) == (503, "service.unavailable")
    assert await stored_files() == []


async def test_bad_evidence_is_refused_and_nothing_is_stored(
    world: World, settings: Settings
) -> None:
    me = await officer_login(world)
    too_big = b"%PDF-1.4\n" + b"0" * settings.evidence_max_bytes
    for content, status, code in (
        (b"hello, this is not a certificate", 422, "claim.bad_evidence"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 50, 422, "claim.bad_evidence"),
        (b"MZ\x90\x00" + b"\x00" * 100, 422, "claim.bad_evidence"),
        (too_big, 413, "claim.evidence_too_large"),
    ):
        response = await file_claim(world, me, content)
        assert response.status_code == status, response.text[:200]
        assert response.json()["code"] == code
    for fields, code in (
        ({"hours": "0"}, "claim.bad_hours"),
        ({"hours": "1.25"}, "hours.bad_value"),
        ({"completed_on": "2030-01-01"}, "claim.bad_date"),
        ({"title": "  "}, "claim.bad_title"),
    ):
        response = await file_claim(world, me, PDF, **fields)
        assert (response.status_code, response.json()["code"]) == (422, code), fields
    assert await stored_files() == []
    assert await ExternalClaim.all().count() == 0


async def test_approval_may_lower_hours_and_writes_the_ledger_once(world: World) -> None:
    me = await officer_login(world)
    claim = (await file_claim(world, me, PDF)).json()
    url = f"/api/v1/external-training/{claim['id']}"
    too_many = await world.client.post(
        f"{url}/approve", json={"hours": 13}, headers=world.auth("market_admin")
    )
    assert (too_many.status_code, too_many.json()["code"]) == (422, "claim.bad_hours")
    first, second = await asyncio.gather(
        world.client.post(f"{url}/approve", json={"hours": 10}, headers=world.auth("market_admin")),
        world.client.post(f"{url}/approve", json={"hours": 12.5}, headers=world.auth("yjs_admin")),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 409]
    entries = await HourEntry.all()
    assert len(entries) == 1
    assert (entries[0].source, entries[0].year) == ("external", 2026)
    progress = await world.client.get("/mobile/v1/me/progress?year=2026", headers=me)
    assert progress.json()["earned"]["professional"] == entries[0].tenths / 10


async def test_rejection_tells_the_officer_why(world: World) -> None:
    me = await officer_login(world)
    claim = (await file_claim(world, me, png(), name="photo.jpg")).json()
    url = f"/api/v1/external-training/{claim['id']}"
    rejected = await world.client.post(
        f"{url}/reject",
        json={"reason": "证书照片不清晰，请重新上传"},
        headers=world.auth("yjs_admin"),
    )
    assert (rejected.status_code, rejected.json()["status"]) == (200, "rejected")
    mine = (await world.client.get("/mobile/v1/me/external-training", headers=me)).json()
    assert mine[0]["reject_reason"] == "证书照片不清晰，请重新上传"
    again = await world.client.post(
        f"{url}/approve", json={"hours": 1}, headers=world.auth("yjs_admin")
    )
    assert (again.status_code, again.json()["code"]) == (409, "claim.not_pending")
    assert await HourEntry.all().count() == 0


async def test_evidence_is_shown_to_staff_of_the_jurisdiction_only(world: World) -> None:
    me = await officer_login(world)
    claim = (await file_claim(world, me, PDF)).json()
    url = f"/api/v1/external-training/{claim['id']}/evidence"
    shown = await world.client.get(url, headers=world.auth("yjs_admin"))
    assert (shown.status_code, shown.content) == (200, PDF)
    assert shown.headers["content-type"].startswith("application/pdf")
    assert (await world.client.get(url, headers=world.auth("hy_admin"))).status_code == 404
    organiser = await world.client.post(
        f"/api/v1/external-training/{claim['id']}/approve",
        json={"hours": 1},
        headers=world.auth("trainer"),
    )
    assert organiser.status_code == 403
    listed = await world.client.get(
        "/api/v1/external-training", params={"status": "pending"}, headers=world.auth("yjs_admin")
    )
    assert listed.json()["total"] == 1


def png_declaring(width: int, height: int, data: bytes = b"\0" * 100) -> bytes:
    """A PNG whose header declares `width` x `height` pixels but whose data is `data`."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(data))
        + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 200)).save(out, format="JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>",
        png_declaring(10_000, 10_000),
        png_declaring(100_000, 100_000),
        jpeg()[:600],  # cut off: the header reads, the picture does not
    ],
    ids=["html-called-pdf", "png-without-its-pixels", "png-decompression-bomb", "cut-jpeg"],
)
async def test_evidence_that_is_not_whole_is_refused_and_nothing_is_stored(
    world: World, settings: Settings, content: bytes
) -> None:
    me = await officer_login(world)
    response = await file_claim(world, me, content)
    assert (response.status_code, response.json()["code"]) == (422, "claim.bad_evidence")
    assert await ExternalClaim.all().count() == 0
    assert await stored_files() == []


async def test_evidence_is_downloaded_never_shown_inline(world: World) -> None:
    me = await officer_login(world)
    claim = (await file_claim(world, me, jpeg(), name="photo.jpg")).json()
    shown = await world.client.get(
        f"/api/v1/external-training/{claim['id']}/evidence", headers=world.auth("yjs_admin")
    )
    assert shown.status_code == 200
    assert shown.headers["content-disposition"].startswith("attachment")
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert shown.headers["content-security-policy"] == "sandbox"
