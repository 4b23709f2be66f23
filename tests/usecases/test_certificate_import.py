"""Certificates taken in from a file, without HTTP: the numbering steps over an imported
number of its own shape, digits-only legacy numbers are found as numbers, an atomic
import with a bad row leaves nothing, and the import events join the officers' chains."""

from __future__ import annotations

from service.domain.numbering import format_number
from service.store.models import Certificate, OfficerEvent
from service.usecases.audit import verify_chains
from service.usecases.certificates import lifecycle
from service.usecases.certificates.importing import import_certificates
from service.usecases.certificates.queries import find_certificate_id
from service.usecases.imports import Upload
from tests.usecases.conftest import County


def _upload(*rows: dict[str, str]) -> Upload:
    numbered = [(n, row) for n, row in enumerate(rows, 2)]
    return Upload(repr(rows).encode(), lambda: numbered)


def _row(number: str, id_number: str, status: str = "有效") -> dict[str, str]:
    return {
        "number": number,
        "id_number": id_number,
        "valid_from": "2024-02-01",
        "status": status,
        "enforcement_area": "英吉沙县",
        "enforcement_categories": "市场监管、食品安全",
    }


async def test_numbering_steps_over_an_imported_number_of_its_shape(county: County) -> None:
    services = county.services
    first_of_ours = format_number("6531230326", 1)  # market regulator, 2026, sequence 1
    holder = await county.officer("艾力")
    report = await import_certificates(
        services,
        county.bureau,
        _upload(_row(first_of_ours, holder.id_number, "已注销")),
        atomic=True,
    )
    assert (report.created, report.errors) == (1, [])
    applicant = await county.officer("古丽")
    pending = await lifecycle.apply_for_certificate(
        services, county.bureau, lifecycle.NewCertificate(applicant.id, "英吉沙县", ["市场监管"])
    )
    issued = await lifecycle.issue_certificate(services, county.bureau, pending.id)
    assert issued.number == format_number("6531230326", 2)


async def test_a_digits_only_legacy_number_is_found_as_a_number(county: County) -> None:
    holder = await county.officer("买买提")
    legacy = "65312319000123"  # 14 digits: not ours, not an id
    await import_certificates(
        county.services, county.bureau, _upload(_row(legacy, holder.id_number)), atomic=True
    )
    found = await find_certificate_id(county.bureau, legacy)
    assert (await Certificate.get(id=found)).number == legacy


async def test_an_atomic_import_with_a_bad_row_leaves_nothing(county: County) -> None:
    good = await county.officer("热依拉")
    before = await OfficerEvent.all().count()
    report = await import_certificates(
        county.services,
        county.bureau,
        _upload(_row("新KS-2024-0001", good.id_number), _row("新KS-2024-0002", "653123")),
        atomic=True,
    )
    assert (report.written, report.created) == (False, 0)
    assert [(e.row, e.code) for e in report.errors] == [(3, "officer.bad_id_number")]
    assert await Certificate.filter(legacy=True).count() == 0
    assert await OfficerEvent.all().count() == before
    kept = await import_certificates(
        county.services, county.bureau, _upload(_row("新KS-2024-0001", good.id_number)), atomic=True
    )
    assert kept.created == 1
    assert (await verify_chains()).broken is None
