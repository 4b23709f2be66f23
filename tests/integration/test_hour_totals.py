"""The hours totals the reports read: kept by the ledger's triggers in the writing
transaction, whoever writes, and checked against the ledger by `audit verify`."""

from __future__ import annotations

from datetime import date

import pytest
from tortoise.transactions import in_transaction

from service.domain.hours import HourCategory, LedgerSource
from service.store.hours import earned_by_officer, totals_disagreeing
from service.store.models import HourEntry, HourTotal
from service.usecases.audit import verify_totals
from tests.integration.world import World


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
    await HourTotal.filter(officer_id=officer, category=HourCategory.PUBLIC_LAW).update(tenths=31)
    await HourTotal.filter(officer_id=officer, category=HourCategory.POLITICAL).delete()
    found = {(row["category"], row["side"], row["tenths"]) for row in await totals_disagreeing()}
    assert found == {
        ("public_law", "ledger", 30),
        ("public_law", "totals", 31),
        ("political", "ledger", 20),
    }
    assert len((await verify_totals()).disagreeing) == 3
