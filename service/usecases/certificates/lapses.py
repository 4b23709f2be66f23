"""`officer-cert certificates sweep`: write down the lapses the stored statuses lag
behind. Readers never wait for it (they read the status as of today); it only puts on
record, with an event each, what the status already says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.domain.certificates import CertificateStatus
from service.store.models import Certificate
from service.usecases.certificates.transitions import catch_up
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class SweepResult:
    expired: int
    reinstated: int


async def sweep(
    services: Services, progress: Callable[[int, int], None] | None = None
) -> SweepResult:
    """Certificates past their last valid day become expired, suspensions past their end
    become active (as the service, with an event each). One unit of work per
    certificate, so a crash loses nothing done."""
    today = services.today()
    current = [CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
    lapsing = await Certificate.filter(status__in=current, valid_until__lt=today).values_list(
        "id", flat=True
    )
    lifting = await Certificate.filter(
        status=CertificateStatus.SUSPENDED, suspended_until__lt=today, valid_until__gte=today
    ).values_list("id", flat=True)
    ids = [*lapsing, *lifting]
    for done, certificate_id in enumerate(ids, 1):
        async with services.unit_of_work() as uow:
            certificate = (
                await Certificate.filter(id=certificate_id).select_for_update(no_key=True).first()
            )
            if certificate is not None and await catch_up(services, certificate):
                uow.public_views_changed()
        if progress is not None:
            progress(done, len(ids))
    return SweepResult(expired=len(lapsing), reinstated=len(lifting))
