"""The demo's history: certificates issued between 2019 and 2025, taken in through the
certificate import with the numbers printed on them; hours of 2024 and 2025 reported by
training providers through the hours import; the annual review of 2024, passed and
failed; this year's training plans of the justice bureaus. Loaded through the same use
cases as a bureau's own data."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date

from service.domain.access import Principal
from service.domain.certificates import CertificateStatus
from service.domain.hours import HourCategory
from service.domain.numbering import format_number, number_prefix
from service.domain.organisation import SECTORS, AgencyKind
from service.domain.people import AssessmentResult
from service.store.models import Agency, Certificate, Officer
from service.usecases import record_import, records, training_plans
from service.usecases.annual_review import run_annual_review
from service.usecases.certificates import importing as certificate_import
from service.usecases.imports import Upload
from service.usecases.services import Services

ISSUE_YEARS = (2022, 2023, 2019, 2024, 2022, 2025, 2023, 2021, 2024)


def _printed_number(officer: Officer, year: int, seq: int) -> str:
    """The number printed on a card issued before the service, in its province's format."""
    region: str = officer.agency.region_id  # type: ignore[attr-defined]
    if region.startswith("65"):
        return f"新KS-{year}-{seq:04d}"
    if region.startswith("61"):
        return f"陕执{year}{seq:05d}"
    return format_number(number_prefix(region, officer.agency.sector, year), seq)


async def imported(
    services: Services, loader: Principal, officers: list[Officer], areas: Mapping[str, str]
) -> None:
    rows: list[tuple[int, dict[str, str]]] = []
    for n, officer in enumerate(officers):
        year = ISSUE_YEARS[n % len(ISSUE_YEARS)]
        issued = date(year, 1 + n % 12, 1 + n % 27)
        until = services.settings.certificate_rules.valid_until(issued)
        rows.append(
            (
                n + 2,
                {
                    "number": _printed_number(officer, year, 100 + n),
                    "id_number": officer.id_number,
                    "name": officer.name,
                    "valid_from": issued.isoformat(),
                    "valid_until": until.isoformat(),
                    "status": "已过期" if until < services.today() else "有效",
                    "enforcement_area": areas[officer.agency.region_id],  # type: ignore[attr-defined]
                    "enforcement_categories": SECTORS[officer.agency.sector],
                    "last_review_year": "2023" if year <= 2023 else "",
                },
            )
        )
    content = "\n".join(",".join(values.values()) for _, values in rows).encode()
    report = await certificate_import.import_certificates(
        services, loader, Upload(content, lambda: rows), atomic=True
    )
    if report.errors:
        raise RuntimeError(f"demo certificates not imported: {report.errors}")


TRAININGS = [
    ("公共法律知识", "《中华人民共和国行政处罚法》专题", "党校"),
    ("公共法律知识", "《民法典》与行政执法", "干部网络学院"),
    ("公共法律知识", "习近平法治思想学习", "司法局"),
    ("业务知识和行政执法技能", "行政执法“三项制度”实务", "司法局"),
    ("业务知识和行政执法技能", "执法文书制作与案卷评查", "党校"),
    ("业务知识和行政执法技能", "执法记录仪使用与现场处置", "干部网络学院"),
]


async def past_hours(
    services: Services, loader: Principal, rng: random.Random, areas: Mapping[str, str]
) -> None:
    """Hours of 2024 and 2025, reported by the training providers through the hours
    import: most officers met the requirement, some fell short."""
    rows: list[tuple[int, dict[str, str]]] = []
    officers = await Officer.all().order_by("id").select_related("agency")
    for officer in officers:
        short = areas[officer.agency.region_id]  # type: ignore[attr-defined]
        for year, shares in (
            (2024, (1.0, 1.0, 1.0, 1.1, 0.7, 0.4)),
            (2025, (1.0, 1.2, 0.8, 0.5, 0.0)),
        ):
            share = rng.choice(shares)
            for category, needed in (("公共法律知识", 20), ("业务知识和行政执法技能", 40)):
                left, lecture = int(needed * share), 0
                choices = [t for t in TRAININGS if t[0] == category]
                while left > 0:
                    hours = min(left, rng.choice((2, 4, 6)))
                    left, lecture = left - hours, lecture + 1
                    _, title, provider = rng.choice(choices)
                    day = date(year, rng.randint(2, 11), rng.randint(1, 28))
                    rows.append(
                        (
                            len(rows) + 2,
                            {
                                "id_number": officer.id_number,
                                "date": day.isoformat(),
                                "category": category,
                                "hours": str(hours),
                                "title": f"{title}（第{lecture}讲）",
                                "provider": f"{short}{provider}",
                            },
                        )
                    )
    content = "\n".join(",".join(values.values()) for _, values in rows).encode()
    report = await record_import.import_hours(
        services, loader, Upload(content, lambda: rows), atomic=True
    )
    if report.errors:
        raise RuntimeError(f"demo hours not imported: {report.errors}")


async def review_2024(services: Services, loader: Principal, areas: Mapping[str, str]) -> None:
    """The annual review of 2024 in every county: passed, or suspended with its reasons.
    One officer was rated 不称职 that year, so one failure has that reason too."""
    first = (
        await Certificate.filter(legacy=True, status=CertificateStatus.ACTIVE)
        .order_by("id")
        .first()
    )
    if first is not None:
        officer_id: int = first.officer_id  # type: ignore[attr-defined]
        await records.record_assessment(
            services, loader, officer_id, 2024, AssessmentResult.INCOMPETENT
        )
    for region_code in areas:
        await run_annual_review(services, loader, 2024, region_code, dry_run=False)


async def plans_this_year(services: Services, loader: Principal) -> None:
    """Each justice bureau's training plan (年度学习培训计划) for this year, which the
    annual report sets against the sessions held."""
    plan = [
        training_plans.PlanItem(HourCategory.PUBLIC_LAW, 4, 120),
        training_plans.PlanItem(HourCategory.PROFESSIONAL, 6, 240),
    ]
    year = services.today().year
    for agency_id in await Agency.filter(kind=AgencyKind.JUSTICE_BUREAU).values_list(
        "id", flat=True
    ):
        await training_plans.set_plan(services, loader, int(agency_id), year, plan)
