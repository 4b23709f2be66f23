"""One registry of error codes: every code the service can answer with has its Chinese
message in `service.domain.messages`, and the registry lists nothing else."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from service.domain.errors import DomainError, InvalidInput
from service.domain.messages import MESSAGES, in_chinese
from service.web.problems import EDGE_CODES

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("service", "admin", "mobile_api")
CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z_]+)?$")  # `code="653123"` names a region instead


def raised_codes() -> dict[str, str]:
    """Code -> where it is first written: every `code="..."` keyword of a call and every
    `code = "..."` of an error class, in the service's own source."""
    found: dict[str, str] = {}
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                values: list[ast.expr] = []
                if isinstance(node, ast.Call):
                    values = [k.value for k in node.keywords if k.arg in ("code", "error_code")]
                elif isinstance(node, ast.ClassDef):
                    values = [
                        statement.value
                        for statement in node.body
                        if isinstance(statement, ast.AnnAssign | ast.Assign)
                        and statement.value is not None
                        and any(
                            isinstance(target, ast.Name) and target.id == "code"
                            for target in (
                                statement.targets
                                if isinstance(statement, ast.Assign)
                                else [statement.target]
                            )
                        )
                    ]
                for value in values:
                    if isinstance(value, ast.Constant) and CODE.match(str(value.value)):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.setdefault(value.value, where)
    return found


def test_the_scan_finds_codes_written_in_each_way() -> None:
    codes = raised_codes()
    assert "certificate.invalid_transition" in codes  # a keyword of a raise
    assert "request.invalid" in codes  # an error class's default
    assert "annual_review.bad_region" in codes  # passed on to a helper


def test_every_code_has_its_chinese_message() -> None:
    codes = {*raised_codes(), *EDGE_CODES}
    missing = {code: where for code, where in raised_codes().items() if code not in MESSAGES}
    missing.update({code: "service/web/problems.py" for code in EDGE_CODES - MESSAGES.keys()})
    assert not missing, f"codes without a Chinese message in service/domain/messages.py: {missing}"
    assert codes


def test_the_registry_lists_no_code_that_nothing_raises() -> None:
    stale = MESSAGES.keys() - {*raised_codes(), *EDGE_CODES}
    assert not stale, f"messages for codes nothing raises any more: {sorted(stale)}"


def test_every_message_is_chinese() -> None:
    for code, message in MESSAGES.items():
        assert any("\u4e00" <= char <= "\u9fff" for char in message), code


def test_a_refusal_reads_in_chinese_with_its_code() -> None:
    error = InvalidInput("Give a reason.", code="certificate.reason_required")
    assert in_chinese(error) == "请填写原因。（certificate.reason_required）"
    unknown = DomainError("Something new.", code="x.unknown")
    assert in_chinese(unknown) == "操作被拒绝：Something new.（x.unknown）"
