"""Reading a spreadsheet people made: XLSX, CSV (UTF-8 with or without a BOM, or GBK as
Excel on a Chinese Windows saves it) or tab-separated text pasted from Excel.

Headers may be the API's field names or their Chinese names; each row comes back with
its number as people see it in the file (the header is row 1)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import load_workbook

from service.domain.errors import InvalidInput

MAX_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class Sheet:
    fields: list[str]  # the recognised columns, as field names
    rows: list[tuple[int, dict[str, str]]]  # (row number, field -> text), blank rows left out


def read_sheet(content: bytes, headers: Mapping[str, str]) -> Sheet:
    """The rows of an XLSX or CSV/TSV file, keyed by field name through `headers` (which
    maps every accepted header, in any case, to its field).

    Raises InvalidInput `import.bad_file` (unreadable, empty, too many rows) or
    `import.unknown_columns` (a header that is not known).
    """
    table = _xlsx(content) if content[:2] == b"PK" else _delimited(_text(content))
    if not table or not any(cell.strip() for cell in table[0]):
        raise InvalidInput("The file has no header row.", code="import.bad_file")
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInput(f"At most {MAX_ROWS} rows per file.", code="import.bad_file")
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
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx(content: bytes) -> list[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            "The file is not a readable XLSX workbook.", code="import.bad_file"
        ) from None
    try:
        sheet = book.worksheets[0]
        return [
            ["" if cell is None else _cell(cell) for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    finally:
        book.close()


def _cell(value: object) -> str:
    # Excel turns a long ID number typed as a number into a float; an integral float is
    # written back as its digits.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
