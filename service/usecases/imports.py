"""What every import from a spreadsheet shares: the file, the report, and the loop that runs
one row at a time.

Each row is a unit of work of its own (a savepoint inside an atomic import): a refused
row, even a refusal of the database, leaves the others. With `atomic`, the whole file
runs in one unit of work that is rolled back when any row fails, so either every row is
written or none is, and nothing is announced for rows undone. Rows are told apart by
their number in the file, as people see it (the header is row 1).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from service.domain.access import Principal
from service.domain.errors import DomainError, InvalidInput
from service.domain.id_numbers import parse_id_number
from service.domain.text import collapse
from service.store.models import Officer
from service.store.scoping import officers_visible
from service.usecases.services import Services

Rows = Sequence[tuple[int, dict[str, str]]]  # (row number in the file, field -> text)
Progress = Callable[[int, int], None]


class Written(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"  # known already: a file imported again changes nothing


@dataclass(frozen=True, slots=True)
class Upload:
    """A file to import: its bytes, for the SHA-256 its rows are attributed to, and how to
    read its rows (CPU work, run off the event loop after the caller's role is checked)."""

    content: bytes
    read: Callable[[], Rows]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str | None
    code: str
    message: str


@dataclass(slots=True)
class ImportReport:
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = True  # False: atomic, and a row failed, so nothing was kept


class _Refused(Exception):
    """Rolls the atomic transaction back."""


RowHandler = Callable[[int, dict[str, str]], Awaitable[Written]]


async def run_rows(
    services: Services,
    read: Callable[[], Rows],
    handle: RowHandler,
    *,
    atomic: bool,
    progress: Progress | None = None,
) -> ImportReport:
    """Read the rows (off the event loop) and `handle` each in a unit of work of its own,
    counting what it wrote; a DomainError it raises is the row's error. With `atomic`,
    any bad row rolls the whole file back (`written` False, nothing counted)."""
    rows = await asyncio.to_thread(read)
    report = ImportReport(rows=len(rows))
    try:
        async with services.unit_of_work() if atomic else nullcontext():
            for done, (number, values) in enumerate(rows, 1):
                try:
                    async with services.unit_of_work():
                        written = await handle(number, values)
                except DomainError as error:
                    field_name = error.extra.get("field")
                    report.errors.append(RowError(number, field_name, error.code, error.detail))
                else:
                    if written is Written.CREATED:
                        report.created += 1
                    elif written is Written.UPDATED:
                        report.updated += 1
                    else:
                        report.unchanged += 1
                if progress is not None:
                    progress(done, len(rows))
            if atomic and report.errors:
                raise _Refused
    except _Refused:
        report.written = False
        report.created = report.updated = report.unchanged = 0
    return report


class SeenRows:
    """The rows of this file by a key (an ID number, a certificate number), so a second
    row for the same thing is reported instead of silently overriding the first."""

    def __init__(self) -> None:
        self._rows: dict[object, int] = {}

    def check(self, key: object, row: int, *, field: str, what: str) -> None:
        """Raises InvalidInput `import.duplicate_row` if another row had `key`."""
        first = self._rows.setdefault(key, row)
        if first != row:
            raise InvalidInput(
                f"Same {what} as row {first}.", code="import.duplicate_row", field=field
            )


# Reading a row's cells ---------------------------------------------------------------


def text_of(values: dict[str, str], name: str, *, code: str, max_length: int = 200) -> str:
    """A required cell, its spaces collapsed, or InvalidInput `code` naming its column."""
    value = collapse(values.get(name, ""))
    if not value or len(value) > max_length:
        raise InvalidInput(f"{name} has 1 to {max_length} characters.", code=code, field=name)
    return value


_DAY = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?$")


def cell_date(
    values: dict[str, str],
    name: str,
    *,
    code: str,
    today: date | None = None,
    future: bool = False,
) -> date | None:
    """A day as people write it (2024-03-01, 2024/3/1, 2024年3月1日, or the midnight an
    XLSX cell holds), None for an empty cell. Unless `future`, not after `today`.

    Raises InvalidInput `code` naming the column.
    """
    raw = values.get(name, "").strip()
    if not raw:
        return None
    found = _DAY.match(raw)
    try:
        day = date(*(int(part) for part in found.groups())) if found else None
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2100:
        raise InvalidInput(f"{raw!r} is not a date (YYYY-MM-DD).", code=code, field=name)
    if not future and today is not None and day > today:
        raise InvalidInput(f"{name} cannot be in the future.", code=code, field=name)
    return day


def cell_year(values: dict[str, str], name: str, *, code: str) -> int | None:
    """A year (2024, or 2024年), None for an empty cell. Raises InvalidInput `code`."""
    raw = values.get(name, "").strip().removesuffix("年")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise InvalidInput(f"{raw!r} is not a year.", code=code, field=name)
    return int(raw)


async def officer_of_row(principal: Principal, values: dict[str, str], today: date) -> Officer:
    """The officer of the row's ID number (and name, when the row gives one) inside the
    caller's jurisdiction, with the agency loaded.

    Raises InvalidInput `officer.bad_id_number`, `import.unknown_officer` (not found in
    the jurisdiction: import officers first), `import.name_mismatch`.
    """
    id_number = parse_id_number(values.get("id_number", ""), today=today).value
    officer = await (
        officers_visible(principal).select_related("agency").get_or_none(id_number=id_number)
    )
    if officer is None:
        raise InvalidInput(
            "No officer with this ID number in your jurisdiction: import the officers first.",
            code="import.unknown_officer",
            field="id_number",
        )
    name = collapse(values.get("name", ""))
    if name and name != officer.name:
        raise InvalidInput(
            f"The officer with this ID number is {officer.name}, not {name}.",
            code="import.name_mismatch",
            field="name",
        )
    return officer
