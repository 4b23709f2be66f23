"""Annual review rules, hour requirements and the review window: pure, no database."""

from datetime import date

import pytest

from service.domain.annual_review import (
    ReviewFacts,
    ReviewFailure,
    ReviewWindow,
    Warning,
    check_year,
    is_due,
    parse_month_day,
    review,
)
from service.domain.errors import InvalidInput
from service.domain.hours import HourCategory
from service.domain.people import AssessmentResult
from service.domain.requirements import (
    DEFAULT_REQUIREMENT,
    Requirement,
    nearest,
)

PL, PRO, POL = HourCategory.PUBLIC_LAW, HourCategory.PROFESSIONAL, HourCategory.POLITICAL


def facts(**changes: object) -> ReviewFacts:
    base: dict[str, object] = {
        "in_post": True,
        "earned": {PL: 200, PRO: 400},
        "requirement": DEFAULT_REQUIREMENT,
        "assessment": AssessmentResult.COMPETENT,
        "sanctioned_in_year": False,
    }
    base.update(changes)
    return ReviewFacts(**base)  # type: ignore[arg-type]


def test_exactly_twenty_plus_forty_hours_passes() -> None:
    assert review(facts()) == []


def test_half_an_hour_short_in_one_category_fails_even_with_more_in_the_other() -> None:
    findings = review(facts(earned={PL: 195, PRO: 405}))
    assert [f.failure for f in findings] == [ReviewFailure.HOURS_SHORT]
    assert "公共法律知识差0.5学时" in findings[0].message


def test_every_failure_is_listed() -> None:
    findings = review(
        facts(
            in_post=False,
            earned={PRO: 10},
            assessment=AssessmentResult.INCOMPETENT,
            sanctioned_in_year=True,
        )
    )
    assert [f.failure for f in findings] == list(ReviewFailure)


def test_basically_competent_passes_and_missing_assessment_passes() -> None:
    assert review(facts(assessment=AssessmentResult.BASICALLY_COMPETENT)) == []
    assert review(facts(assessment=None)) == []


def test_total_only_requirement_counts_every_category() -> None:
    total_only = Requirement(min_total=600)
    assert total_only.is_met({PL: 100, PRO: 300, POL: 200})
    assert total_only.short({PL: 100, PRO: 300}) == {
        "public_law": 0, "professional": 0, "political": 0, "total": 200
    }  # fmt: skip


def test_requirement_is_inherited_from_the_nearest_region_that_sets_one() -> None:
    city = Requirement(min_total=600)
    found, set_by = nearest([("653123", None), ("653100", city), ("650000", None)])
    assert (found, set_by) == (city, "653100")
    assert found is city
    assert nearest([("653123", None), ("653100", None)]) == (DEFAULT_REQUIREMENT, None)
    assert DEFAULT_REQUIREMENT.required()["total"] == 600


def test_certificate_issued_after_the_year_is_not_reviewed_for_it() -> None:
    assert is_due(date(2025, 12, 31), 2025)
    assert not is_due(date(2026, 1, 1), 2025)


def test_window_warnings_amber_sixty_days_before_red_after_deadline() -> None:
    window = ReviewWindow()
    assert window.opens(2025) == date(2026, 3, 31)
    assert window.deadline(2025) == date(2026, 4, 30)
    assert window.warning(2025, date(2026, 2, 28)) is None
    assert window.warning(2025, date(2026, 3, 1)) is Warning.AMBER
    assert window.warning(2025, date(2026, 4, 30)) is Warning.AMBER
    assert window.warning(2025, date(2026, 5, 1)) is Warning.RED


def test_only_finished_years_can_be_reviewed() -> None:
    check_year(2025, date(2026, 4, 1))
    for year in (2026, 2027, 1999):
        with pytest.raises(InvalidInput):
            check_year(year, date(2026, 4, 1))


def test_month_day_must_exist_in_every_year() -> None:
    assert parse_month_day("03-31") == (3, 31)
    for bad in ("02-29", "13-01", "3/31", ""):
        with pytest.raises(ValueError):
            parse_month_day(bad)
