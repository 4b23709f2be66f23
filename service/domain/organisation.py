"""Regions (GB/T 2260 codes), agencies and sectors.

A region's code nests inside its parent's: a county's six digits start with its city's
four and its province's two; a township has nine digits starting with its county's six.
Jurisdiction is therefore a code prefix, which the database can filter on in one query.
"""

from __future__ import annotations

import re
from enum import StrEnum

from service.domain.errors import InvalidInput


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"

    @property
    def prefix_length(self) -> int:
        return _PREFIX_LENGTH[self]


_PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
}
_ORDER = list(RegionLevel)


class AgencyKind(StrEnum):
    JUSTICE_BUREAU = "justice_bureau"
    DEPARTMENT = "department"
    TOWNSHIP_TEAM = "township_team"


# Two-digit sector codes used inside certificate numbers (ours, documented in the README).
SECTORS: dict[str, str] = {
    "01": "司法行政",
    "02": "公安",
    "03": "市场监管",
    "04": "生态环境",
    "05": "交通运输",
    "06": "农业农村",
    "07": "文化市场",
    "08": "应急管理",
    "09": "自然资源",
    "10": "住房城乡建设",
    "11": "卫生健康",
    "12": "税务",
    "13": "水利",
    "14": "林业草原",
    "15": "人力资源社会保障",
    "16": "城市管理",
    "17": "乡镇（街道）综合执法",
    "99": "其他",
}

_REGION_CODE = re.compile(r"^(\d{6}|\d{9})$")


def validate_region_code(code: str, level: RegionLevel) -> str:
    """A 6-digit code (9 for a township) whose digits past the level's prefix are zeros."""
    if not _REGION_CODE.match(code):
        raise InvalidInput(
            "A region code has 6 digits (9 for a township).", code="region.bad_code", field="code"
        )
    if (level is RegionLevel.TOWNSHIP) != (len(code) == 9):
        raise InvalidInput(
            "Townships have 9-digit codes, other levels 6-digit ones.",
            code="region.bad_code",
            field="code",
        )
    if code[:2] == "00" or set(code[level.prefix_length :]) - {"0"}:
        raise InvalidInput(
            f"Code {code} does not fit level {level}: digits after the first "
            f"{level.prefix_length} must be 0.",
            code="region.bad_code",
            field="code",
        )
    return code


def region_prefix(code: str, level: RegionLevel) -> str:
    """The prefix that every code inside this region starts with."""
    return code[: level.prefix_length]


def validate_parent(
    code: str, level: RegionLevel, parent_code: str | None, parent_level: RegionLevel | None
) -> None:
    """A province has no parent; anything else nests inside a parent of a higher level."""
    if level is RegionLevel.PROVINCE:
        if parent_code is not None:
            raise InvalidInput(
                "A province has no parent region.", code="region.bad_parent", field="parent_code"
            )
        return
    if parent_code is None or parent_level is None:
        raise InvalidInput(
            f"A {level} needs a parent region.", code="region.bad_parent", field="parent_code"
        )
    if _ORDER.index(parent_level) >= _ORDER.index(level):
        raise InvalidInput(
            f"A {parent_level} cannot contain a {level}.",
            code="region.bad_parent",
            field="parent_code",
        )
    if not code.startswith(region_prefix(parent_code, parent_level)):
        raise InvalidInput(
            f"Code {code} does not lie inside parent {parent_code}.",
            code="region.bad_parent",
            field="parent_code",
        )


def validate_sector(sector: str) -> str:
    if sector not in SECTORS:
        known = ", ".join(f"{k} {v}" for k, v in SECTORS.items())
        raise InvalidInput(
            f"Unknown sector code {sector!r}; known: {known}.",
            code="agency.bad_sector",
            field="sector",
        )
    return sector
