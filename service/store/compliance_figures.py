"""The compliance report's figures added up by the database, for the dashboard: per agency,
its in-post officers, those compliant, those untrained and the tenths earned; and the
officers most short. One grouped read over the officers and their years' totals, whatever
their number.

Each agency comes with the requirement of its region (`AgencyTerms`), which the caller
decides (`effective_by_region`); the statement applies the domain's rules to the totals
(`Requirement.short`, `missing`): an officer is compliant when every category and the
total reach what is required, trained when the total is above nothing. Tested against
the compliance report's rows, which the domain computes in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from service.domain.requirements import TOTAL, Requirement
from service.store import sql
from service.store.hours import CATEGORIES


@dataclass(frozen=True, slots=True)
class AgencyTerms:
    agency_id: int
    requirement: Requirement


@dataclass(frozen=True, slots=True)
class AgencyFigures:
    agency_id: int
    name: str
    region_code: str
    officers: int
    compliant: int
    untrained: int
    earned: int  # tenths


def _terms_table(terms: Sequence[AgencyTerms]) -> str:
    """The agencies and their requirements as a VALUES table: integers only, which are
    written into the statement (as `int`), so no count of parameters limits it."""
    rows = []
    for term in terms:
        needed = term.requirement.required()
        numbers = [term.agency_id, *(needed[c] for c in CATEGORIES), needed[TOTAL]]
        rows.append("(" + ", ".join(str(int(n)) for n in numbers) + ")")
    names = ", ".join(["agency_id", *(f"need_{c}" for c in CATEGORIES), "need_total"])
    return f"terms ({names}) AS (VALUES {', '.join(rows)})"


_GOT = {c: f"COALESCE(t.{c}, 0)" for c in CATEGORIES}
_TOTAL = "(" + " + ".join(_GOT.values()) + ")"
_SHORT = {c: f"MAX_0(m.need_{c} - {_GOT[c]})" for c in CATEGORIES}
_COMPLIANT = " AND ".join(
    [*(f"{_GOT[c]} >= m.need_{c}" for c in CATEGORIES), f"{_TOTAL} >= m.need_total"]
)
# `missing`: the total missing, or the categories' sum where that is more.
_MISSING = f"MAX_2(MAX_0(m.need_total - {_TOTAL}), " + " + ".join(_SHORT.values()) + ")"


def _greatest(statement: str, postgres: bool) -> str:
    """MAX_0(x) and MAX_2(x, y) as each database says the greater of two values."""
    if postgres:
        return statement.replace("MAX_0(", "GREATEST(0, ").replace("MAX_2(", "GREATEST(")
    return statement.replace("MAX_0(", "MAX(0, ").replace("MAX_2(", "MAX(")


def _statement(terms: Sequence[AgencyTerms], select: str, tail: str) -> str:
    postgres = sql.is_postgres(sql.connection())
    statement = (
        f"WITH {_terms_table(terms)} "  # noqa: S608 - constants and integers (`_terms_table`)
        f"SELECT {select} FROM officers o JOIN terms m ON m.agency_id = o.agency_id "
        "JOIN agencies a ON a.id = o.agency_id "
        "LEFT JOIN hour_years t ON t.officer_id = o.id AND t.year = ? "
        f"WHERE o.in_post = ? {tail}"
    )
    return _greatest(statement, postgres)


async def by_agency(year: int, terms: Sequence[AgencyTerms]) -> list[AgencyFigures]:
    """Per agency of `terms` with officers in post, its figures for `year`."""
    if not terms:
        return []
    select = (
        "o.agency_id, COUNT(*) AS officers, "
        f"SUM(CASE WHEN {_COMPLIANT} THEN 1 ELSE 0 END) AS compliant, "
        f"SUM(CASE WHEN {_TOTAL} > 0 THEN 0 ELSE 1 END) AS untrained, "
        f"SUM({_TOTAL}) AS earned"
    )
    # Grouped by the agency's id alone (a small sort), named afterwards.
    rows = await sql.rows(_statement(terms, select, "GROUP BY o.agency_id"), [year, True])
    names = {
        int(r["id"]): (str(r["name"]), str(r["region_id"]))
        for r in await sql.rows(
            "SELECT id, name, region_id FROM agencies WHERE id IN "  # noqa: S608 - integers
            f"({', '.join(str(int(r['agency_id'])) for r in rows) or 'NULL'})",
            [],
        )
    }
    return [
        AgencyFigures(
            int(r["agency_id"]),
            *names[int(r["agency_id"])],
            int(r["officers"]),
            int(r["compliant"]),
            int(r["untrained"]),
            int(r["earned"] or 0),
        )
        for r in rows
    ]


async def most_short(year: int, terms: Sequence[AgencyTerms], limit: int) -> list[dict[str, Any]]:
    """The `limit` officers with most still to earn (`missing`), then by id; each with
    its name, agency, region and tenths per category."""
    return await _short(year, terms, f"ORDER BY missing DESC, o.id LIMIT {int(limit)}")


async def short_by_id(
    year: int, terms: Sequence[AgencyTerms], limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """How many officers still have hours to earn, and the first `limit` of them by id
    (as `most_short` gives them)."""
    if not terms:
        return 0, []
    counted = await sql.fetch(
        _statement(terms, "COUNT(*) AS short", f"AND {_MISSING} > 0"), [year, True]
    )
    return int(counted[0]["short"]), await _short(year, terms, f"ORDER BY o.id LIMIT {int(limit)}")


async def _short(year: int, terms: Sequence[AgencyTerms], order: str) -> list[dict[str, Any]]:
    if not terms:
        return []
    got = ", ".join(f"{_GOT[c]} AS got_{c}" for c in CATEGORIES)
    select = (
        "o.id, o.name, o.agency_id, a.name AS agency_name, a.region_id, "
        f"{got}, {_MISSING} AS missing"
    )
    return await sql.fetch(_statement(terms, select, f"AND {_MISSING} > 0 {order}"), [year, True])
