"""A small realistic world: two counties with their bureaus, departments and staff."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import httpx

from service.demo import make_id_number
from service.domain.access import Role
from service.domain.hours import HourCategory, LedgerSource
from service.settings import Settings
from service.store.models import HourEntry
from service.usecases import accounts
from service.usecases.services import Services

PASSWORD = "Fayuan-2026!"
OFFICER_PASSWORD = "Zhifa-2026"


def id_number(
    region: str = "653123", born: date = date(1988, 3, 14), seq: int = 1, male: bool = True
) -> str:
    return make_id_number(region, born, seq, male)


@dataclass
class World:
    client: httpx.AsyncClient
    settings: Settings
    agencies: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    async def relogin(self) -> None:
        """Fresh access tokens for every account (after moving a fixed clock on)."""
        for who in self.tokens:
            self.tokens[who] = str((await self.login(who))["access_token"])

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    async def login(self, username: str, password: str = PASSWORD) -> dict[str, object]:
        response = await self.client.post(
            "/api/v1/auth/token", json={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        body: dict[str, object] = response.json()
        return body

    async def mobile_login(
        self, username: object, password: str = OFFICER_PASSWORD, device_id: str = "iphone-7f3a9c"
    ) -> httpx.Response:
        return await self.client.post(
            "/mobile/v1/auth/token",
            json={"username": username, "password": password, "device_id": device_id},
        )

    async def give_login(
        self, officer: dict[str, object], password: str = OFFICER_PASSWORD, who: str = "root"
    ) -> httpx.Response:
        return await self.client.post(
            f"/api/v1/officers/{officer['id']}/account",
            json={"password": password},
            headers=self.auth(who),
        )

    async def create_officer(self, who: str = "root", **fields: object) -> dict[str, object]:
        body = {
            "name": "张伟",
            "id_number": id_number(),
            "agency_id": self.agencies["yjs_market"],
            "employment_type": "civil_servant",
            "phone": "13912345678",
            "post": "执法科员",
            **fields,
        }
        response = await self.client.post("/api/v1/officers", json=body, headers=self.auth(who))
        assert response.status_code == 201, response.text
        result: dict[str, object] = response.json()
        return result


async def build_world(client: httpx.AsyncClient, settings: Settings) -> World:
    world = World(client, settings)
    services = Services.build(settings)
    await accounts.create_staff_account(
        services, username="root", password=PASSWORD, role=Role.SUPERADMIN
    )
    world.tokens["root"] = str((await world.login("root"))["access_token"])
    for code, name, level, parent in (
        ("650000", "新疆维吾尔自治区", "province", None),
        ("653100", "喀什地区", "city", "650000"),
        ("653123", "英吉沙县", "county", "653100"),
        ("610000", "陕西省", "province", None),
        ("610900", "安康市", "city", "610000"),
        ("610921", "汉阴县", "county", "610900"),
    ):
        response = await client.post(
            "/api/v1/regions",
            json={"code": code, "name": name, "level": level, "parent_code": parent},
            headers=world.auth("root"),
        )
        assert response.status_code == 201, response.text
    for key, name, region, sector, kind in (
        ("yjs_justice", "英吉沙县司法局", "653123", "01", "justice_bureau"),
        ("yjs_market", "英吉沙县市场监督管理局", "653123", "03", "department"),
        ("hy_justice", "汉阴县司法局", "610921", "01", "justice_bureau"),
    ):
        response = await client.post(
            "/api/v1/agencies",
            json={"name": name, "region_code": region, "sector": sector, "kind": kind},
            headers=world.auth("root"),
        )
        assert response.status_code == 201, response.text
        world.agencies[key] = response.json()["id"]
    for username, role, region, agency in (
        ("yjs_admin", Role.BUREAU_ADMIN, "653123", None),
        ("kashgar_admin", Role.BUREAU_ADMIN, "653100", None),
        ("hy_admin", Role.BUREAU_ADMIN, "610921", None),
        ("market_admin", Role.AGENCY_ADMIN, None, world.agencies["yjs_market"]),
        ("trainer", Role.ORGANISER, None, world.agencies["yjs_justice"]),
    ):
        await accounts.create_staff_account(
            services,
            username=username,
            password=PASSWORD,
            role=role,
            region_code=region,
            agency_id=agency,
        )
        world.tokens[username] = str((await world.login(username))["access_token"])
    return world


async def record_passed_exams(
    world: World, officer_id: object, who: str = "root", taken_on: str = "2026-06-18"
) -> None:
    for kind, score in (("general_law", 82.5), ("specialised", 76)):
        response = await world.client.post(
            f"/api/v1/officers/{officer_id}/exams",
            json={"kind": kind, "score": score, "taken_on": taken_on},
            headers=world.auth(who),
        )
        assert response.status_code == 201, response.text


async def apply_for(world: World, officer_id: object, who: str = "root") -> dict[str, object]:
    response = await world.client.post(
        "/api/v1/certificates",
        json={
            "officer_id": officer_id,
            "enforcement_area": "英吉沙县",
            "enforcement_categories": ["市场监管", "食品安全"],
        },
        headers=world.auth(who),
    )
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


async def issued_certificate(
    world: World, exams_on: str = "2026-06-18", **officer: object
) -> dict[str, object]:
    """An eligible officer of the market bureau with an active certificate."""
    person = await world.create_officer(**officer)
    await record_passed_exams(world, person["id"], taken_on=exams_on)
    pending = await apply_for(world, person["id"])
    response = await world.client.post(
        f"/api/v1/certificates/{pending['id']}/issue", headers=world.auth("yjs_admin")
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def credit(officer_id: object, category: HourCategory, tenths: int, year: int) -> None:
    """Hours straight into the ledger (an adjustment dated in June of `year`)."""
    await HourEntry.create(
        officer_id=officer_id,
        year=year,
        category=category,
        tenths=tenths,
        source=LedgerSource.ADJUSTMENT,
        title="学时补录",
        reason=f"{year}年学时导入",
        occurred_on=date(year, 6, 5),
    )
