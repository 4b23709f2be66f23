"""Schemathesis against the real served app (`serve --demo`), on SQLite and PostgreSQL,
as anonymous, an officer, a bureau admin and the superadmin, with every check on: no
answer may be a server error, and every answer (status, media type, body) must be one
the OpenAPI document describes.

The seed is fixed so a run repeats (FUZZ_SEED picks another); FUZZ_EXAMPLES sets how
many examples the fuzzing phase draws per operation (15 by default, which keeps the
eight runs to a few minutes).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.e2e.servers import running_server

CONFIG = Path(__file__).with_name("schemathesis.toml")
ROOT_PASSWORD = "Fuzz-root-2026"
SEED = os.environ.get("FUZZ_SEED", "14")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "15")
ENV = {
    "ADMIN_USERNAME": "root",
    "ADMIN_PASSWORD": ROOT_PASSWORD,
    # High enough that the fuzzer reaches the handlers instead of the limiters.
    "PUBLIC_RATE_PER_MINUTE": "10000",
    "LOGIN_RATE_PER_MINUTE": "10000",
}
# The officer goes before the admins, who may reset the officer's password.
IDENTITIES = ("anonymous", "officer", "bureau_admin", "superadmin")


def bearer(base: str, data_dir: Path, identity: str) -> str | None:
    if identity == "anonymous":
        return None
    first_line = (data_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[0]
    demo_password = first_line.rsplit(" ", 1)[1]
    if identity == "officer":
        login = httpx.post(
            f"{base}/mobile/v1/auth/token",
            json={
                "username": "653123197508270112",
                "password": demo_password,
                "device_id": "fuzzing-phone-01",
            },
        )
    else:
        username, password = (
            ("root", ROOT_PASSWORD) if identity == "superadmin" else ("yjs_admin", demo_password)
        )
        login = httpx.post(
            f"{base}/api/v1/auth/token", json={"username": username, "password": password}
        )
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])


def fuzz(base: str, token: str | None) -> tuple[int, str]:
    """Run schemathesis; returns the test cases it ran and its summary."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "run",
        f"{base}/schema/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        # One thread: hypothesis parses lambda sources with `ast`, which CPython 3.11.7
        # can break when two threads do it at once ("AST constructor recursion depth").
        "--workers",
        "1",
        "--no-color",
    ]
    if token is not None:
        command += ["--header", f"Authorization: Bearer {token}"]
    ran = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    output = ran.stdout + ran.stderr
    summary = output[output.find("SUMMARY") :] if "SUMMARY" in output else output[-4000:]
    assert ran.returncode == 0, f"schemathesis found failures:\n{output[-20000:]}"
    cases = re.search(r"(\d+) generated, (\d+) passed", output)
    assert cases is not None, summary
    assert cases.group(1) == cases.group(2), summary
    return int(cases.group(1)), summary


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_fuzzer_finds_no_server_error_and_no_undocumented_answer(
    tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    env = dict(ENV)
    if backend == "postgres":
        env["DATABASE_URL"] = request.getfixturevalue("empty_postgres")[1]
    data_dir = tmp_path / "data"
    counts = {}
    with running_server(data_dir, "--demo", **env) as base:
        for identity in IDENTITIES:
            counts[identity], _ = fuzz(base, bearer(base, data_dir, identity))
    # What the closing notes quote: how many test cases (one request each) per identity.
    sys.stdout.write(f"\nfuzzed on {backend}: {counts}\n")
    assert all(count > 1_000 for count in counts.values()), counts
