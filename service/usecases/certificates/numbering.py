"""What a certificate gets when it is issued: its number (never reused), its bit in the
public status list, and the justice bureau that issues it."""

from __future__ import annotations

from typing import Any

from service.domain.numbering import format_number, number_prefix
from service.store import sequences
from service.store.models import Agency, Certificate, Officer
from service.store.regions import nearest_justice_bureau
from service.usecases.services import Services


async def numbered(services: Services, officer: Officer) -> dict[str, Any]:
    """A new number, a status-list index and the issuing bureau, for the card of an
    officer (with the agency loaded). Raises Conflict `certificate.numbers_exhausted`."""
    agency: Agency = officer.agency
    region_code: str = agency.region_id  # type: ignore[attr-defined]
    prefix = number_prefix(region_code, agency.sector, services.today().year)
    bureau = await nearest_justice_bureau(region_code)
    number = format_number(prefix, await sequences.next_value(prefix))
    # An imported (legacy) number may have our shape: the sequence steps over it.
    while await Certificate.exists(number=number):
        number = format_number(prefix, await sequences.next_value(prefix))
    return {
        "number": number,
        "status_index": await status_index(),
        "issuing_agency_id": bureau.id if bureau else None,
    }


async def status_index() -> int:
    """The next free bit of the public status list (never reused)."""
    return await sequences.next_value(sequences.STATUS_LIST) - 1
