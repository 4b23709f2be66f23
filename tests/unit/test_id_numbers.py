from datetime import date

import pytest

from service.domain.checksum import mod11_2
from service.domain.errors import InvalidInput
from service.domain.id_numbers import parse_id_number
from service.domain.people import Gender

TODAY = date(2026, 11, 23)
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def test_check_character_matches_the_weighted_sum_of_gb_11643() -> None:
    for body in (
        "11010519491231002",
        "65312319880314001",
        "61092119900520002",
        "44030119850101123",
    ):
        total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
        assert mod11_2(body) == "10X98765432"[total % 11]


def test_valid_number_gives_birth_date_and_gender() -> None:
    parsed = parse_id_number("11010519491231002x", today=TODAY)
    assert parsed.value == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender is Gender.FEMALE


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "check character"),
        ("11010519491231002", "17 digits"),
        ("1101051949123100AX", "17 digits"),
        ("001105194912310025", "province"),
        ("110105194913310028", "birth date"),
        ("110105203001010019", "out of range"),
    ],
)
def test_invalid_numbers_are_refused_saying_why(number: str, why: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_id_number(number, today=TODAY)
    assert refused.value.code == "officer.bad_id_number"
    assert why in refused.value.detail
