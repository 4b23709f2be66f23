"""No text we write into a spreadsheet becomes a formula, and a person's name holds only
what names hold (the hardening issue's finding 2), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import zipfile

import pytest

from service.documents.spreadsheets import review_workbook
from service.store.models import Officer
from service.usecases.annual_review import Outcome, ReviewRun
from tests.integration.world import World, id_number

EVIL = '=HYPERLINK("http://evil.example/x","点击")'


@pytest.mark.parametrize(
    "name", [EVIL, "张<b>伟", "李\u0007娜", "+86 王刚", "@SUM(A1)", "-1+1", "马强2"]
)
async def test_a_name_with_what_names_do_not_hold_is_refused(world: World, name: str) -> None:
    response = await world.client.post(
        "/api/v1/officers",
        json={
            "name": name,
            "id_number": id_number(seq=61),
            "agency_id": world.agencies["yjs_market"],
            "employment_type": "civil_servant",
        },
        headers=world.auth("root"),
    )
    assert (response.status_code, response.json()["code"]) == (422, "officer.bad_name")


async def test_names_of_every_script_with_the_middle_dot_are_kept(world: World) -> None:
    for seq, (given, kept) in enumerate(
        (
            ("阿不都・热合曼", "阿不都·热合曼"),
            ("Zoë Müller", "Zoë Müller"),
            ("ئابدۇرېھىم", "ئابدۇرېھىم"),
        ),
        start=62,
    ):
        officer = await world.create_officer(name=given, id_number=id_number(seq=seq))
        assert officer["name"] == kept


async def evil_in_the_report(world: World) -> None:
    """An agency named like a formula (agency names are free text), and an officer whose
    name came in before names were checked (a row of an older database)."""
    agency = await world.client.post(
        "/api/v1/agencies",
        json={"name": EVIL, "region_code": "653123", "sector": "05", "kind": "department"},
        headers=world.auth("root"),
    )
    assert agency.status_code == 201, agency.text
    officer = await world.create_officer(agency_id=agency.json()["id"])
    await Officer.filter(id=officer["id"]).update(name="=1+2")


async def test_the_compliance_csv_neutralises_formulas(world: World) -> None:
    await evil_in_the_report(world)
    response = await world.client.get(
        "/api/v1/reports/compliance",
        params={"year": 2025, "format": "csv"},
        headers=world.auth("root"),
    )
    assert response.status_code == 200
    cells = [cell for line in response.text.splitlines() for cell in line.split(",")]
    assert "'=1+2" in cells
    assert not any(cell.lstrip('"').startswith(("=", "+", "@")) for cell in cells)
    assert f"'{EVIL}".replace('"', '""') in response.text


def formulas(workbook: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [
            name for name in sheets if b"<f>" in archive.read(name) or b"<f " in archive.read(name)
        ]


async def test_the_compliance_workbook_holds_no_formula(world: World) -> None:
    await evil_in_the_report(world)
    response = await world.client.get(
        "/api/v1/reports/compliance",
        params={"year": 2025, "format": "xlsx"},
        headers=world.auth("root"),
    )
    assert response.status_code == 200
    assert formulas(response.content) == []
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8", "replace")
    assert "'=1+2" in text


def test_the_review_workbook_holds_no_formula() -> None:
    run = ReviewRun(2025, "653123", dry_run=True)
    run.results.append(
        Outcome(1, "653123032500001X", 7, "=cmd|' /C calc'!A0", False, ["hours_short"], ["@x"])
    )
    workbook = review_workbook(run)
    assert formulas(workbook) == []
