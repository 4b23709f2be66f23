"""Reading a spreadsheet people made: XLSX, CSV (UTF-8 with or without a BOM, or GBK as
Excel on a Chinese Windows saves it) or tab-separated text pasted from Excel.

Headers may be the API's field names or their Chinese names; each row comes back with
its number as people see it in the file (the header is row 1).

A file is read within fixed bounds whatever it declares: at most `MAX_ROWS` rows below
the header (blank ones in between count: reading stops at the first row past them and
refuses the file), `MAX_COLUMNS` columns (a value in the next one refuses the file; an
XLSX's cells further right are not read), and for XLSX at most `MAX_UNZIPPED` bytes
once unzipped. A sheet's `<dimension>` is ignored: openpyxl would pad every row to the
width it declares. Reading is CPU work: callers run it off the event loop.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from openpyxl import load_workbook

from service.domain.errors import InvalidInput, TooLarge

MAX_ROWS = 20_000
MAX_COLUMNS = 64
MAX_UNZIPPED = 50_000_000  # an XLSX of 2 MB that unzips past this is a zip bomb


@dataclass(frozen=True, slots=True)
class Sheet:
    fields: list[str]  # the recognised columns, as field names
    rows: list[tuple[int, dict[str, str]]]  # (row number, field -> text), blank rows left out


def read_sheet(content: bytes, headers: Mapping[str, str]) -> Sheet:
    """The rows of an XLSX or CSV/TSV file, keyed by field name through `headers` (which
    maps every accepted header, in any case, to its field).

    Raises InvalidInput `import.bad_file` (unreadable, empty) or `import.unknown_columns`
    (a header that is not known), TooLarge `import.too_large` (past the bounds).
    """
    table = _xlsx(content) if content[:2] == b"PK" else _delimited(_text(content))
    if not table or not any(cell.strip() for cell in table[0]):
        raise InvalidInput("The file has no header row.", code="import.bad_file")
    known = {key.strip().lower(): field for key, field in headers.items()}
    header = [cell.strip() for cell in table[0]]
    unknown = [name for name in header if name and name.lower() not in known]
    if unknown:
        raise InvalidInput(
            "Unknown columns: " + ", ".join(unknown),
            code="import.unknown_columns",
            columns=unknown,
        )
    fields = [known.get(name.lower(), "") for name in header]
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {f: cell.strip() for f, cell in zip(fields, cells, strict=False) if f}
        if any(values.values()):
            rows.append((number, values))
    return Sheet([f for f in fields if f], rows)


def _bounded(rows: Iterable[Sequence[object]]) -> list[list[str]]:
    """At most the header and `MAX_ROWS` rows, each at most `MAX_COLUMNS` wide; a row or
    a column past them refuses the file."""
    table: list[list[str]] = []
    for row in itertools.islice(rows, MAX_ROWS + 2):
        if len(table) == MAX_ROWS + 1:
            raise _too_large(f"At most {MAX_ROWS:,} rows below the header.")
        cells = ["" if cell is None else _cell(cell) for cell in row]
        if any(cells[MAX_COLUMNS:]):
            raise _too_large(f"At most {MAX_COLUMNS} columns.")
        table.append(cells[:MAX_COLUMNS])
    return table


def _too_large(why: str) -> TooLarge:
    return TooLarge(f"The file is too large to import: {why}", code="import.too_large")


def _text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput("The file is neither UTF-8 nor GBK text.", code="import.bad_file")


def _delimited(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        return _bounded(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InvalidInput(
            f"The file is not readable as CSV: {error}.", code="import.bad_file"
        ) from None


def _xlsx(content: bytes) -> list[list[str]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
        if unzipped > MAX_UNZIPPED:
            raise _too_large(f"it unzips to more than {MAX_UNZIPPED // 1_000_000} MB.")
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            "The file is not a readable XLSX workbook.", code="import.bad_file"
        ) from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # never pad rows to what the sheet declares
        return _bounded(sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True))
    except (KeyError, ValueError, TypeError) as error:
        raise InvalidInput(
            f"The workbook's first sheet is not readable: {error}.", code="import.bad_file"
        ) from None
    finally:
        book.close()


def _cell(value: object) -> str:
    # Excel turns a long ID number typed as a number into a float; an integral float is
    # written back as its digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rows_of(
    content: bytes, headers: Mapping[str, str]
) -> Callable[[], list[tuple[int, dict[str, str]]]]:
    """The reading of `content` as a call to make later (an import use case checks the
    caller's role first, then reads off the event loop)."""
    return lambda: read_sheet(content, headers).rows
