"""Queries on certificates that follow the rules: the status as of today, full loading."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from service.domain.certificates import CertificateStatus
from service.store import sql
from service.store.models import Certificate

S = CertificateStatus


def effective_status_is(status: CertificateStatus, today: date) -> Q:
    """Rows whose status as of `today` is `status` (the SQL twin of
    `domain.certificates.effective_status`: lapsed certificates are expired, lapsed
    suspensions are active, whatever the stored status still says)."""
    still_valid = Q(valid_until__gte=today)
    lapsed_suspension = Q(status=S.SUSPENDED, suspended_until__lt=today)
    if status is S.ACTIVE:
        return (Q(status=S.ACTIVE) | lapsed_suspension) & still_valid
    if status is S.SUSPENDED:
        return (
            Q(status=S.SUSPENDED)
            & still_valid
            & (Q(suspended_until__isnull=True) | Q(suspended_until__gte=today))
        )
    if status is S.EXPIRED:
        return Q(status=S.EXPIRED) | Q(status__in=[S.ACTIVE, S.SUSPENDED], valid_until__lt=today)
    return Q(status=status)


def loaded(query: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """With the officer, the officer's agency and the issuing authority, which every view
    of a certificate shows."""
    return query.select_related("officer__agency", "issuing_agency")


def snapshot(certificate: Certificate) -> dict[str, Any]:
    """The fields an event's `before` and `after` record, as JSON values."""
    return snapshot_of(
        status=certificate.status,
        number=certificate.number,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        suspended_until=certificate.suspended_until,
        last_review_year=certificate.last_review_year,
        enforcement_area=certificate.enforcement_area,
        enforcement_categories=certificate.enforcement_categories,
    )


def snapshot_of(
    *,
    status: CertificateStatus,
    number: str | None,
    valid_from: date | None,
    valid_until: date | None,
    suspended_until: date | None,
    last_review_year: int | None,
    enforcement_area: str,
    enforcement_categories: list[str],
) -> dict[str, Any]:
    """`snapshot` from loose values (the set-based annual review has no model objects)."""

    def day(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "status": str(status),
        "number": number,
        "valid_from": day(valid_from),
        "valid_until": day(valid_until),
        "suspended_until": day(suspended_until),
        "last_review_year": last_review_year,
        "enforcement_area": enforcement_area,
        "enforcement_categories": list(enforcement_categories),
    }


_PUBLIC_ROW = """
SELECT c.number, o.name, a.name AS agency, b.name AS issuing_authority, c.enforcement_area,
  c.enforcement_categories, c.status AS stored_status, c.valid_from, c.valid_until,
  c.suspended_until, c.last_review_year, c.status_index
FROM certificates c
JOIN officers o ON o.id = c.officer_id
JOIN agencies a ON a.id = o.agency_id
LEFT JOIN agencies b ON b.id = c.issuing_agency_id
WHERE c.number = ?
"""


async def public_row(number: str) -> dict[str, Any] | None:
    """What the public view shows of the certificate with this number, in one indexed
    read (the public lookup is the hot path of a verification site). Values as the
    driver returns them, the JSON categories decoded."""
    rows = await sql.fetch(_PUBLIC_ROW, [number])
    if not rows:
        return None
    row = rows[0]
    categories = row["enforcement_categories"]
    if isinstance(categories, str | bytes):
        row["enforcement_categories"] = json.loads(categories)
    return row
