"""`officer-cert audit verify`: walk every officer's event chain, name the first broken link."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from service.domain.audit import Broken, Link, check_chain
from service.store.models import CertificateEvent, Officer
from service.usecases.events import event_content

BATCH = 500
_COLUMNS = (
    "id", "officer_id", "certificate_id", "seq", "action", "actor_id", "actor_name", "at",
    "reason", "before", "after", "prev_hash", "hash",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AuditReport:
    officers: int
    events: int
    broken: Broken | None


async def verify_chains(progress: Callable[[int, int], None] | None = None) -> AuditReport:
    """Check every chain, officer by officer; stop at the first broken link."""
    total = await Officer.all().count()
    officers = events = 0
    last_id = 0
    while True:
        heads = (
            await Officer.filter(id__gt=last_id)
            .order_by("id")
            .limit(BATCH)
            .values_list("id", "chain_seq", "chain_head")
        )
        if not heads:
            return AuditReport(officers, events, None)
        last_id = heads[-1][0]
        rows = (
            await CertificateEvent.filter(officer_id__in=[h[0] for h in heads])
            .order_by("officer_id", "seq")
            .values(*_COLUMNS)
        )
        links: dict[int, list[Link]] = defaultdict(list)
        for row in rows:
            content = event_content(
                officer_id=row["officer_id"],
                certificate_id=row["certificate_id"],
                seq=row["seq"],
                action=row["action"],
                actor_id=row["actor_id"],
                actor_name=row["actor_name"],
                at=row["at"],
                reason=row["reason"],
                before=row["before"],
                after=row["after"],
            )
            links[row["officer_id"]].append(
                Link(row["id"], row["seq"], row["prev_hash"], row["hash"], content)
            )
        for officer_id, seq, head in heads:
            broken = check_chain(officer_id, links.get(officer_id, []), seq, head)
            if broken is not None:
                return AuditReport(officers, events, broken)
            officers += 1
        events += len(rows)
        if progress is not None:
            progress(officers, total)
