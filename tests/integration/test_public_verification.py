"""Public verification on SQLite and PostgreSQL: the public view, the signed card and
presentation QRs (read back with zbar), the status list, key rotation, the rate limit."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import sys
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from PIL import Image

from service.clock import SHANGHAI, FixedClock
from service.documents import fonts
from service.domain.public import bit_is_set, decode_bitstring
from service.http import public
from service.settings import Settings
from service.usecases.services import Services
from tests.conftest import make_settings, serving
from tests.integration.world import World, build_world, id_number, issued_certificate
from tests.qr import decode_qr

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=SHANGHAI)
PUBLIC_FIELDS = {
    "number", "name", "agency", "enforcement_area", "enforcement_categories", "status",
    "status_label", "valid_from", "valid_until", "last_review_year", "issuing_authority",
    "checked_at",
}  # fmt: skip
SECRET_ID = id_number(born=date(1980, 5, 21), seq=471)
SECRET_PHONE = "13987654321"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "verify_offline.py"


@pytest.fixture
async def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # A key added by another process is read within a second (30 s by default).
    return make_settings(tmp_path / "data", database_url, KEY_REFRESH_SECONDS="1")


@pytest.fixture
async def town(settings: Settings, clock: FixedClock) -> AsyncIterator[World]:
    async with serving(settings, clock) as http:
        yield await build_world(http, settings)


async def holder(world: World) -> dict[str, Any]:
    """An active certificate whose holder has an ID number and phone to keep private."""
    return await issued_certificate(world, id_number=SECRET_ID, phone=SECRET_PHONE)


def token_of(url: str, settings: Settings) -> str:
    prefix = f"{settings.public_base_url}/v/"
    assert url.startswith(prefix), url
    return url[len(prefix) :]


async def scanned_card(world: World, cert: dict[str, Any], tmp_path: Path) -> str:
    """The token of the certificate's card QR, as zbar reads it off the PNG."""
    png = await world.client.get(
        f"/api/v1/certificates/{cert['id']}/qr.png", headers=world.auth("root")
    )
    assert png.status_code == 200, png.text
    assert png.headers["content-type"] == "image/png"
    return token_of(decode_qr(png.content, tmp_path), world.settings)


async def verify_with_jwks(world: World, token: str, audience: str = "card") -> dict[str, Any]:
    """Check a token as an outside verifier would: PyJWT, EdDSA only, the published key."""
    keys = (await world.client.get("/.well-known/jwks.json")).json()["keys"]
    kid = jwt.get_unverified_header(token)["kid"]
    (published,) = [k for k in keys if k["kid"] == kid]
    key = jwt.PyJWK(published).key
    # Times are the app's fixed clock, not the wall clock: the tests judge expiry.
    claims: dict[str, Any] = jwt.decode(
        token, key, algorithms=["EdDSA"], audience=audience, options={"verify_exp": False}
    )
    return claims


def assert_private_fields_absent(text: str) -> None:
    for secret in (SECRET_ID, SECRET_PHONE, "1980-05-21", "19800521"):
        assert secret not in text


