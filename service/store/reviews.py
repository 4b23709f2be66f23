"""The annual review's set-based reads and its results: a few queries whatever the number
of officers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

import msgspec

from service.domain.people import AssessmentResult, SanctionKind
from service.store import sql
from service.store.models import AnnualReviewResult, Assessment, Sanction


async def incompetent_officers(year: int, prefix: str) -> set[int]:
    """Officers of the region rated 不称职 in the year's annual assessment."""
    return _ids(
        await Assessment.filter(
            year=year,
            result=AssessmentResult.INCOMPETENT,
            officer__agency__region_id__startswith=prefix,
        ).values_list("officer_id", flat=True)
    )


async def sanctioned_officers(year: int, prefix: str) -> set[int]:
    """Officers of the region given a sanction of 记过 or above that took effect in the
    year."""
    return _ids(
        await Sanction.filter(
            effective_on__gte=date(year, 1, 1),
            effective_on__lte=date(year, 12, 31),
            kind__in=[kind for kind in SanctionKind if kind.bars_certificate],
            officer__agency__region_id__startswith=prefix,
        ).values_list("officer_id", flat=True)
    )


def _ids(flat: Sequence[object]) -> set[int]:
    """Ids from `values_list(..., flat=True)` (typed as tuples by the ORM's stubs)."""
    return {int(cast(int, value)) for value in flat}


async def reviewed_already(year: int, prefix: str) -> int:
    return await AnnualReviewResult.filter(
        year=year, certificate__officer__agency__region_id__startswith=prefix
    ).count()


Result = tuple[int, bool, list[dict[str, str]]]  # certificate id, passed, reasons


_PG_RESULTS = """
INSERT INTO annual_review_results (year, certificate_id, passed, reasons, reviewed_at,
                                   reviewed_by_id)
SELECT $1, v.certificate_id, v.passed, v.reasons::jsonb, $2, $3
FROM unnest($4::int[], $5::bool[], $6::text[]) AS v(certificate_id, passed, reasons)
"""
_SQLITE_RESULTS = """
INSERT INTO annual_review_results (year, certificate_id, passed, reasons, reviewed_at,
                                   reviewed_by_id)
VALUES (?, ?, ?, ?, ?, ?)
"""


async def insert_results(
    year: int, now: datetime, reviewer_id: int | None, rows: Sequence[Result]
) -> None:
    """Keep each certificate's result of the year's review."""
    if not rows:
        return
    client = sql.connection()

    def dump(reasons: list[dict[str, str]]) -> str:
        return msgspec.json.encode(reasons).decode()

    if sql.is_postgres(client):
        ids, passed, reasons = zip(*rows, strict=True)
        values = [year, now, reviewer_id, list(ids), list(passed), [dump(r) for r in reasons]]
        await client.execute_query(_PG_RESULTS, values)
    else:
        await client.execute_many(
            _SQLITE_RESULTS,
            [[year, i, passed, dump(r), now, reviewer_id] for i, passed, r in rows],
        )
