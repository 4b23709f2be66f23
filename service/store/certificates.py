"""Reading certificates: the status as of a day in SQL, full loading, the snapshot an
event records, the public row, the certificates due for an annual review, counts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from service.domain.certificates import CertificateStatus, effective_status
from service.store import sql
from service.store.models import Certificate


def effective_status_is(status: CertificateStatus, today: date) -> Q:
    """Rows whose status as of `today` is `status` (the SQL twin of
    `domain.certificates.effective_status`: lapsed certificates are expired, lapsed
    suspensions are active, whatever the stored status still says)."""
    active, suspended = CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED
    still_valid = Q(valid_until__gte=today) | Q(valid_until__isnull=True)  # NULL: no end
    lapsed_suspension = Q(status=suspended, suspended_until__lt=today)
    if status is active:
        return (Q(status=active) | lapsed_suspension) & still_valid
    if status is suspended:
        return (
            Q(status=suspended)
            & still_valid
            & (Q(suspended_until__isnull=True) | Q(suspended_until__gte=today))
        )
    if status is CertificateStatus.EXPIRED:
        current = [active, suspended]
        return Q(status=CertificateStatus.EXPIRED) | Q(status__in=current, valid_until__lt=today)
    return Q(status=status)


def loaded(query: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """With the officer, the officer's agency and the issuing authority, which every view
    of a certificate shows."""
    return query.select_related("officer__agency", "issuing_agency")


SNAPSHOT = (
    "status",
    "number",
    "valid_from",
    "valid_until",
    "suspended_until",
    "last_review_year",
    "enforcement_area",
    "enforcement_categories",
)


def snapshot(certificate: Certificate | Mapping[str, Any]) -> dict[str, Any]:
    """The fields an event's `before` and `after` record, as JSON values, of a
    certificate or of a row with those keys (the set-based annual review has no models)."""
    if isinstance(certificate, Certificate):  # a concrete class: cheaper to test than Mapping
        values = {name: getattr(certificate, name) for name in SNAPSHOT}
    else:
        values = {name: certificate[name] for name in SNAPSHOT}
    for name in ("valid_from", "valid_until", "suspended_until"):
        day = values[name]
        values[name] = sql.as_date(day).isoformat() if day else None
    values["status"] = str(values["status"])
    values["enforcement_categories"] = list(categories(values["enforcement_categories"]))
    return values


def categories(stored: list[str] | str | bytes) -> list[str]:
    """Enforcement categories as stored: a list from the ORM, JSON text from raw SQL."""
    return json.loads(stored) if isinstance(stored, str | bytes) else stored


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
    row["enforcement_categories"] = categories(row["enforcement_categories"])
    return row


_DUE = """
SELECT c.id, c.number, c.officer_id, c.status, c.version, c.valid_from, c.valid_until,
       c.suspended_until, c.enforcement_area, c.enforcement_categories, c.last_review_year,
       o.name AS officer_name, o.in_post, o.chain_seq, o.chain_head, a.region_id
FROM certificates c
JOIN officers o ON o.id = c.officer_id
JOIN agencies a ON a.id = o.agency_id
WHERE (c.status = ? OR (c.status = ? AND c.suspended_until < ?))
  AND (c.valid_until >= ? OR c.valid_until IS NULL) AND c.valid_from <= ?
  AND a.region_id LIKE ?
  AND NOT EXISTS (
    SELECT 1 FROM annual_review_results r WHERE r.certificate_id = c.id AND r.year = ?)
ORDER BY c.id
"""


async def due_for_review(
    year: int, prefix: str, today: date, *, lock: bool
) -> list[dict[str, Any]]:
    """Certificates of the region active as of `today` (the SQL twin of
    `effective_status`: a suspension that has ended counts) and issued by the end of
    `year` (of `domain.annual_review.is_due`), not yet reviewed for it; locked with their
    officers (whose event chains the review extends)."""
    query = _DUE
    if lock and sql.is_postgres(sql.connection()):
        query += " FOR NO KEY UPDATE OF c, o"
    active, suspended = CertificateStatus.ACTIVE.value, CertificateStatus.SUSPENDED.value
    year_end = date(year, 12, 31)
    return await sql.fetch(query, [active, suspended, today, today, year_end, prefix + "%", year])


async def count_by_status(
    query: QuerySet[Certificate], today: date
) -> dict[CertificateStatus, int]:
    """Certificates of `query` by their status as of `today`, from one grouped query."""
    groups = (
        await query.annotate(count=Count("id"))
        .group_by("status", "valid_until", "suspended_until")
        .values_list("status", "valid_until", "suspended_until", "count")
    )
    counts: dict[CertificateStatus, int] = {}
    for status, valid_until, suspended_until, count in groups:
        until = sql.maybe_date(valid_until)
        ends = sql.maybe_date(suspended_until)
        now = effective_status(CertificateStatus(status), until, ends, today)
        counts[now] = counts.get(now, 0) + count
    return counts


async def current_of(officer_id: int, *, exclude_id: int) -> Certificate | None:
    """The officer's certificate in force or suspended (stored status), other than
    `exclude_id`, row-locked: the one a renewal replaces."""
    current = [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
    return (
        await Certificate.filter(officer_id=officer_id, status__in=current)
        .exclude(id=exclude_id)
        .select_for_update(no_key=True)
        .first()
    )