async def test_public_view_has_only_public_fields_and_live_status(town: World) -> None:
    cert = await holder(town)
    response = await town.client.get(f"/api/v1/public/certificates/{cert['number']}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == PUBLIC_FIELDS
    assert body["name"] == "张伟"
    assert body["agency"] == "英吉沙县市场监督管理局"
    assert body["issuing_authority"] == "英吉沙县司法局"
    assert (body["status"], body["status_label"]) == ("active", "有效")
    assert body["enforcement_categories"] == ["市场监管", "食品安全"]
    assert response.headers["cache-control"] == "no-cache"
    assert_private_fields_absent(response.text)


async def test_every_public_answer_keeps_id_number_and_phone_private(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    number = cert["number"]
    token = await scanned_card(town, cert, tmp_path)
    pages = [
        f"/api/v1/public/certificates/{number}",
        f"/verify/{number}",
        f"/v/{token}",
        f"/api/v1/public/credentials/{token}",
        "/api/v1/public/status-list",
        "/.well-known/jwks.json",
        "/verify",
    ]
    for path in pages:
        response = await town.client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert_private_fields_absent(response.text)
    # Nor does the signed token itself carry them.
    payload = token.split(".")[1]
    assert_private_fields_absent(base64.urlsafe_b64decode(payload + "==").decode())


async def test_mistyped_number_is_refused_before_lookup_and_unknown_is_404(town: World) -> None:
    cert = await holder(town)
    number = str(cert["number"])
    wrong_check = number[:15] + ("0" if number[15] != "0" else "1")
    bad = await town.client.get(f"/api/v1/public/certificates/{wrong_check}")
    assert bad.status_code == 422
    assert bad.json()["code"] == "certificate.bad_number"
    page = await town.client.get(f"/verify/{wrong_check}")
    assert page.status_code == 422
    assert "校验位不正确" in page.text
    unknown = number[:10] + "99999"
    from service.domain.checksum import mod11_2

    unknown += mod11_2(unknown)
    missing = await town.client.get(f"/api/v1/public/certificates/{unknown}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "certificate.not_found"
    assert (await town.client.get(f"/verify/{unknown}")).status_code == 404


async def test_the_quick_lookup_answers_as_the_route_and_leaves_it_the_rest(
    town: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick: list[str] = []
    call = public.QuickLookups.__call__

    async def counted(self: Any, scope: Any, receive: Any, send: Any) -> None:
        quick.append(scope["query_string"].decode())
        await call(self, scope, receive, send)

    monkeypatch.setattr(public.QuickLookups, "__call__", counted)
    number = (await holder(town))["number"]
    plain = await town.client.get(f"/api/v1/public/certificates/{number}")
    routed = await town.client.get(f"/api/v1/public/certificates/{number}?lang=zh")
    assert quick == ["", "lang=zh"]  # the second went on to the route
    assert (plain.status_code, routed.status_code) == (200, 200)
    assert {**plain.json(), "checked_at": None} == {**routed.json(), "checked_at": None}
    assert set(plain.headers) - {"x-request-id"} == set(routed.headers) - {"x-request-id"}
    for name in ("content-type", "cache-control", "ratelimit-limit", "x-content-type-options"):
        assert plain.headers[name] == routed.headers[name], name
    assert (
        int(plain.headers["ratelimit-remaining"]) == int(routed.headers["ratelimit-remaining"]) + 1
    )
    wrong = str(number)[:15] + ("0" if str(number)[15] != "0" else "1")
    bad = await town.client.get(f"/api/v1/public/certificates/{wrong}")
    assert (bad.status_code, bad.json()["code"]) == (422, "certificate.bad_number")
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert bad.headers["x-request-id"] and bad.headers["x-content-type-options"] == "nosniff"


async def test_verify_form_sends_the_typed_number_to_its_page(town: World) -> None:
    cert = await holder(town)
    form = await town.client.get("/verify")
    assert form.status_code == 200
    assert "输入证件上的证号" in form.text
    typed = await town.client.get("/verify", params={"number": f" {str(cert['number']).lower()} "})
    assert typed.status_code in (302, 303, 307)
    assert typed.headers["location"] == f"/verify/{cert['number']}"


async def test_page_speaks_english_when_the_browser_asks(town: World) -> None:
    cert = await holder(town)
    english = await town.client.get(
        f"/verify/{cert['number']}", headers={"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
    )
    assert "Valid" in english.text and "有效" not in english.text
    assert english.headers["content-language"] == "en"
    chinese = await town.client.get(
        f"/verify/{cert['number']}", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
    )
    assert "有效" in chinese.text


async def test_card_qr_decodes_to_a_token_that_verifies_with_the_published_jwks(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    token = await scanned_card(town, cert, tmp_path)  # a PNG, read by zbar
    claims = await verify_with_jwks(town, token)
    assert claims["sub"] == cert["number"]
    assert claims["name"] == "张伟"
    assert claims["agency"] == "英吉沙县市场监督管理局"
    assert (claims["valid_from"], claims["valid_until"]) == (
        cert["valid_from"],
        cert["valid_until"],
    )
    assert isinstance(claims["status_index"], int)
    assert jwt.get_unverified_header(token)["alg"] == "EdDSA"
    page = await town.client.get(f"/v/{token}")
    assert page.status_code == 200
    assert "签名有效" in page.text and "有效" in page.text


async def test_printable_card_is_id1_at_300_dpi_and_its_qr_reads_back(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    response = await town.client.get(
        f"/api/v1/certificates/{cert['id']}/card.png", headers=town.auth("yjs_admin")
    )
    assert response.status_code == 200, response.text
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1011, 638)
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
    token = token_of(decode_qr(response.content, tmp_path), settings)
    assert (await verify_with_jwks(town, token))["sub"] == cert["number"]


async def test_card_without_a_cjk_font_names_the_font_to_install(
    town: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cert = await holder(town)
    monkeypatch.setattr(fonts, "FONT_CANDIDATES", ())
    monkeypatch.setattr(fonts, "fontconfig_cjk", lambda: None)
    response = await town.client.get(
        f"/api/v1/certificates/{cert['id']}/card.png", headers=town.auth("root")
    )
    assert response.status_code == 503
    assert response.json()["code"] == "card.font_missing"
    assert "fonts-wqy-microhei" in response.json()["detail"]


async def test_cards_only_for_certificates_in_force_and_in_scope(town: World) -> None:
    cert = await holder(town)
    url = f"/api/v1/certificates/{cert['id']}"
    assert (
        await town.client.get(f"{url}/card.png", headers=town.auth("hy_admin"))
    ).status_code == 404
    agency = await town.client.get(f"{url}/qr.png", headers=town.auth("market_admin"))
    assert agency.status_code == 403
    await town.client.post(f"{url}/suspend", json={"reason": "调查"}, headers=town.auth("root"))
    refused = await town.client.get(f"{url}/qr.png", headers=town.auth("root"))
    assert refused.status_code == 409
    assert refused.json()["code"] == "certificate.not_in_force"


async def test_tampered_or_unsigned_tokens_are_not_genuine(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    token = await scanned_card(town, cert, tmp_path)
    head, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["valid_until"] = "2099-12-31"
    altered = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    none_header = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    foreign = jwt.encode(claims, _foreign_key(), algorithm="EdDSA", headers={"kid": "0001-x"})
    for forged in (
        f"{head}.{altered}.{signature}",
        f"{none_header}.{payload}.",
        foreign,
        "garbage",
    ):
        page = await town.client.get(f"/v/{forged}")
        assert page.status_code == 400, forged
        assert "不是本系统签发" in page.text
        verdict = (await town.client.get(f"/api/v1/public/credentials/{forged}")).json()
        assert (verdict["genuine"], verdict["verdict"], verdict["certificate"]) == (
            False,
            "forged",
            None,
        )


def _foreign_key() -> Any:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.generate()


async def test_suspension_shows_at_once_on_json_page_and_card_link(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    token = await scanned_card(town, cert, tmp_path)
    views = [
        f"/api/v1/public/certificates/{cert['number']}",
        f"/verify/{cert['number']}",
        f"/v/{token}",
    ]
    for path in views:  # warm the cache with the active status
        assert "有效" in (await town.client.get(path)).text
    suspended = await town.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "涉嫌违规执法"},
        headers=town.auth("yjs_admin"),
    )
    assert suspended.status_code == 200
    body = (await town.client.get(views[0])).json()
    assert (body["status"], body["status_label"]) == ("suspended", "暂扣")
    for path in views[1:]:
        page = await town.client.get(path)
        assert "暂扣" in page.text
    assert "签名有效" in (await town.client.get(views[2])).text  # genuine, but suspended
    await town.client.post(
        f"/api/v1/certificates/{cert['id']}/reinstate",
        json={"reason": "调查结束"},
        headers=town.auth("root"),
    )
    assert (await town.client.get(views[0])).json()["status"] == "active"


async def test_renaming_the_holder_shows_at_once_and_the_old_card_says_what_changed(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    token = await scanned_card(town, cert, tmp_path)
    assert (await town.client.get(f"/api/v1/public/credentials/{token}")).json()["changed"] == []
    renamed = await town.client.patch(
        f"/api/v1/officers/{cert['officer_id']}", json={"name": "张伟华"}, headers=town.auth("root")
    )
    assert renamed.status_code == 200
    public = await town.client.get(f"/api/v1/public/certificates/{cert['number']}")
    assert public.json()["name"] == "张伟华"
    verdict = (await town.client.get(f"/api/v1/public/credentials/{token}")).json()
    assert verdict["genuine"] is True
    assert verdict["changed"] == ["name"]


async def test_status_list_sets_suspension_and_revocation_bits_and_is_signed(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    active = await holder(town)
    suspended = await issued_certificate(town, id_number=id_number(seq=2))
    revoked = await issued_certificate(town, id_number=id_number(seq=3))
    root = town.auth("root")
    await town.client.post(
        f"/api/v1/certificates/{suspended['id']}/suspend", json={"reason": "调查"}, headers=root
    )
    await town.client.post(
        f"/api/v1/certificates/{revoked['id']}/revoke", json={"reason": "出借证件"}, headers=root
    )
    index = {}
    for cert in (active, suspended, revoked):
        row = await town.client.get(f"/api/v1/certificates/{cert['id']}", headers=root)
        index[cert["id"]] = row.json()["status_index"]
    listing = (await town.client.get("/api/v1/public/status-list")).json()
    assert listing["size"] == 131_072
    lists = {
        entry["statusPurpose"]: decode_bitstring(entry["encodedList"]) for entry in listing["lists"]
    }
    assert all(len(bits) == 16_384 for bits in lists.values())
    bits = {
        cert_id: (bit_is_set(lists["revocation"], i), bit_is_set(lists["suspension"], i))
        for cert_id, i in index.items()
    }
    assert bits == {
        active["id"]: (False, False),
        suspended["id"]: (False, True),
        revoked["id"]: (True, False),
    }
    signed = await verify_with_jwks(town, listing["jwt"], audience="status-list")
    assert signed["revocation"] == listing["lists"][0]["encodedList"]
    assert signed["suspension"] == listing["lists"][1]["encodedList"]
    # The list is no card: presented at /v/ it is refused.
    assert (await town.client.get(f"/v/{listing['jwt']}")).status_code == 400


async def test_rotation_keeps_old_cards_verifiable_and_signs_new_ones_with_the_new_key(
    town: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(town)
    old = await scanned_card(town, cert, tmp_path)
    elsewhere = Services.build(settings)  # as `officer-cert keys rotate`, another process
    new_key = await elsewhere.credentials.ring.rotate()
    await asyncio.sleep(1.1)  # KEY_REFRESH_SECONDS: the app reads its ring again by then
    kids = [k["kid"] for k in (await town.client.get("/.well-known/jwks.json")).json()["keys"]]
    assert len(kids) == 2 and kids[-1] == new_key.kid
    new = await scanned_card(town, cert, tmp_path)
    assert jwt.get_unverified_header(new)["kid"] == new_key.kid
    assert jwt.get_unverified_header(old)["kid"] != new_key.kid
    for token in (old, new):
        assert (await verify_with_jwks(town, token))["sub"] == cert["number"]
        assert (await town.client.get(f"/api/v1/public/credentials/{token}")).json()[
            "genuine"
        ] is True


async def test_presentation_qr_verifies_for_five_minutes_then_expires(
    town: World, settings: Settings, clock: FixedClock, tmp_path: Path
) -> None:
    cert = await holder(town)
    officer = {"id": cert["officer_id"]}
    assert (await town.give_login(officer)).status_code == 201
    login = await town.mobile_login(SECRET_ID)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    png = await town.client.get("/mobile/v1/me/presentation-qr.png", headers=headers)
    assert png.status_code == 200, png.text
    expires = datetime.fromisoformat(png.headers["x-expires-at"])
    assert expires == clock.now() + timedelta(minutes=5)
    token = token_of(decode_qr(png.content, tmp_path), settings)
    claims = await verify_with_jwks(town, token, audience="presentation")
    assert claims["exp"] - claims["iat"] == 300
    page = await town.client.get(f"/v/{token}")
    assert page.status_code == 200
    assert "亮证二维码签名有效" in page.text
    clock.advance(timedelta(minutes=4, seconds=59))
    assert (await town.client.get(f"/api/v1/public/credentials/{token}")).json()[
        "verdict"
    ] == "genuine"
    clock.advance(timedelta(seconds=1))
    expired = await town.client.get(f"/v/{token}")
    assert expired.status_code == 400
    assert "已过期" in expired.text
    assert (await town.client.get(f"/api/v1/public/credentials/{token}")).json()[
        "verdict"
    ] == "expired"


async def test_presentation_needs_a_certificate_in_force(town: World) -> None:
    cert = await holder(town)
    assert (await town.give_login({"id": cert["officer_id"]})).status_code == 201
    login = await town.mobile_login(SECRET_ID)
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    await town.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "调查"},
        headers=town.auth("root"),
    )
    refused = await town.client.get("/mobile/v1/me/presentation", headers=headers)
    assert refused.status_code == 409
    assert refused.json()["code"] == "certificate.not_in_force"
    staff = await town.client.get("/mobile/v1/me/presentation", headers=town.auth("root"))
    assert staff.status_code == 403


async def test_public_endpoints_answer_429_with_retry_after_past_the_limit(
    tmp_path: Path, database_url: str
) -> None:
    settings = make_settings(tmp_path / "data", database_url, PUBLIC_RATE_PER_MINUTE="3")
    async with serving(settings) as http:
        answers = [
            (await http.get("/api/v1/public/certificates/6531230326000011")).status_code
            for _ in range(3)
        ]
        assert answers == [422, 422, 422]
        limited = await http.get("/verify")
        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert int(limited.headers["retry-after"]) > 0


async def test_example_verifier_checks_a_card_offline_with_the_jwks_and_status_list(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    cert = await holder(world)
    png = await world.client.get(
        f"/api/v1/certificates/{cert['id']}/qr.png", headers=world.auth("root")
    )
    qr_text = decode_qr(png.content, tmp_path)

    async def offline(text: str) -> tuple[int, str]:
        jwks = tmp_path / "jwks.json"
        jwks.write_text((await world.client.get("/.well-known/jwks.json")).text)
        listing = tmp_path / "status-list.json"
        listing.write_text((await world.client.get("/api/v1/public/status-list")).text)
        args = [str(EXAMPLE), text, "--jwks", str(jwks), "--status-list", str(listing)]
        process = await asyncio.create_subprocess_exec(
            sys.executable, *args, stdout=asyncio.subprocess.PIPE
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
        return await process.wait(), out.decode()

    status, said = await offline(qr_text)
    assert (status, said.split(" ")[0]) == (0, "有效")
    await world.client.post(
        f"/api/v1/certificates/{cert['id']}/suspend",
        json={"reason": "调查"},
        headers=world.auth("root"),
    )
    status, said = await offline(qr_text)
    assert (status, said.split(" ")[0]) == (1, "暂扣")
    head, payload, signature = token_of(qr_text, settings).split(".")
    status, said = await offline(f"{head}.{payload[:-4]}AAAA.{signature}")
    assert status == 1
    assert said.startswith("不是真实的行政执法证")
