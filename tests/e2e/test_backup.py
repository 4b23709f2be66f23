"""`officer-cert backup` of a running service and `restore` into an empty database on
another host (its own empty DATA_DIR), on SQLite and on PostgreSQL: the event chains are
intact, the JWKS is the same, a card printed before the backup still verifies and the
evidence still downloads. Without the key-encryption key the restored keys open nothing."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import RUN_ID, create_postgres_database, pg_execute, pg_url, run_sync
from tests.e2e.servers import server_process
from tests.e2e.test_checkin_browser import ROOT_PASSWORD
from tests.e2e.test_logs import demo_password
from tests.e2e.test_verify_browser import staff_client
from tests.integration.test_claims_api import PDF
from tests.qr import decode_qr


def kek() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(params=["sqlite", "postgres"])
def databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: the backed-up one and the one restored into."""
    if request.param == "sqlite":
        yield (
            f"sqlite://{tmp_path / 'a' / 'db.sqlite3'}",
            f"sqlite://{tmp_path / 'b' / 'db.sqlite3'}",
        )
        return
    names = [f"oc_b_{RUN_ID}_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        create_postgres_database(name)
    yield pg_url(names[0]), pg_url(names[1])
    for name in names:
        run_sync(pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def cli(data_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "DATA_DIR": str(data_dir), "PASSWORD_ITERATIONS": "1000", **env}
    full.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=full, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def file_claim(base: str, data_dir: Path) -> dict[str, Any]:
    """A demo officer files external training with PDF evidence; the claim."""
    http = httpx.Client(base_url=base, timeout=20)
    login = http.post(
        "/mobile/v1/auth/token",
        json={"username": "653123197508270112", "password": demo_password(data_dir),
              "device_id": "iphone-backup"},
    ).json()  # fmt: skip
    filed = http.post(
        "/mobile/v1/me/external-training",
        data={"title": "党校专题培训", "category": "professional", "hours": "3",
              "completed_on": date.today().isoformat()},
        files={"evidence": ("证明.pdf", PDF, "application/pdf")},
        headers={"Authorization": f"Bearer {login['access_token']}"},
    )  # fmt: skip
    assert filed.status_code == 201, filed.text
    claim: dict[str, Any] = filed.json()
    return claim


def test_a_backup_restores_on_another_host_with_keys_cards_evidence_and_chains(
    tmp_path: Path, databases: tuple[str, str]
) -> None:
    source, target = databases
    key = kek()
    a = {"DATABASE_URL": source, "KEY_ENCRYPTION_KEY": key,
         "ADMIN_USERNAME": "root", "ADMIN_PASSWORD": ROOT_PASSWORD}  # fmt: skip
    archive = tmp_path / "officer-cert.backup"
    with server_process(tmp_path / "a", "--demo", **a) as server:
        claim = file_claim(server.base, tmp_path / "a")
        staff = staff_client(server.base)
        active = staff.get("/api/v1/certificates", params={"status": "active"}).json()["items"]
        card = staff.get(f"/api/v1/certificates/{active[0]['id']}/qr.png")
        card_token = decode_qr(card.content, tmp_path).rsplit("/", 1)[1]
        assert [c["id"] for c in staff.get("/api/v1/external-training").json()["items"]] == [
            claim["id"]
        ]
        jwks = staff.get("/.well-known/jwks.json").json()
        made = cli(tmp_path / "a", a, "backup", str(archive))  # while it serves
        assert made.returncode == 0, made.stdout + made.stderr
    assert archive.stat().st_mode & 0o777 == 0o600
    assert key.encode() not in archive.read_bytes()

    b = {"DATABASE_URL": target, "KEY_ENCRYPTION_KEY": key}
    restored = cli(tmp_path / "b", b, "restore", str(archive))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    again = cli(tmp_path / "b", b, "restore", str(archive))
    assert again.returncode == 1 and "not empty" in again.stderr
    audit = cli(tmp_path / "b", b, "audit", "verify")
    assert audit.returncode == 0 and "chains intact" in audit.stdout, audit.stdout + audit.stderr
    stranger = cli(tmp_path / "b", {**b, "KEY_ENCRYPTION_KEY": kek()}, "keys", "list")
    assert stranger.returncode == 1 and "does not open" in stranger.stderr, stranger.stderr

    with server_process(tmp_path / "b", **b) as server:
        http = staff_client(server.base)
        assert http.get("/.well-known/jwks.json").json() == jwks
        verdict = http.get(f"/api/v1/public/credentials/{card_token}").json()
        assert verdict["genuine"] is True
        evidence = http.get(f"/api/v1/external-training/{claim['id']}/evidence")
        assert (evidence.status_code, evidence.content) == (200, PDF)
    assert not (tmp_path / "b" / "keys").exists() and not (tmp_path / "b" / "evidence").exists()


def test_restore_refuses_what_is_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not an archive")
    env = {"DATABASE_URL": f"sqlite://{tmp_path / 'db.sqlite3'}"}
    refused = cli(tmp_path, env, "restore", str(junk))
    assert refused.returncode == 1 and "cannot be read as a backup" in refused.stderr
