"""The exchange's documents: JSON Lines (one record or change a line) and the snapshot as
an XLSX workbook, a sheet per kind with the Chinese headers of `domain.exchange.FIELDS`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from openpyxl import Workbook

from service.documents.spreadsheets import XLSX, as_text, new_sheet, saved
from service.domain.exchange import FIELDS, SHEET_NAMES, RecordKind

MEDIA_TYPE = "application/jsonl"
__all__ = ["MEDIA_TYPE", "XLSX", "line", "lines", "workbook"]
_encoder = msgspec.json.Encoder()


def line(value: Mapping[str, Any]) -> bytes:
    return _encoder.encode(value) + b"\n"


def lines(values: Iterable[Mapping[str, Any]]) -> bytes:
    return b"".join(line(value) for value in values)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return as_text(value)


def workbook(records: Mapping[RecordKind, Iterable[Mapping[str, Any]]]) -> bytes:
    """A sheet per kind; the first row the Chinese headers. CPU work: run off the loop."""
    book = Workbook(write_only=True)
    for kind, fields in FIELDS.items():
        sheet = new_sheet(book, SHEET_NAMES[kind], list(fields.values()), [16] * len(fields))
        for state in records.get(kind, ()):
            sheet.append([_cell(state.get(name)) for name in fields])
    return saved(book)
