"""`officer-cert audit verify`: walk every officer's event chain, name the first broken link;
and check the hours totals the reports read against the ledger they sum."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from service.domain.audit import Broken, Link, check_chain
from service.domain.events import content
from service.store import events
from service.store.hours import months_disagreeing, totals_disagreeing
from service.store.models import Officer


@dataclass(frozen=True, slots=True)
class AuditReport:
    officers: int
    events: int
    broken: Broken | None


async def verify_chains(progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Check every chain, officer by officer; stop at the first broken link."""
    total = await Officer.all().count()
    officers = checked = 0
    async for heads, rows in events.chains():
        links: dict[int, list[Link]] = defaultdict(list)
        for row in rows:
            link = Link(row["id"], row["seq"], row["prev_hash"], row["hash"], content(row))
            links[row["officer_id"]].append(link)
        for officer_id, seq, head in heads:
            broken = check_chain(officer_id, links.get(officer_id, []), seq, head)
            if broken is not None:
                return AuditReport(officers, checked, broken)
            officers += 1
        checked += len(rows)
        if progress is not None:
            progress(officers, total)
    return AuditReport(officers, checked, None)


@dataclass(frozen=True, slots=True)
class TotalsReport:
    disagreeing: list[dict[str, object]]  # officer_id, year, a column per category, entries
    months: list[dict[str, object]]  # agency_id, year, month, tenths, entries


async def verify_totals() -> TotalsReport:
    """The hours totals, per officer and per agency's month, that are not the ledger's
    sums (the first few of each), if any."""
    return TotalsReport(await totals_disagreeing(), await months_disagreeing())
