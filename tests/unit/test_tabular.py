"""Reading spreadsheets people made: Excel's GBK CSV, UTF-8 with a BOM, pasted tab-separated
text, XLSX; Chinese headers; row numbers as in the file."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from service.documents.tabular import MAX_ROWS, read_sheet
from service.domain.errors import InvalidInput, TooLarge
from service.usecases.officer_import import HEADERS


def test_gbk_csv_from_excel_with_chinese_headers_keeps_file_row_numbers() -> None:
    text = (
        "姓名,身份证号,单位ID\r\n李娜,653123198803140021,3\r\n,,\r\n马强,653123198803140013,3\r\n"
    )
    sheet = read_sheet(text.encode("gbk"), HEADERS)
    assert sheet.fields == ["name", "id_number", "agency_id"]
    assert [number for number, _ in sheet.rows] == [2, 4]
    assert sheet.rows[0][1] == {"name": "李娜", "id_number": "653123198803140021", "agency_id": "3"}


def test_utf8_with_bom_and_pasted_tabs_read_the_same() -> None:
    bom = "\ufeffname,agency\n古丽娜尔·买买提,英吉沙县司法局\n".encode()
    tabs = "姓名\t单位\n古丽娜尔·买买提\t英吉沙县司法局".encode()
    assert read_sheet(bom, HEADERS).rows == read_sheet(tabs, HEADERS).rows


def test_xlsx_numbers_come_back_as_their_digits() -> None:
    book = Workbook()
    book.active.append(["姓名", "单位ID", "在岗"])
    book.active.append(["李娜", 3, "是"])
    out = io.BytesIO()
    book.save(out)
    sheet = read_sheet(out.getvalue(), HEADERS)
    assert sheet.rows == [(2, {"name": "李娜", "agency_id": "3", "in_post": "是"})]


def test_unknown_columns_are_named() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_sheet("姓名,籍贯,民族\n张三,四川,汉".encode(), HEADERS)
    assert refused.value.code == "import.unknown_columns"
    assert refused.value.extra["columns"] == ["籍贯", "民族"]


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not really a zip", b"", b"\xff\xfe\x00garbage\x81"]
)
def test_unreadable_files_are_refused(content: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_sheet(content, HEADERS)
    assert refused.value.code == "import.bad_file"


# Hostile workbooks: whatever a sheet declares, reading stays within fixed bounds.


def crafted_xlsx(sheet_data: str, dimension: str = "A1:A1", extra: bytes = b"") -> bytes:
    """A real workbook whose first sheet's XML is replaced: its `<dimension>` and rows as
    given, and `extra` bytes (a zip bomb's padding) stored beside it."""
    book = Workbook()
    book.active.append(["姓名"])
    plain = io.BytesIO()
    book.save(plain)
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    crafted = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source,
        zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            target.writestr(item.filename, data)
        if extra:
            target.writestr("xl/padding.bin", extra)
    return crafted.getvalue()


def inline(row: int, column: str, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{inline(1, "A", "姓名")}</row>'


def test_a_declared_width_of_16384_columns_is_not_read_as_such() -> None:
    # The attack of the hardening issue: 4.9 KB that openpyxl pads to 98 million cells.
    content = crafted_xlsx(
        HEADER + f'<row r="6000">{inline(6000, "A", "李娜")}</row>', dimension="A1:XFD6000"
    )
    assert len(content) < 10_000
    tracemalloc.start()
    try:
        sheet = read_sheet(content, HEADERS)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sheet.rows == [(6000, {"name": "李娜"})]
    assert peak < 50_000_000, f"reading used {peak / 1e6:.0f} MB"


def test_a_row_past_the_limit_refuses_the_file_without_reading_to_it() -> None:
    far = 10**9  # openpyxl would fill every row up to it
    content = crafted_xlsx(HEADER + f'<row r="{far}">{inline(far, "A", "李娜")}</row>')
    with pytest.raises(TooLarge) as refused:
        read_sheet(content, HEADERS)
    assert refused.value.code == "import.too_large"


def test_a_header_past_the_limit_refuses_the_file_and_far_cells_are_not_read() -> None:
    wide = f'<row r="1">{inline(1, "A", "姓名")}{inline(1, "BM", "备注")}</row>'  # column 65
    with pytest.raises(TooLarge) as refused:
        read_sheet(crafted_xlsx(wide), HEADERS)
    assert "64 columns" in refused.value.detail
    far = HEADER + f'<row r="2">{inline(2, "A", "李娜")}{inline(2, "XFD", "很远")}</row>'
    assert read_sheet(crafted_xlsx(far), HEADERS).rows == [(2, {"name": "李娜"})]


def test_a_zip_bomb_is_refused_before_it_is_unzipped() -> None:
    bomb = crafted_xlsx(HEADER, extra=b"\0" * 60_000_000)
    assert len(bomb) < 200_000
    with pytest.raises(TooLarge) as refused:
        read_sheet(bomb, HEADERS)
    assert refused.value.code == "import.too_large"


def test_too_many_csv_rows_are_refused() -> None:
    text = "姓名\n" + "李娜\n" * (MAX_ROWS + 1)
    with pytest.raises(TooLarge):
        read_sheet(text.encode(), HEADERS)
    assert len(read_sheet(("姓名\n" + "李娜\n" * MAX_ROWS).encode(), HEADERS).rows) == MAX_ROWS


def test_a_broken_csv_is_a_bad_file_not_an_error() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_sheet(b'"\r\x1e', HEADERS)
    assert refused.value.code == "import.bad_file"
