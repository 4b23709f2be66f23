"""The hash locks `make` installs from agree with pyproject.toml (regenerate them with
`make lock` after changing a dependency)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==(\S+)")


def name(requirement: str) -> str:
    found = re.match(r"[A-Za-z0-9_.\-]+", requirement)
    assert found, requirement
    return re.sub(r"[-_.]+", "-", found.group(0)).lower()


def locked(lock: str) -> dict[str, list[str]]:
    """Each pinned package and its hashes."""
    pins: dict[str, list[str]] = {}
    current = None
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        pinned = PIN.match(line)
        if pinned:
            current = name(pinned.group(1))
            pins[current] = []
        elif "--hash=sha256:" in line and current is not None:
            pins[current].append(line.split("--hash=sha256:")[1].split()[0])
    return pins


def test_every_dependency_is_locked_with_hashes_and_test_tools_stay_out_of_the_runtime() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, test = locked("runtime.lock"), locked("test.lock")
    wanted = {name(r) for r in project["dependencies"]} | {"pip", "setuptools"}
    tools = {name(r) for r in project["optional-dependencies"]["test"]}
    assert wanted <= set(runtime), wanted - set(runtime)
    assert wanted | tools <= set(test), (wanted | tools) - set(test)
    # (httpx is a test tool and a dependency of litestar[standard] too)
    only_for_tests = {"pytest", "pytest-asyncio", "pytest-xdist", "playwright", "ruff", "mypy",
                      "schemathesis", "asgi-lifespan"}  # fmt: skip
    assert only_for_tests <= tools and not only_for_tests & set(runtime)
    for pins in (runtime, test):
        assert all(hashes for hashes in pins.values()), [p for p, h in pins.items() if not h]
    tools_lock = locked("tools.lock")
    assert set(tools_lock) == {"uv"} and tools_lock["uv"]  # what installs the rest
    shared = set(runtime) & set(test)
    assert {p: runtime[p] for p in shared} == {p: test[p] for p in shared}  # the same versions
