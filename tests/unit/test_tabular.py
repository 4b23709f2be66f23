"""Reading spreadsheets people made: Excel's GBK CSV, UTF-8 with a BOM, pasted tab-separated
text, XLSX; Chinese headers; row numbers as in the file."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from service.documents.tabular import read_sheet
from service.domain.errors import InvalidInput
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
