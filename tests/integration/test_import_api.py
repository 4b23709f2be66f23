"""`POST /api/v1/officers/import`: CSV or XLSX, each bad row reported, the rest kept."""

from __future__ import annotations

import io

from openpyxl import Workbook

from tests.integration.world import World, id_number


def _xlsx(*rows: list[object]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _post(world: World, content: bytes, name: str, who: str = "yjs_admin", **params: str):  # type: ignore[no-untyped-def]
    return await world.client.post(
        "/api/v1/officers/import",
        params=params,
        files={"file": (name, content)},
        headers=world.auth(who),
    )


async def test_bad_id_duplicate_and_unknown_agency_are_reported_and_the_rest_kept(
    world: World,
) -> None:
    agency = world.agencies["yjs_market"]
    good = id_number(seq=31)
    content = _xlsx(
        ["name", "id_number", "agency_id", "employment_type", "phone"],
        ["李娜", id_number(seq=32, male=False), agency, "civil_servant", "13912345678"],
        ["马强", good[:-1] + ("1" if good[-1] != "1" else "2"), agency, "civil_servant", ""],
        ["李娜", id_number(seq=32, male=False), agency, "civil_servant", ""],
        ["王刚", id_number(seq=33), 99999, "civil_servant", ""],
        ["赵敏", id_number(seq=34, male=False), agency, "事业编制人员", ""],
    )
    atomic = await _post(world, content, "officers.xlsx", atomic="true")
    assert atomic.status_code == 200, atomic.text
    assert atomic.json()["written"] is False and atomic.json()["created"] == 0
    response = await _post(world, content, "officers.xlsx")
    body = response.json()
    assert (body["rows"], body["created"], body["updated"], body["written"]) == (5, 2, 0, True)
    assert [(e["row"], e["field"], e["code"]) for e in body["errors"]] == [
        (3, "id_number", "officer.bad_id_number"),
        (4, "id_number", "import.duplicate_row"),
        (5, "agency_id", "officer.bad_agency"),
    ]
    listed = await world.client.get("/api/v1/officers", headers=world.auth("root"))
    assert sorted(o["name"] for o in listed.json()["items"]) == ["李娜", "赵敏"]


async def test_a_known_id_number_updates_and_other_jurisdictions_are_refused(world: World) -> None:
    hy = await world.create_officer(
        name="王芳",
        id_number=id_number("610921", male=False),
        agency_id=world.agencies["hy_justice"],
    )
    known = await world.create_officer(name="张伟", id_number=id_number(seq=35))
    csv = (
        "姓名,身份证号,单位,人员类别,在岗\r\n"
        f"张伟,{known['id_number']},英吉沙县市场监督管理局,公务员,否\r\n"
        f"王芳,{hy['id_number']},英吉沙县市场监督管理局,公务员,是\r\n"
    ).encode("gbk")
    body = (await _post(world, csv, "名单.csv")).json()
    assert (body["created"], body["updated"]) == (0, 1)
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(3, "officer.duplicate_id_number")]
    updated = await world.client.get(f"/api/v1/officers/{known['id']}", headers=world.auth("root"))
    assert updated.json()["in_post"] is False


async def test_unreadable_files_and_unknown_columns_are_422(world: World) -> None:
    garbage = await _post(world, b"PK\x03\x04 broken", "x.xlsx")
    columns = await _post(world, "姓名,籍贯\n张三,四川\n".encode(), "x.csv")
    organiser = await _post(world, b"name\n", "x.csv", who="trainer")
    assert (garbage.status_code, garbage.json()["code"]) == (422, "import.bad_file")
    assert (columns.status_code, columns.json()["code"]) == (422, "import.unknown_columns")
    assert organiser.status_code == 403


async def test_a_caller_who_may_not_import_is_refused_before_the_file_is_read(
    world: World,
) -> None:
    # Unreadable on purpose: read first, it would answer 422 import.bad_file.
    refused = await _post(world, b"PK\x03\x04 not a workbook", "x.xlsx", who="trainer")
    assert (refused.status_code, refused.json()["code"]) == (403, "auth.forbidden")


async def test_a_file_past_the_row_limit_is_a_413_problem(world: World) -> None:
    content = ("姓名\n" + "李娜\n" * 20_001).encode()
    refused = await _post(world, content, "many.csv")
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "import.too_large"
