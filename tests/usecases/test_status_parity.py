"""A certificate's status as of a day is written three times, and the three must agree
over every stored state and date (as pretix holds its check-in rules' Python and SQL
forms against each other): the domain's `effective_status`, the ORM filter
`effective_status_is`, and the annual review's SQL of the certificates due."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from service.domain.annual_review import is_due
from service.domain.certificates import CertificateStatus, effective_status
from service.store.certificates import due_for_review, effective_status_is
from service.store.models import AnnualReviewResult, Certificate
from tests.usecases.conftest import County

TODAY = date(2026, 6, 20)  # the clock of the use-case tests
AROUND = (None, TODAY - timedelta(days=1), TODAY, TODAY + timedelta(days=1))
ISSUED = (date(2025, 1, 10), date(2026, 1, 10))  # reviewed for 2025, or too new for it
GRID = list(itertools.product(CertificateStatus, AROUND, AROUND, ISSUED))


@pytest.fixture
async def stored(
    county: County,
) -> dict[int, tuple[CertificateStatus, date | None, date | None, date]]:
    """One certificate per point of the grid: stored status, last valid day, last day of
    the suspension, first valid day."""
    officer = await county.officer(exams=False)
    rows = {}
    for status, valid_until, suspended_until, valid_from in GRID:
        row = await Certificate.create(
            officer_id=officer.id,
            status=status,
            enforcement_area="英吉沙县",
            enforcement_categories=["市场监管"],
            valid_from=valid_from,
            valid_until=valid_until,
            suspended_until=suspended_until,
        )
        rows[row.id] = (status, valid_until, suspended_until, valid_from)
    return rows


def expected(
    rows: dict[int, tuple[CertificateStatus, date | None, date | None, date]],
    status: CertificateStatus,
) -> set[int]:
    return {
        certificate_id
        for certificate_id, (stored, until, suspended, _) in rows.items()
        if effective_status(stored, until, suspended, TODAY) is status
    }


@pytest.mark.parametrize("status", list(CertificateStatus))
async def test_the_orm_filter_agrees_with_the_domain(
    stored: dict[int, tuple[CertificateStatus, date | None, date | None, date]],
    status: CertificateStatus,
) -> None:
    found = set(
        await Certificate.filter(effective_status_is(status, TODAY)).values_list("id", flat=True)
    )
    assert found == expected(stored, status)


async def test_the_annual_reviews_sql_agrees_with_the_domain(
    stored: dict[int, tuple[CertificateStatus, date | None, date | None, date]],
) -> None:
    active = expected(stored, CertificateStatus.ACTIVE)
    reviewed_already = min(active)
    first = await Certificate.get(id=reviewed_already)
    await AnnualReviewResult.create(
        year=2025, certificate=first, passed=True, reasons=[], reviewed_at=first.created_at
    )
    due = {row["id"] for row in await due_for_review(2025, "653123", TODAY, lock=False)}
    assert due == {
        certificate_id
        for certificate_id in active - {reviewed_already}
        if is_due(stored[certificate_id][3], 2025)
    }
    assert due, "the grid holds certificates due for review"
    assert not await due_for_review(2025, "610921", TODAY, lock=False)  # another county
