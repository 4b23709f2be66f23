"""A training session under way and many officers logged in to scan its QR: what the
check-in benchmark (bench/checkin.py) and the crash test (tests/e2e/test_checkin_crash.py)
load a server with.

Officers, their accounts and one login each are written in bulk; each login's access
token is the one `auth.login` would issue (same claims, same key ring), so the server
checks them like any other.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from service.domain.access import Principal, Role, Scope
from service.domain.hours import HourCategory
from service.domain.organisation import AgencyKind, RegionLevel
from service.domain.people import EmploymentType, Gender
from service.domain.training import ScanKind
from service.settings import Settings
from service.store.database import apply_migrations, connected
from service.store.models import Account, Agency, Officer, RefreshToken
from service.usecases import accounts, auth, reference, sessions
from service.usecases.checkin_tokens import issue_qr
from service.usecases.services import Services

REGIONS = (
    ("650000", "新疆维吾尔自治区", RegionLevel.PROVINCE, None),
    ("653100", "喀什地区", RegionLevel.CITY, "650000"),
    ("653123", "英吉沙县", RegionLevel.COUNTY, "653100"),
)


async def bulk_officers(agency_id: int, count: int) -> None:
    """`count` officers of the agency, 干部1 to 干部N, ID numbers B000…1 on (not real ID
    numbers: no person can be found by them)."""
    await Officer.bulk_create(
        [
            Officer(
                name=f"干部{i}",
                id_number=f"B{i:017d}",
                birth_date=date(1985, 1, 1),
                gender=Gender.MALE,
                agency_id=agency_id,
                employment_type=EmploymentType.CIVIL_SERVANT,
            )
            for i in range(1, count + 1)
        ],
        batch_size=2_000,
    )


@dataclass(frozen=True, slots=True)
class CheckinLoad:
    session_id: int
    officer_ids: list[int]
    tokens: list[str]  # officer_ids[i]'s access token
    checkin_qr: str
    checkout_qr: str


async def prepare_checkin_load(
    settings: Settings,
    officers: int,
    *,
    admin_password: str,
    token_hours: int = 2,
    requires_checkout: bool = False,
) -> CheckinLoad:
    """Migrate, then write a superadmin `bench` (with `admin_password`), a county, its
    justice bureau, `officers` officers with logins, and a session under way (started 10
    minutes ago, ending in 3 hours); the QR tokens last as long as QR_ROTATION_SECONDS."""
    await apply_migrations(settings)
    async with connected(settings):
        services = Services.build(settings)
        admin = await accounts.create_staff_account(
            services, username="bench", password=admin_password, role=Role.SUPERADMIN
        )
        root = Principal(admin.id, admin.username, Role.SUPERADMIN, Scope())
        for code, name, level, parent in REGIONS:
            await reference.create_region(root, reference.NewRegion(code, name, level, parent))
        agency = await Agency.create(
            name="英吉沙县司法局", region_id="653123", sector="01", kind=AgencyKind.JUSTICE_BUREAU
        )
        await bulk_officers(agency.id, officers)
        rows = await Officer.all().order_by("id").values_list("id", "id_number")
        unusable = "!" + secrets.token_hex(16)  # no password logs these accounts in
        await Account.bulk_create(
            [
                Account(username=number, password=unusable, role=Role.OFFICER, officer_id=oid)
                for oid, number in rows
            ],
            batch_size=2_000,
        )
        logins = await Account.filter(role=Role.OFFICER).order_by("officer_id")
        now = services.now()
        families = [secrets.token_hex(16) for _ in logins]
        await RefreshToken.bulk_create(
            [
                RefreshToken(
                    account_id=account.id,
                    token_hash=secrets.token_hex(32),
                    family=family,
                    issued_at=now,
                    expires_at=now + timedelta(days=1),
                )
                for account, family in zip(logins, families, strict=True)
            ],
            batch_size=2_000,
        )
        ttl = timedelta(hours=token_hours)
        tokens = [
            await services.access_tokens.encode(
                auth.access_claims(account, Scope(), family), now=now, ttl=ttl
            )
            for account, family in zip(logins, families, strict=True)
        ]
        session = await sessions.create_session(
            services,
            root,
            sessions.NewSession(
                title="压力测试培训",
                category=HourCategory.PUBLIC_LAW,
                credit_tenths=20,
                starts_at=now - timedelta(minutes=10),
                ends_at=now + timedelta(hours=3),
                organiser_agency_id=agency.id,
                requires_checkout=requires_checkout,
            ),
        )
        return CheckinLoad(
            session_id=session.id,
            officer_ids=[oid for oid, _ in rows],
            tokens=tokens,
            checkin_qr=(await issue_qr(services, session.id, ScanKind.CHECKIN)).token,
            checkout_qr=(await issue_qr(services, session.id, ScanKind.CHECKOUT)).token,
        )
