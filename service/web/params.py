"""Parameters and fields every API shares, with their bounds.

Two kinds of rule are stated here so that the OpenAPI document tells them:

- bounds the schema enforces (a 400 `request.invalid_body` problem): ids within the
  `integer` columns of PostgreSQL, years a `smallint` and a date can hold, page numbers
  whose offset stays far inside int64, text no longer than its column;
- rules the domain enforces with a code of its own (a 422 problem: `auth.bad_device_id`,
  `account.weak_password`, `region.bad_code`, ...), only described here (`described`),
  so a client learns them and still gets the code that says which rule it broke.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import msgspec
from litestar.exceptions import ValidationException
from litestar.params import PathParameter, QueryParameter

from service.domain.hours import HourCategory
from service.security.passwords import MAX_LENGTH, MIN_LENGTH
from service.usecases.auth import DEVICE_ID

# The id columns are `integer` on PostgreSQL: any id outside int32 cannot exist. (Inside
# it, an id that names nothing is the use case's to refuse: 404, or 422 for a reference
# in a body, with its code.)
MIN_ID, MAX_ID = -(2**31), 2**31 - 1
# The years a `smallint` and a date can hold; each use case refuses, with a code of its
# own, the years its rule does not allow (from 2000, up to this or next year).
FIRST_YEAR, LAST_YEAR = 1, 9999
REGION_CODE = r"^[0-9]{6}([0-9]{3})?$"  # GB/T 2260: 6 digits, 9 for a township


def described(**schema: Any) -> msgspec.Meta:
    """A field's rule for the OpenAPI document only: the domain enforces it."""
    return msgspec.Meta(extra_json_schema={"extra": schema})


Id = Annotated[int, PathParameter(ge=MIN_ID, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=MIN_ID, le=MAX_ID)]
IdField = Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID)]
Version = Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID)]  # a row's optimistic-lock version
Latitude = Annotated[float, described(minimum=-90, maximum=90)]
Longitude = Annotated[float, described(minimum=-180, maximum=180)]
Radius = Annotated[int, msgspec.Meta(ge=MIN_ID, le=MAX_ID), described(minimum=10, maximum=5000)]

Year = Annotated[int, PathParameter(ge=FIRST_YEAR, le=LAST_YEAR)]
QueryYear = Annotated[int, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR)]
OptionalYear = Annotated[int | None, QueryParameter(ge=FIRST_YEAR, le=LAST_YEAR)]
YearField = Annotated[int, msgspec.Meta(ge=FIRST_YEAR, le=LAST_YEAR)]

_REGION: dict[str, Any] = {"max_length": 9, "pattern": REGION_CODE}
RegionCodeQuery = Annotated[str, QueryParameter(min_length=1, **_REGION)]
OptionalRegionCode = Annotated[str | None, QueryParameter(**_REGION)]
RegionCodeField = Annotated[
    str, msgspec.Meta(min_length=1, max_length=9), described(pattern=REGION_CODE)
]
SectorField = Annotated[
    str, msgspec.Meta(min_length=1, max_length=8), described(pattern=r"^[0-9]{2}$")
]
IdNumberField = Annotated[
    str, msgspec.Meta(min_length=1, max_length=20), described(pattern=r"^[0-9]{17}[0-9Xx]$")
]
DeviceId = Annotated[
    str, msgspec.Meta(min_length=1, max_length=100), described(pattern=DEVICE_ID.pattern)
]
NewPassword = Annotated[
    str, msgspec.Meta(min_length=1, max_length=MAX_LENGTH), described(minLength=MIN_LENGTH)
]

# A moment in a query, with its offset. Taken as text and read here: Litestar would also
# read a bare number as a Unix time, which the document does not promise.
QueryMoment = Annotated[
    str | None, QueryParameter(max_length=40, schema_extra={"format": "date-time"})
]


def moment(value: str | None, name: str) -> datetime | None:
    """The ISO 8601 time with offset a query parameter holds, or None when absent.
    Raises a 400 `request.invalid_body` problem for anything else."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ValidationException(
            f"{name} is a time with its offset (ISO 8601), e.g. 2026-03-10T09:00:00+08:00.",
            extra=[{"key": name, "source": "query", "message": "not an ISO 8601 time with offset"}],
        )
    return parsed


# Hours, scores: a decimal number, or its text ("12.5"), as the API promises.
DECIMAL = r"^-?[0-9]+(\.[0-9]+)?$"
_NUMBER = {"type": ["number", "string"], "pattern": DECIMAL}
Number = Annotated[Decimal, described(**_NUMBER)]
OptionalNumber = Annotated[
    Decimal | None, described(one_of=None, type=["number", "string", "null"], pattern=DECIMAL)
]
HoursPerCategory = Annotated[
    dict[HourCategory, Decimal],
    described(
        additional_properties=_NUMBER,
        property_names={"enum": [category.value for category in HourCategory]},
    ),
]
# Enforcement categories (执法类别): 1 to 20 names of up to 50 characters.
Categories = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=50)]],
    msgspec.Meta(max_length=20),
    described(items={"type": "string", "maxLength": 50}),
]
