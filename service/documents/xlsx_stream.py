"""A streaming XLSX writer for the large reports: each sheet's rows go to a temporary file
as they come, as the sheet's XML, and the workbook is zipped from those files at the end,
so memory stays flat and a row costs a few string joins (openpyxl's write-only mode and
XlsxWriter's constant-memory mode spend about ten times as long per cell, which at
100,000 officers was most of the report's time).

What it writes is what the reports need: text (always as text, never read as a formula),
numbers, empty cells; a frozen header row and column widths. Excel, LibreOffice and
openpyxl open it (the tests read it back with openpyxl).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 cannot hold: dropped from text cells.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
    'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    "<cols>{cols}</cols><sheetData>"
)
_SHEET_END = "</sheetData></worksheet>"


def _cell(value: object) -> str:
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f"<c><v>{value!r}</v></c>"
    text = escape(_NOT_XML.sub("", str(value)))
    return f'<c t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


class Sheet:
    """One sheet, its rows written to a temporary file as they come."""

    def __init__(self, title: str, header: Sequence[str], widths: Sequence[int]) -> None:
        self.title = title
        handle, self.path = tempfile.mkstemp(suffix=".xml")
        self._file = os.fdopen(handle, "w", encoding="utf-8")
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{width}" customWidth="1"/>'
            for n, width in enumerate(widths, 1)
        )
        self._file.write(_SHEET_START.format(cols=cols))
        self._rows = 0
        self.append(header)

    def append(self, values: Iterable[object]) -> None:
        self._rows += 1
        self._file.write(f'<row r="{self._rows}">{"".join([_cell(v) for v in values])}</row>')

    def close(self) -> None:
        if not self._file.closed:
            self._file.write(_SHEET_END)
            self._file.close()


class Book:
    """Sheets added in order, zipped into `path` by `save` (which removes their files)."""

    def __init__(self) -> None:
        self.sheets: list[Sheet] = []

    def sheet(self, title: str, header: Sequence[str], widths: Sequence[int]) -> Sheet:
        added = Sheet(title, header, widths)
        self.sheets.append(added)
        return added

    def save(self, path: str) -> None:
        try:
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
                numbered = list(enumerate(self.sheets, 1))
                types = "".join(_SHEET_TYPE.format(n=n) for n, _ in numbered)
                book.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=types))
                book.writestr("_rels/.rels", _ROOT_RELS)
                entries = "".join(
                    f'<sheet name={quoteattr(s.title)} sheetId="{n}" r:id="rId{n}"/>'
                    for n, s in numbered
                )
                book.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=entries))
                rels = "".join(
                    f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{n}.xml"/>'
                    for n, _ in numbered
                )
                book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheets=rels))
                book.writestr("xl/styles.xml", _STYLES)
                for n, sheet in numbered:
                    sheet.close()
                    book.write(sheet.path, f"xl/worksheets/sheet{n}.xml")
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the sheets' files (also after a failure half-way)."""
        for sheet in self.sheets:
            sheet.close()
            if os.path.exists(sheet.path):
                os.unlink(sheet.path)
