"""Officers' photos: checked by decoding, turned upright, fitted and kept without their
metadata; on the printed card and behind a presentation QR, never behind a card's QR or
on the public lookup by number."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from service.domain.access import Principal, Role, Scope
from service.store.models import Account, EvidenceFile, OfficerEvent
from service.usecases import verification
from service.usecases.services import Services
from tests.integration.world import World, id_number, issued_certificate

GPS_TAG = 0x8825


def jpeg(width: int = 1200, height: int = 1600, *, gps: bool = True) -> bytes:
    """A phone's photo: large, with its position in the EXIF, stored on its side."""
    image = Image.new("RGB", (height, width), (200, 60, 60))  # landscape as the sensor saw it
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: turn 90° to stand upright
    if gps:
        exif[GPS_TAG] = {1: "N", 2: (38.0, 55.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (20, 90, 200)).save(out, format="PNG")
    return out.getvalue()


async def _put(world: World, officer_id: object, content: bytes, who: str = "yjs_admin") -> Any:
    return await world.client.put(
        f"/api/v1/officers/{officer_id}/photo",
        content=content,
        headers={**world.auth(who), "Content-Type": "image/jpeg"},
    )


async def test_a_photo_is_fitted_upright_and_kept_without_its_metadata(world: World) -> None:
    cert = await issued_certificate(world, id_number=id_number(seq=91))
    done = await _put(world, cert["officer_id"], jpeg())
    assert done.status_code == 200, done.text
    read = await world.client.get(
        f"/api/v1/officers/{cert['officer_id']}/photo", headers=world.auth("market_admin")
    )
    assert read.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(read.content)) as kept:
        assert kept.format == "JPEG" and kept.size == (480, 640)  # upright, within 480 x 640
        assert GPS_TAG not in kept.getexif() and 0x0112 not in kept.getexif()
    assert done.json()["size"] == len(read.content)
    assert await EvidenceFile.filter(sha256=done.json()["sha256"]).count() == 1
    event = await OfficerEvent.filter(officer_id=cert["officer_id"]).order_by("-seq").first()
    assert event is not None and event.after == {"photo": done.json()["sha256"]}
    assert (await _put(world, cert["officer_id"], png())).status_code == 200
    without = await world.client.get(
        f"/api/v1/officers/{cert['officer_id']}/photo", headers=world.auth("hy_admin")
    )
    assert without.status_code == 404


async def test_bad_photos_are_refused_and_nothing_is_kept(world: World) -> None:
    officer = await world.create_officer(id_number=id_number(seq=92))
    whole = jpeg(gps=False)
    for content, status, code in (
        (b"not an image at all", 422, "officer.bad_photo"),
        (whole[: len(whole) // 2], 422, "officer.bad_photo"),  # cut short
        (b"%PDF-1.4 evidence, not a photo", 422, "officer.bad_photo"),
        (b"\xff\xd8\xff" + b"0" * 5_000_001, 413, None),
    ):
        refused = await _put(world, officer["id"], content)
        assert refused.status_code == status, refused.text[:200]
        if code:
            assert refused.json()["code"] == code
    assert await EvidenceFile.all().count() == 0
    stranger = await _put(world, officer["id"], whole, who="hy_admin")
    assert stranger.status_code == 404
    organiser = await _put(world, officer["id"], whole, who="trainer")
    assert organiser.status_code == 403
    none = await world.client.get(
        f"/api/v1/officers/{officer['id']}/photo", headers=world.auth("root")
    )
    assert (none.status_code, none.json()["code"]) == (404, "officer.no_photo")


async def test_the_photo_is_on_the_card_and_behind_a_presentation_qr_only(world: World) -> None:
    cert = await issued_certificate(world, id_number=id_number(seq=93))
    card_before = await world.client.get(
        f"/api/v1/certificates/{cert['id']}/card.png", headers=world.auth("yjs_admin")
    )
    assert (await _put(world, cert["officer_id"], jpeg())).status_code == 200
    card_after = await world.client.get(
        f"/api/v1/certificates/{cert['id']}/card.png", headers=world.auth("yjs_admin")
    )
    # The same QR (its token does not change), another picture: the photo in its frame.
    assert card_after.status_code == 200 and card_after.content != card_before.content
    officer = {"id": cert["officer_id"]}
    assert (await world.give_login(officer)).status_code == 201
    login = await world.mobile_login(id_number(seq=93))
    me = {"Authorization": f"Bearer {login.json()['access_token']}"}
    own = await world.client.get("/mobile/v1/me/photo", headers=me)
    assert own.status_code == 200 and own.content.startswith(b"\xff\xd8")
    shown = (await world.client.get("/mobile/v1/me/presentation", headers=me)).json()["url"]
    token = shown.rsplit("/v/", 1)[1]
    page = await world.client.get(f"/v/{token}")
    assert f"/v/{token}/photo.jpg" in page.text
    photo = await world.client.get(f"/v/{token}/photo.jpg")
    assert photo.status_code == 200 and photo.content == own.content
    root = await Account.get(username="root")
    principal = Principal(root.id, "root", Role.SUPERADMIN, Scope())
    printed = await verification.card(
        Services.build(world.settings), principal, int(str(cert["id"]))
    )
    card_token = printed.url.rsplit("/v/", 1)[1]  # a card's QR never expires: no photo behind it
    assert (await world.client.get(f"/v/{card_token}/photo.jpg")).status_code == 404
    assert "photo.jpg" not in (await world.client.get(f"/v/{card_token}")).text
    public = await world.client.get(f"/api/v1/public/certificates/{cert['number']}")
    assert "photo" not in public.text
    assert "photo" not in (await world.client.get(f"/verify/{cert['number']}")).text
    assert (await world.client.get("/v/forged.token.here/photo.jpg")).status_code == 404
