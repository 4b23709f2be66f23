"""The one way a certificate's status changes: version-checked write plus chained event."""

from __future__ import annotations

from typing import Any

from service.domain.certificates import CertificateAction, CertificateStatus, effective_status
from service.domain.errors import Conflict
from service.store.certificate_queries import snapshot
from service.store.models import Certificate
from service.usecases.events import SYSTEM, Actor, append_event
from service.usecases.services import Services


async def write_change(
    svc: Services,
    certificate: Certificate,
    action: CertificateAction,
    status: CertificateStatus,
    values: dict[str, Any],
    actor: Actor,
    reason: str,
) -> None:
    """Save the new status and values if the row's version is still the one read, and
    chain the event. Call inside a transaction.

    Raises Conflict `certificate.concurrent_change` when another writer got there first.
    """
    now = svc.now()
    before = snapshot(certificate)
    values = {**values, "status": status, "status_reason": reason}
    updated = await Certificate.filter(id=certificate.id, version=certificate.version).update(
        **values, version=certificate.version + 1, updated_at=now
    )
    if not updated:
        raise Conflict(
            "Someone else changed the certificate at the same moment; reload it.",
            code="certificate.concurrent_change",
        )
    for name, value in values.items():
        setattr(certificate, name, value)
    certificate.version += 1
    await append_event(
        certificate.officer_id,  # type: ignore[attr-defined]
        certificate_id=certificate.id,
        action=action,
        actor=actor,
        at=now,
        reason=reason,
        before=before,
        after=snapshot(certificate),
    )


async def catch_up(svc: Services, certificate: Certificate) -> bool:
    """Write, as the service, the lapse that the stored status has not caught up with
    (expiry, the end of a suspension). True if something was written."""
    now_status = effective_status(
        certificate.status, certificate.valid_until, certificate.suspended_until, svc.today()
    )
    if now_status is certificate.status:
        return False
    if now_status is CertificateStatus.EXPIRED:
        await write_change(
            svc,
            certificate,
            CertificateAction.EXPIRE,
            CertificateStatus.EXPIRED,
            {"ended_on": certificate.valid_until, "suspended_until": None},
            SYSTEM,
            "有效期届满",
        )
    else:
        await write_change(
            svc,
            certificate,
            CertificateAction.REINSTATE,
            CertificateStatus.ACTIVE,
            {"suspended_until": None},
            SYSTEM,
            "暂扣期满",
        )
    return True
