"""Use cases run directly, without HTTP: a migrated database of the backend under test,
the services on a fixed clock, and a small county built through the use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from tortoise.backends.base.executor import EXECUTOR_CACHE

from service.clock import FixedClock
from service.demo import make_id_number
from service.domain.access import Principal, Role
from service.domain.organisation import AgencyKind, RegionLevel
from service.domain.people import EmploymentType, ExamKind
from service.settings import Settings
from service.store.cache import LocalStore
from service.store.database import connected
from service.store.models import Officer
from service.usecases import accounts, auth, officers, records, reference
from service.usecases.services import Services

NOW = datetime(2026, 6, 20, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
PASSWORD = "Fayuan-2026!"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def services(settings: Settings, clock: FixedClock) -> AsyncIterator[Services]:
    EXECUTOR_CACHE.clear()  # compiled statements are cached per connection name
    built = Services.build(settings, clock, cache=LocalStore())
    async with connected(settings):
        yield built
        await built.after_commit.drain()


@dataclass
class County:
    """英吉沙县 with its justice bureau and market regulator, a superadmin and the bureau's
    admin."""

    services: Services
    root: Principal
    bureau: Principal
    justice_id: int
    market_id: int
    people: int = 0

    async def officer(self, name: str = "张伟", *, exams: bool = True) -> Officer:
        """An established officer of the market regulator, with passed exams."""
        self.people += 1
        number = make_id_number("653123", date(1988, 3, 14), self.people, male=True)
        new = officers.NewOfficer(
            name=name,
            id_number=number,
            agency_id=self.market_id,
            employment_type=EmploymentType.CIVIL_SERVANT,
        )
        officer = await officers.create_officer(self.services, self.root, new)
        if exams:
            for kind, score in ((ExamKind.GENERAL_LAW, "82.5"), (ExamKind.SPECIALISED, "76")):
                exam = records.NewExam(kind, Decimal(score), date(2026, 6, 18))
                await records.record_exam(self.services, self.root, officer.id, exam)
        return officer


async def staff(services: Services, username: str, role: Role, **scope: object) -> Principal:
    account = await accounts.create_staff_account(
        services,
        username=username,
        password=PASSWORD,
        role=role,
        **scope,  # type: ignore[arg-type]
    )
    return await auth.staff_principal(account.id)


@pytest.fixture
async def county(services: Services) -> County:
    root = await staff(services, "root", Role.SUPERADMIN)
    for code, name, level, parent in (
        ("650000", "新疆维吾尔自治区", RegionLevel.PROVINCE, None),
        ("653100", "喀什地区", RegionLevel.CITY, "650000"),
        ("653123", "英吉沙县", RegionLevel.COUNTY, "653100"),
    ):
        await reference.create_region(root, reference.NewRegion(code, name, level, parent))
    justice = await reference.create_agency(
        root, reference.NewAgency("英吉沙县司法局", "653123", "01", AgencyKind.JUSTICE_BUREAU)
    )
    market = await reference.create_agency(
        root, reference.NewAgency("英吉沙县市场监督管理局", "653123", "03", AgencyKind.DEPARTMENT)
    )
    bureau = await staff(services, "yjs_admin", Role.BUREAU_ADMIN, region_code="653123")
    return County(services, root, bureau, justice.id, market.id)
