import pytest

from service.domain.access import Action, Principal, Role, Scope
from service.domain.errors import Forbidden, InvalidInput
from service.domain.hours import format_tenths, parse_tenths
from service.domain.organisation import (
    RegionLevel,
    region_prefix,
    validate_parent,
    validate_region_code,
)
from service.domain.people import EmploymentType, validate_person_name, validate_phone


def test_region_code_must_fit_its_level() -> None:
    assert validate_region_code("653100", RegionLevel.CITY) == "653100"
    assert validate_region_code("653123100", RegionLevel.TOWNSHIP) == "653123100"
    for code, level in (
        ("653123", RegionLevel.CITY),
        ("6531", RegionLevel.CITY),
        ("653123", RegionLevel.TOWNSHIP),
    ):
        with pytest.raises(InvalidInput):
            validate_region_code(code, level)


def test_child_region_must_lie_inside_a_higher_parent() -> None:
    validate_parent("653123", RegionLevel.COUNTY, "653100", RegionLevel.CITY)
    with pytest.raises(InvalidInput):
        validate_parent("610921", RegionLevel.COUNTY, "653100", RegionLevel.CITY)
    with pytest.raises(InvalidInput):
        validate_parent("653100", RegionLevel.CITY, "653123", RegionLevel.COUNTY)
    with pytest.raises(InvalidInput):
        validate_parent("650000", RegionLevel.PROVINCE, "110000", RegionLevel.PROVINCE)


def test_scope_of_a_city_covers_its_counties_only() -> None:
    city = Scope(region_prefix=region_prefix("653100", RegionLevel.CITY))
    assert city.covers_region("653123") and not city.covers_region("610921")
    assert not Scope(agency_id=5).covers_region("610921")
    assert Scope().covers_region("610921")


def test_roles_get_least_privilege() -> None:
    organiser = Principal(1, "trainer", Role.ORGANISER, Scope(agency_id=1))
    assert organiser.may(Action.READ_OFFICERS) and organiser.may(Action.MANAGE_TRAINING)
    with pytest.raises(Forbidden):
        organiser.require(Action.MANAGE_OFFICERS)
    officer = Principal(2, "653123198803140011", Role.OFFICER, Scope(), officer_id=9)
    assert not any(officer.may(action) for action in Action)


def test_only_established_staff_may_hold_a_certificate() -> None:
    eligible = {t for t in EmploymentType if t.may_hold_certificate}
    assert eligible == {
        EmploymentType.CIVIL_SERVANT,
        EmploymentType.CIVIL_SERVANT_MANAGED,
        EmploymentType.PUBLIC_INSTITUTION,
    }


def test_hours_are_tenths_with_one_decimal() -> None:
    assert parse_tenths("12.5") == 125 and parse_tenths(40) == 400 and parse_tenths(0.5) == 5
    assert (
        format_tenths(125) == "12.5"
        and format_tenths(-5) == "-0.5"
        and format_tenths(600) == "60.0"
    )
    for bad in ("12.25", "abc", "nan"):
        with pytest.raises(InvalidInput):
            parse_tenths(bad)


def test_phone_and_name_checks() -> None:
    assert validate_phone("139 1234 5678") == "13912345678"
    assert validate_phone("0998-6412345") == "0998-6412345"
    with pytest.raises(InvalidInput):
        validate_phone("12345678901")
    assert validate_person_name(" 阿不都热合曼·吾斯曼 ") == "阿不都热合曼·吾斯曼"
    with pytest.raises(InvalidInput):
        validate_person_name("张3")
