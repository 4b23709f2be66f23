"""The CLI as cron runs it: `audit verify` on the demo data, before and after tampering."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

CLI = [sys.executable, "-m", "service.cli"]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir), "PASSWORD_ITERATIONS": "1000"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [*CLI, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_audit_verify_passes_on_demo_data_and_names_a_tampered_event(tmp_path: Path) -> None:
    assert run(tmp_path, "demo").returncode == 0
    intact = run(tmp_path, "audit", "verify")
    assert intact.returncode == 0, intact.stdout + intact.stderr
    assert "chains intact" in intact.stdout
    assert "The hours totals are the ledger's sums." in intact.stdout
    with sqlite3.connect(tmp_path / "officer-cert.sqlite3") as db:
        (event_id,) = db.execute("SELECT id FROM officer_events WHERE action = 'revoke'").fetchone()
        db.execute("UPDATE officer_events SET reason = '到期' WHERE id = ?", (event_id,))
    broken = run(tmp_path, "audit", "verify")
    assert broken.returncode == 1
    assert f"(event {event_id})" in broken.stdout


def test_audit_verify_names_an_officers_year_and_an_agencys_month_changed_by_hand(
    tmp_path: Path,
) -> None:
    assert run(tmp_path, "demo").returncode == 0
    with sqlite3.connect(tmp_path / "officer-cert.sqlite3") as db:
        officer, year = db.execute(
            "SELECT officer_id, year FROM hour_years ORDER BY id LIMIT 1"
        ).fetchone()
        db.execute(
            "UPDATE hour_years SET public_law = public_law + 1 WHERE officer_id = ? AND year = ?",
            (officer, year),
        )
        agency, month = db.execute(
            "SELECT agency_id, month FROM hour_months ORDER BY id LIMIT 1"
        ).fetchone()
        db.execute("UPDATE hour_months SET tenths = tenths + 1 WHERE agency_id = ? AND month = ?",
                   (agency, month))  # fmt: skip
    broken = run(tmp_path, "audit", "verify")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    out = " ".join(broken.stdout.split())  # the console wraps long lines
    assert "Hours totals that are not the ledger's sums" in out
    assert f"officer {officer}, {year}: public_law" in out
    assert "Months of agencies that are not the ledger's sums" in out
    assert f"agency {agency}, " in out and f"-{month:02}: " in out
    assert "as the ledger say" in out and "as the totals say" in out
    assert "The hours totals are the ledger's sums." not in out


def test_sweep_runs_on_demo_data(tmp_path: Path) -> None:
    assert run(tmp_path, "demo").returncode == 0
    swept = run(tmp_path, "certificates", "sweep")
    assert swept.returncode == 0, swept.stderr
    assert "0 expired" in swept.stdout


def test_import_officers_from_an_xlsx_reports_bad_rows_and_keeps_the_rest(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from tests.integration.world import id_number

    assert run(tmp_path, "demo").returncode == 0
    book = Workbook()
    book.active.append(["姓名", "身份证号", "单位", "人员类别", "岗位"])
    book.active.append(["努尔艾力", id_number(seq=71), "英吉沙县司法局", "公务员", "执法科员"])
    book.active.append(["王五", "653123198803140000", "英吉沙县司法局", "公务员", ""])
    path = tmp_path / "人员名单.xlsx"
    book.save(path)
    atomic = run(tmp_path, "import", "officers", str(path), "--atomic")
    assert atomic.returncode == 1
    assert "row 3 id_number" in atomic.stdout and "nothing kept" in atomic.stdout
    kept = run(tmp_path, "import", "officers", str(path), "--as", "yjs_admin")
    assert kept.returncode == 1
    assert "2 rows: 1 created, 0 updated, 1 bad; kept." in kept.stdout
    with sqlite3.connect(tmp_path / "officer-cert.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM officers WHERE name = '努尔艾力'").fetchone() == (
            1,
        )


def test_report_compliance_writes_csv_to_stdout_and_xlsx_to_a_file(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert run(tmp_path, "demo").returncode == 0
    year = str(date.today().year)
    printed = run(tmp_path, "report", "compliance", "--year", year, "--region", "653123")
    assert printed.returncode == 0, printed.stderr
    lines = printed.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("人员 ID,姓名,单位") and len(lines) > 5
    path = tmp_path / "report.xlsx"
    written = run(
        tmp_path, "report", "compliance", "--year", year, "--format", "xlsx", "-o", str(path)
    )
    assert written.returncode == 0, written.stderr
    assert load_workbook(path).worksheets[1].title == "汇总"
    refused = run(tmp_path, "report", "compliance", "--year", year, "--format", "xlsx")
    assert refused.returncode == 2 and "--output" in refused.stderr


def test_import_certificates_twice_creates_them_once(tmp_path: Path) -> None:
    from tests.integration.world import id_number

    assert run(tmp_path, "demo").returncode == 0
    person = tmp_path / "人员.csv"
    person.write_text(
        f"姓名,身份证号,单位,人员类别\n吐尔逊·买买提,{id_number(seq=88)},英吉沙县司法局,公务员\n",
        encoding="utf-8",
    )
    assert run(tmp_path, "import", "officers", str(person)).returncode == 0
    cards = tmp_path / "旧证.csv"
    cards.write_text(
        "证号,身份证号,发证日期,状态,执法区域,执法类别\n"
        f"新KS-2020-9001,{id_number(seq=88)},2023-02-01,有效,英吉沙县,司法行政\n",
        encoding="gbk",
    )
    first = run(tmp_path, "import", "certificates", str(cards))
    assert first.returncode == 0, first.stdout + first.stderr
    assert "1 rows: 1 created, 0 updated, 0 bad; kept." in first.stdout
    again = run(tmp_path, "import", "certificates", str(cards))
    assert "1 rows: 0 created, 0 updated, 1 known already, 0 bad; kept." in again.stdout
    with sqlite3.connect(tmp_path / "officer-cert.sqlite3") as db:
        assert db.execute(
            "SELECT legacy, status FROM certificates WHERE number = '新KS-2020-9001'"
        ).fetchall() == [(1, "active")]


def test_api_keys_are_printed_once_listed_and_revoked(tmp_path: Path) -> None:
    assert run(tmp_path, "migrate").returncode == 0
    assert run(tmp_path, "demo").returncode == 0
    made = run(tmp_path, "api-keys", "create", "--name", "省平台", "--region", "650000")
    assert made.returncode == 0, made.stderr
    key = made.stdout.strip().splitlines()[-1]
    assert key.startswith("ock_") and len(key) == 47
    listed = run(tmp_path, "api-keys", "list")
    assert "省平台\t650000\texchange:read" in listed.stdout and key not in listed.stdout
    with sqlite3.connect(tmp_path / "officer-cert.sqlite3") as db:
        stored = db.execute("SELECT key_hash FROM api_keys").fetchone()[0]
    assert key not in stored and len(stored) == 64
    twice = run(tmp_path, "api-keys", "create", "--name", "省平台", "--region", "650000")
    assert twice.returncode == 1 and "exists" in twice.stderr
    assert run(tmp_path, "api-keys", "revoke", "省平台").returncode == 0
    assert "revoked" in run(tmp_path, "api-keys", "list").stdout


def test_report_annual_prints_json_and_writes_a_pdf_of_the_demo_year(tmp_path: Path) -> None:
    import json
    import shutil

    assert run(tmp_path, "demo").returncode == 0
    year = "2024"  # the demo's history: hours and certificates imported, the review run
    printed = run(tmp_path, "report", "annual", "--year", year, "--format", "json")
    assert printed.returncode == 0, printed.stderr
    body = json.loads(printed.stdout)
    assert body["scope_name"] == "全部辖区" and len(body["agencies"]) > 3
    for name in ("officers_in_post", "holders", "issued", "review_passed", "review_failed"):
        assert body["total"][name] == sum(row[name] for row in body["agencies"]), name
    total = body["total"]
    assert total["review_failed"] > 0 and total["issued"] > 0 and total["hours"]["total"] > 0
    path = tmp_path / "年度报告.pdf"
    written = run(
        tmp_path, "report", "annual", "--year", year, "--region", "653123", "-o", str(path)
    )
    assert written.returncode == 0, written.stderr
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "make tools installs poppler-utils"
    text = subprocess.run(
        [pdftotext, str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert f"英吉沙县{year}年度行政执法工作年度报告" in text
    refused = run(tmp_path, "report", "annual", "--year", year, "--format", "pdf")
    assert refused.returncode == 2 and "--output" in refused.stderr
    outside = run(
        tmp_path, "report", "annual", "--year", year, "--region", "999999", "-o", str(path)
    )
    assert outside.returncode == 1 and "999999" in outside.stderr
