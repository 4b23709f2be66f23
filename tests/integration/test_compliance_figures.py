"""The dashboard's figures, added up by the database from the hours totals, against the
compliance report's rows, which the domain computes officer by officer in Python: the
same per agency, per region and overall, and the same officers most short, on random
hours (corrections below zero, an officer out of post, a region of its own rules)."""

from __future__ import annotations

import heapq
import random
from datetime import date

from service.domain.access import Principal, Role, Scope
from service.domain.hours import HourCategory, LedgerSource
from service.domain.requirements import missing
from service.store import compliance_figures
from service.store.models import HourEntry, Officer
from service.usecases.dashboard import MOST_SHORT, dashboard
from service.usecases.reports import ComplianceRow, Summary, agency_terms, compliance_rows
from service.usecases.services import Services
from tests.integration.world import World, id_number


async def test_the_grouped_figures_are_the_sums_of_the_rows(world: World) -> None:
    city = await world.client.put(
        "/api/v1/requirements/2025",
        json={"region_code": "610921", "min_total": 90, "min_hours": {"public_law": 10}},
        headers=world.auth("root"),
    )
    assert city.status_code == 200, city.text
    rng = random.Random(19)
    agencies = list(world.agencies.values())
    officers = []
    for n in range(30):
        born = date(1980, 1, 1).replace(day=1 + n % 28, month=1 + n // 28)
        region = "610921" if agencies[n % 3] == world.agencies["hy_justice"] else "653123"
        created = await world.create_officer(
            id_number=id_number(region, born=born), agency_id=agencies[n % 3]
        )
        officers.append(int(str(created["id"])))
    entries = [
        HourEntry(
            officer_id=rng.choice(officers[9:]),
            year=2025,
            category=rng.choice(list(HourCategory)),
            tenths=rng.choice((-20, 30, 60, 100, 200, 400)),
            source=LedgerSource.ADJUSTMENT,
            title="补录",
            occurred_on=date(2025, rng.randint(1, 12), 3),
        )
        for _ in range(240)
    ]
    # Exactly what is required (and nothing of the third category), and just short of it.
    for officer, law, work in ((officers[3], 200, 400), (officers[6], 195, 405)):
        for category, tenths in ((HourCategory.PUBLIC_LAW, law), (HourCategory.PROFESSIONAL, work)):
            entries.append(
                HourEntry(
                    officer_id=officer,
                    year=2025,
                    category=category,
                    tenths=tenths,
                    source=LedgerSource.ADJUSTMENT,
                    title="补录",
                    occurred_on=date(2025, 5, 3),
                )
            )
    await HourEntry.bulk_create(entries)
    await Officer.filter(id=officers[0]).update(in_post=False)
    services = Services.build(world.settings)
    root = Principal(0, "root", Role.SUPERADMIN, Scope())

    expected = Summary()
    shortest: list[tuple[int, int, ComplianceRow]] = []
    short_ids = []
    async for row in await compliance_rows(services, root, 2025):
        expected.add(row)
        if missing(row.short):
            short_ids.append(row.officer_id)
        if to_earn := missing(row.short):
            heapq.heappush(shortest, (to_earn, -row.officer_id, row))
            if len(shortest) > MOST_SHORT:
                heapq.heappop(shortest)
    got = await dashboard(services, root, 2025)
    assert got.summary.by_agency == expected.by_agency
    assert got.summary.by_region == expected.by_region
    assert got.summary.overall == expected.overall
    assert got.summary.overall.officers == 29
    assert 0 < got.summary.overall.compliant < 29
    assert got.most_short == [row for _, _, row in sorted(shortest, reverse=True)]
    terms = await agency_terms(services, root, 2025)
    count, first = await compliance_figures.short_by_id(2025, terms, 5)
    assert (count, [r["id"] for r in first]) == (len(short_ids), sorted(short_ids)[:5])
