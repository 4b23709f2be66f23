"""The exchange's field list is written once (`domain.exchange.FIELDS`); the document the
platforms read lists each field with the same Chinese name, and the cursor reads back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.domain.errors import InvalidInput
from service.domain.exchange import FIELDS, SHEET_NAMES, Cursor

DOC = Path(__file__).parents[2] / "docs" / "exchange.md"


def test_docs_list_every_field_with_its_chinese_name() -> None:
    text = DOC.read_text(encoding="utf-8")
    for kind, fields in FIELDS.items():
        section = text.split(f"### `{kind}` · {SHEET_NAMES[kind]}")[1].split("###")[0]
        listed = dict(re.findall(r"^\| `(\w+)` \| ([^|]+?) \|", section, flags=re.M))
        assert listed == fields, kind


def test_cursor_reads_back_and_refuses_anything_else() -> None:
    assert Cursor.parse(str(Cursor(1843, 977))) == Cursor(1843, 977)
    assert Cursor.parse(None) == Cursor.parse("") == Cursor.parse("0") == Cursor()
    assert Cursor(5, 1) > Cursor(4, 99)
    for bad in ("12x", "1.2.3", "-1.2", "1." + "9" * 20, "1 .2"):
        with pytest.raises(InvalidInput) as refused:
            Cursor.parse(bad)
        assert refused.value.code == "exchange.bad_cursor"
