"""The streaming XLSX writer, read back with openpyxl: text stays text (a formula-looking
cell too, `&` and `<` escaped, characters XML cannot hold dropped), numbers stay numbers,
the header is frozen, the widths set, and no temporary file outlives the book."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from service.documents.xlsx_stream import Book


def test_a_book_reads_back_as_written(tmp_path: Path) -> None:
    book = Book()
    sheet = book.sheet("2025年度学时达标", ["人员 ID", "姓名", "学时"], [10, 28, 12])
    sheet.append([1, "张伟 & <李娜>", 12.5])
    sheet.append([2, "'=1+1", 0])
    sheet.append([3, "控制\x01字符", None])
    other = book.sheet("汇总", ["单位", "人数"], [30, 8])
    other.append(["全部", 3])
    files = [Path(s.path) for s in book.sheets]
    book.save(str(tmp_path / "book.xlsx"))
    assert not any(f.exists() for f in files)
    read = load_workbook(tmp_path / "book.xlsx")
    first, second = read.worksheets
    assert read.sheetnames == ["2025年度学时达标", "汇总"]
    assert list(first.iter_rows(values_only=True)) == [
        ("人员 ID", "姓名", "学时"),
        (1, "张伟 & <李娜>", 12.5),
        (2, "'=1+1", 0),
        (3, "控制字符", None),
    ]
    assert first["B3"].data_type == "s"  # text, not a formula
    assert first.freeze_panes == "A2" and first.column_dimensions["B"].width == 28
    assert list(second.iter_rows(values_only=True)) == [("单位", "人数"), ("全部", 3)]


def test_a_book_that_fails_half_way_leaves_no_file(tmp_path: Path) -> None:
    book = Book()
    sheet = book.sheet("表", ["a"], [10])
    sheet.append(["x"])
    files = [Path(s.path) for s in book.sheets]
    with pytest.raises(IsADirectoryError):
        book.save(str(tmp_path))  # a directory cannot be the book
    assert not any(f.exists() for f in files)
