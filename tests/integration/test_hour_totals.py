"""The hours totals the reports read: kept by the ledger's triggers in the writing
transaction, whoever writes, and checked against the ledger by `audit verify`."""

from __future__ import annotations

from datetime import date

import pytest
from tortoise.transactions import in_transaction

from service.domain.hours import HourCategory, LedgerSource
from service.store.hours import (
    earned_by_month,
    earned_by_officer,
    months_disagreeing,
    totals_disagreeing,
)
from service.store.models import Agency, HourEntry, HourMonth, HourYear, Officer
from service.usecases.audit import verify_totals
from tests.integration.world import World, id_number


def entry(officer_id: int, tenths: int, category: HourCategory, day: date) -> HourEntry:
    return HourEntry(
        officer_id=officer_id,
        year=day.year,
        category=category,
        tenths=tenths,
        source=LedgerSource.ADJUSTMENT,
        title="补录",
        occurred_on=day,
    )


async def test_every_ledger_write_moves_its_totals_and_a_rollback_moves_none(
    world: World,
) -> None:
    first = int(str((await world.create_officer())["id"]))
    law, work = HourCategory.PUBLIC_LAW, HourCategory.PROFESSIONAL
    await HourEntry.bulk_create(
        [
            entry(first, 30, law, date(2026, 3, 1)),
            entry(first, 25, law, date(2026, 4, 1)),
            entry(first, 40, work, date(2026, 4, 2)),
            entry(first, 10, law, date(2025, 12, 31)),
        ]
    )
    await entry(first, -5, law, date(2026, 5, 1)).save()  # a correction, negative
    assert await earned_by_officer(2026, officer_ids=[first]) == {first: {law: 50, work: 40}}
    assert await earned_by_officer(2025, officer_ids=[first]) == {first: {law: 10}}
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await entry(first, 100, work, date(2026, 6, 1)).save()
            raise RuntimeError("the writer fails after the entry")
    assert await earned_by_officer(2026, officer_ids=[first]) == {first: {law: 50, work: 40}}
    # Deleted or changed by hand, the totals follow all the same.
    await HourEntry.filter(officer_id=first, tenths=-5).delete()
    await HourEntry.filter(officer_id=first, tenths=40).update(tenths=45)
    assert await earned_by_officer(2026, officer_ids=[first]) == {first: {law: 55, work: 45}}
    assert await totals_disagreeing() == []
    assert (await verify_totals()).disagreeing == []


async def test_audit_verify_names_totals_that_are_not_the_ledgers_sums(world: World) -> None:
    officer = int(str((await world.create_officer())["id"]))
    await entry(officer, 30, HourCategory.PUBLIC_LAW, date(2026, 3, 1)).save()
    await entry(officer, 20, HourCategory.POLITICAL, date(2026, 3, 1)).save()
    await HourYear.filter(officer_id=officer).update(public_law=31)
    await entry(officer, 10, HourCategory.PUBLIC_LAW, date(2025, 3, 1)).save()
    await HourYear.filter(officer_id=officer, year=2025).delete()
    found = {
        (row["year"], row["side"], row["public_law"], row["political"])
        for row in await totals_disagreeing()
    }
    assert found == {(2026, "ledger", 30, 20), (2026, "totals", 31, 20), (2025, "ledger", 10, 0)}
    assert len((await verify_totals()).disagreeing) == 3


async def test_an_agencys_months_follow_its_entries_and_its_officers_moves(world: World) -> None:
    market, justice = world.agencies["yjs_market"], world.agencies["yjs_justice"]
    moving = int(str((await world.create_officer())["id"]))
    staying = int(str((await world.create_officer(id_number=id_number(seq=2)))["id"]))
    law, work = HourCategory.PUBLIC_LAW, HourCategory.PROFESSIONAL
    await HourEntry.bulk_create(
        [
            entry(moving, 30, law, date(2026, 3, 1)),
            entry(moving, 25, work, date(2026, 3, 31)),
            entry(moving, 40, work, date(2026, 4, 2)),
            entry(staying, 10, law, date(2026, 4, 30)),
            entry(staying, 5, law, date(2025, 4, 30)),
        ]
    )
    every = Agency.all()
    assert (await earned_by_month(2026, every))[2:4] == [55, 50]
    assert (await earned_by_month(2025, every))[3] == 5
    assert (await earned_by_month(2026, Agency.filter(id=justice))) == [0] * 12

    await Officer.filter(id=moving).update(agency_id=justice)
    assert (await earned_by_month(2026, Agency.filter(id=justice)))[2:4] == [55, 40]
    assert (await earned_by_month(2026, Agency.filter(id=market)))[2:4] == [0, 10]
    await HourEntry.filter(officer_id=moving, tenths=25).update(
        tenths=20, occurred_on=date(2026, 5, 1)
    )
    await HourEntry.filter(officer_id=staying, year=2026).delete()
    assert (await earned_by_month(2026, Agency.filter(id=justice)))[2:5] == [30, 40, 20]
    assert (await earned_by_month(2026, Agency.filter(id=market))) == [0] * 12
    assert await months_disagreeing() == []
    assert (await verify_totals()).months == []


async def test_audit_verify_names_months_that_are_not_the_ledgers_sums(world: World) -> None:
    officer = int(str((await world.create_officer())["id"]))
    await entry(officer, 30, HourCategory.PUBLIC_LAW, date(2026, 3, 1)).save()
    await HourMonth.filter(month=3).update(tenths=29)
    found = {(row["month"], row["side"], row["tenths"]) for row in await months_disagreeing()}
    assert found == {(3, "ledger", 30), (3, "totals", 29)}
    assert len((await verify_totals()).months) == 2


def test_the_officers_years_have_a_column_for_every_category() -> None:
    columns = set(HourYear._meta.fields_map)
    assert {str(category) for category in HourCategory} <= columns
