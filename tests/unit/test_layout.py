"""The layout holds: imports point inward, adapters do not lean on each other, use cases
write through the unit of work, and modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("service", "admin", "mobile_api")
# Declarative tables may run longer than the ~300 lines a module of code should.
LONG_ON_PURPOSE = {"admin/tables.py"}


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the service."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offenders(
    inside: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()
) -> dict[str, list[str]]:
    found = {}
    for name, path in modules().items():
        if name == inside or name.startswith(inside + "."):
            bad = sorted(
                i
                for i in imports_of(path)
                if i.startswith(forbidden) and not (allowed and i.startswith(allowed))
            )
            if bad:
                found[name] = bad
    return found


@pytest.mark.parametrize(
    ("inside", "forbidden", "allowed"),
    [
        # The domain is plain Python: no web, no ORM, nothing outside it.
        (
            "service.domain",
            ("litestar", "tortoise", "piccolo", "service.store", "service.usecases",
             "service.http", "service.web", "service.documents", "admin", "mobile_api"),
            (),
        ),
        # The store may use Litestar's key-value stores, nothing else of the web.
        ("service.store", ("litestar", "service.usecases", "service.http", "service.web",
                           "admin", "mobile_api"), ("litestar.stores",)),
        ("service.usecases", ("litestar", "service.http", "service.web", "service.documents",
                              "admin", "mobile_api"), ()),
        # Adapters use the use cases and the shared packages, never each other.
        ("admin", ("service.http", "mobile_api"), ()),
        ("mobile_api", ("service.http", "admin"), ()),
        ("service.cli", ("service.http", "service.web", "admin", "mobile_api"), ()),
        ("service.http", ("admin", "mobile_api"), ()),
        ("service.web", ("service.http", "admin", "mobile_api"), ()),
        ("service.documents", ("service.http", "service.web", "admin", "mobile_api"), ()),
        ("service.notify", ("litestar", "service.http", "service.web", "service.documents",
                            "admin", "mobile_api"), ()),
    ],
)  # fmt: skip
def test_imports_point_inward(
    inside: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]
) -> None:
    assert offenders(inside, forbidden, allowed) == {}


def test_use_cases_write_through_the_unit_of_work() -> None:
    opened = {
        name
        for name, path in modules().items()
        if name.startswith("service.usecases.")
        and name != "service.usecases.unit_of_work"
        and "in_transaction" in path.read_text(encoding="utf-8")
    }
    assert opened == set()


def test_modules_stay_small() -> None:
    long = {
        str(path.relative_to(ROOT)): length
        for path in modules().values()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > 300
        and str(path.relative_to(ROOT)) not in LONG_ON_PURPOSE
    }
    assert long == {}
