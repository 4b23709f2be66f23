"""Demo data: four real regions, their justice bureaus and departments, ~50 officers,
with a history: certificates issued since 2019 (taken in through the import, with the
numbers printed on them), hours of 2024 and 2025 reported by training providers, the
annual review of 2024 passed and failed; so a newcomer can run the review of last year.

Loaded through the same use cases as the API, so every rule applies to it. Officers'
ID numbers are made up but valid (region of the county, a birth date, a checksum).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from service import demo_history
from service.clock import SHANGHAI
from service.domain.access import Principal, Role, Scope
from service.domain.checksum import mod11_2
from service.domain.hours import HourCategory, LedgerSource
from service.domain.organisation import SECTORS, AgencyKind, RegionLevel
from service.domain.people import EmploymentType, ExamKind
from service.store.models import (
    Account,
    Agency,
    HourEntry,
    Officer,
    Region,
    TrainingSession,
)
from service.usecases import accounts, officers, records, reference
from service.usecases.certificates import lifecycle
from service.usecases.services import Services

REGIONS: list[tuple[str, str, RegionLevel, str | None]] = [
    ("650000", "新疆维吾尔自治区", RegionLevel.PROVINCE, None),
    ("653100", "喀什地区", RegionLevel.CITY, "650000"),
    ("653123", "英吉沙县", RegionLevel.COUNTY, "653100"),
    ("610000", "陕西省", RegionLevel.PROVINCE, None),
    ("610900", "安康市", RegionLevel.CITY, "610000"),
    ("610921", "汉阴县", RegionLevel.COUNTY, "610900"),
    ("320000", "江苏省", RegionLevel.PROVINCE, None),
    ("320900", "盐城市", RegionLevel.CITY, "320000"),
    ("320904", "盐城市大丰区", RegionLevel.COUNTY, "320900"),
    ("450000", "广西壮族自治区", RegionLevel.PROVINCE, None),
    ("450700", "钦州市", RegionLevel.CITY, "450000"),
]
# The region each set of agencies sits in, and the short name they carry.
AGENCY_REGIONS = {"653123": "英吉沙县", "610921": "汉阴县", "320904": "大丰区", "450700": "钦州市"}
DEPARTMENTS = [
    ("司法局", "01", AgencyKind.JUSTICE_BUREAU),
    ("市场监督管理局", "03", AgencyKind.DEPARTMENT),
    ("交通运输局", "05", AgencyKind.DEPARTMENT),
    ("农业农村局", "06", AgencyKind.DEPARTMENT),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红梅海燕东博涵桐浩然"
UYGHUR = [
    "阿不都热合曼·吾斯曼",
    "古丽娜尔·买买提",
    "艾尔肯·吐尔逊",
    "热依拉·艾合买提",
    "买买提江·阿不拉",
    "迪丽努尔·艾山",
    "努尔艾力·库尔班",
    "阿依古丽·吐地",
    "艾合买提·托合提",
    "帕提古丽·热合曼",
]
POSTS = ["执法科员", "执法大队队员", "法制审核员", "科长", "副大队长"]
EMPLOYMENT = [
    EmploymentType.CIVIL_SERVANT,
    EmploymentType.CIVIL_SERVANT,
    EmploymentType.CIVIL_SERVANT_MANAGED,
    EmploymentType.PUBLIC_INSTITUTION,
    EmploymentType.CONTRACT,
]


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    where: str


def make_id_number(region_code: str, born: date, seq: int, male: bool) -> str:
    sequence = seq * 10 % 1000 + (1 if male else 0)  # last digit: odd for men
    body = f"{region_code}{born:%Y%m%d}{sequence:03d}"
    return body + mod11_2(body)


async def is_loaded() -> bool:
    return await Region.exists(code="653123")


async def load(
    services: Services, password: str, *, officers_per_agency: int = 3
) -> list[DemoAccount]:
    """Create the demo regions, agencies, officers, accounts and sessions."""
    rng = random.Random(2260)  # noqa: S311 - demo names, not secrets
    admin = await Account.filter(role=Role.SUPERADMIN).order_by("id").first()
    if admin is None:
        raise RuntimeError("create the superuser before loading the demo data")
    # Loaded in the superuser's name, so the event log says who did it.
    loader = Principal(admin.id, admin.username, Role.SUPERADMIN, Scope())
    for code, name, level, parent in REGIONS:
        await reference.create_region(loader, reference.NewRegion(code, name, level, parent))
    made: list[DemoAccount] = []
    seq = 0
    first_officer_of: dict[str, int] = {}
    for region_code, short in AGENCY_REGIONS.items():
        for suffix, sector, kind in DEPARTMENTS:
            agency = await reference.create_agency(
                loader, reference.NewAgency(f"{short}{suffix}", region_code, sector, kind)
            )
            for _ in range(officers_per_agency + (1 if sector == "03" else 0)):
                seq += 1
                officer = await officers.create_officer(
                    services, loader, _officer(rng, region_code, agency.id, seq)
                )
                first_officer_of.setdefault(region_code, officer.id)
    await _accounts(services, loader, password, first_officer_of, made)
    await _sessions(services)
    await _certificates(services, loader)
    await demo_history.past_hours(services, loader, rng, AGENCY_REGIONS)
    await demo_history.review_2024(services, loader, AGENCY_REGIONS)
    await demo_history.plans_this_year(services, loader)
    await _hours(services, rng)
    return made


async def _hours(services: Services, rng: random.Random) -> None:
    """Hours earned so far this year (entered as adjustments of earlier training), so
    the progress pages, reports, reminders and dashboard have something to show: about a
    third of the officers done, the rest some way along."""
    today = services.clock.now().astimezone(SHANGHAI).date()
    entries = []
    for officer_id in await Officer.all().order_by("id").values_list("id", flat=True):
        share = rng.choice((0.0, 0.3, 0.6, 0.8, 1.0, 1.0, 1.2))
        for category, needed in ((HourCategory.PUBLIC_LAW, 200), (HourCategory.PROFESSIONAL, 400)):
            left = int(needed * share) // 5 * 5
            while left > 0:
                tenths = min(left, rng.choice((20, 30, 40, 60)))
                left -= tenths
                day = date(today.year, rng.randint(1, today.month), 1)
                entries.append(
                    HourEntry(
                        officer_id=officer_id,
                        year=today.year,
                        category=category,
                        tenths=tenths,
                        source=LedgerSource.ADJUSTMENT,
                        title="往期培训学时补录",
                        reason="演示数据",
                        occurred_on=min(day + timedelta(days=rng.randint(0, 27)), today),
                    )
                )
    await HourEntry.bulk_create(entries, batch_size=500)


async def _certificates(services: Services, loader: Principal) -> None:
    """Certificates for the established staff. A third are issued today, through the
    lifecycle: most active, one suspended, one revoked, the last few still pending
    (applied for, not yet issued). The rest were issued between 2019 and 2025, before the
    bureaus used the service, and are taken in through the certificate import with the
    numbers printed on them: Xinjiang's and Shaanxi's in their provincial formats, the
    others in a 16-character format like ours."""
    eligible = (
        await Officer.filter(
            employment_type__in=[e for e in EmploymentType if e.may_hold_certificate]
        )
        .order_by("id")
        .select_related("agency")
    )
    fresh = [officer for n, officer in enumerate(eligible) if n % 3 == 0]
    await _issued_today(services, loader, fresh)
    await demo_history.imported(
        services, loader, [o for o in eligible if o not in fresh], AGENCY_REGIONS
    )


async def _issued_today(services: Services, loader: Principal, eligible: list[Officer]) -> None:
    taken_on = services.today() - timedelta(days=45)
    for n, officer in enumerate(eligible):
        for kind, score in (
            (ExamKind.GENERAL_LAW, 70 + n % 25),
            (ExamKind.SPECIALISED, 65 + n % 30),
        ):
            await records.record_exam(
                services, loader, officer.id, records.NewExam(kind, Decimal(score), taken_on)
            )
        area = AGENCY_REGIONS[officer.agency.region_id]  # type: ignore[attr-defined]
        pending = await lifecycle.apply_for_certificate(
            services,
            loader,
            lifecycle.NewCertificate(officer.id, area, [SECTORS[officer.agency.sector]]),
        )
        if n >= len(eligible) - 3:
            continue
        await lifecycle.issue_certificate(services, loader, pending.id)
        if n == 1:
            await lifecycle.suspend_certificate(
                services,
                loader,
                pending.id,
                reason="执法过程中未按规定出示证件，责令整改",
                until=None,
                expected_version=None,
            )
        if n == 2:
            await lifecycle.revoke_certificate(
                services, loader, pending.id, reason="将执法证借给他人使用", expected_version=None
            )


def _officer(rng: random.Random, region_code: str, agency_id: int, seq: int) -> officers.NewOfficer:
    male = rng.random() < 0.6
    if region_code == "653123" and rng.random() < 0.7:
        name = rng.choice(UYGHUR)
    else:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
    born = date(1970, 1, 1) + timedelta(days=rng.randrange(0, 365 * 30))
    id_region = region_code if region_code != "450700" else "450702"  # Qinnan district
    phone = f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"
    return officers.NewOfficer(
        name=name,
        id_number=make_id_number(id_region, born, seq, male),
        agency_id=agency_id,
        employment_type=rng.choice(EMPLOYMENT),
        phone=phone,
        post=rng.choice(POSTS),
    )


async def _accounts(
    services: Services,
    loader: Principal,
    password: str,
    first_officer_of: dict[str, int],
    made: list[DemoAccount],
) -> None:
    staff = [
        ("yjs_admin", Role.BUREAU_ADMIN, "653123", None, "英吉沙县司法局"),
        ("hy_admin", Role.BUREAU_ADMIN, "610921", None, "汉阴县司法局"),
        ("kashgar_admin", Role.BUREAU_ADMIN, "653100", None, "喀什地区司法局"),
    ]
    for username, role, region, agency, where in staff:
        await accounts.create_staff_account(
            services,
            username=username,
            password=password,
            role=role,
            region_code=region,
            agency_id=agency,
        )
        made.append(DemoAccount(username, role, where))
    market = await Agency.get(name="英吉沙县市场监督管理局")
    justice = await Agency.get(name="英吉沙县司法局")
    for username, role, agency in (
        ("yjs_market", Role.AGENCY_ADMIN, market),
        ("yjs_trainer", Role.ORGANISER, justice),
    ):
        await accounts.create_staff_account(
            services, username=username, password=password, role=role, agency_id=agency.id
        )
        made.append(DemoAccount(username, role, agency.name))
    for region_code, officer_id in first_officer_of.items():
        login = await accounts.set_officer_login(services, loader, officer_id, password)
        made.append(DemoAccount(login.username, Role.OFFICER, AGENCY_REGIONS[region_code]))


async def _sessions(services: Services) -> None:
    today = services.clock.now().astimezone(SHANGHAI).date()
    for region_code, short in AGENCY_REGIONS.items():
        justice = await Agency.get(region_id=region_code, kind=AgencyKind.JUSTICE_BUREAU)
        for days, title, category, hours in (
            (-20, "《行政处罚法》专题讲座", HourCategory.PUBLIC_LAW, 30),
            (3, "行政执法“三项制度”培训", HourCategory.PUBLIC_LAW, 40),
            (10, "执法文书规范与案卷评查", HourCategory.PROFESSIONAL, 60),
        ):
            day = today + timedelta(days=days)
            starts = datetime.combine(day, time(9, 0), SHANGHAI)
            await TrainingSession.create(
                title=f"{short}{title}",
                category=category,
                credit_tenths=hours,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=hours * 6 + 30),
                location=f"{justice.name}三楼会议室",
                organiser_agency=justice,
                requires_checkout=True,
            )
