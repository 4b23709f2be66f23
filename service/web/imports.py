"""The JSON of an import, which the API's four imports answer alike."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from litestar.datastructures import UploadFile

from service.usecases.imports import ImportReport


@dataclass
class ImportUpload:
    file: UploadFile


class RowErrorOut(msgspec.Struct):
    row: int
    field: str | None
    code: str
    message: str


class ImportOut(msgspec.Struct):
    rows: int
    created: int
    updated: int
    unchanged: int  # known already: a file imported again changes nothing
    written: bool  # false: atomic, and a row was bad, so nothing was kept
    errors: list[RowErrorOut]


def import_out(report: ImportReport) -> ImportOut:
    return ImportOut(
        rows=report.rows,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        written=report.written,
        errors=[RowErrorOut(e.row, e.field, e.code, e.message) for e in report.errors],
    )
