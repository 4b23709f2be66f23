"""Certificates: `/api/v1/certificates`, their lifecycle actions, cards and QR codes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody, QueryParameter

from service.documents import cards
from service.documents.qrcodes import ON_PAPER, qr_png
from service.domain.certificates import CancelReason, CertificateStatus
from service.usecases import verification
from service.usecases.certificates import custody, lifecycle, queries
from service.web.certificates import CertificateOut, certificate_out
from service.web.deps import ServicesDep, StaffDep
from service.web.downloads import disposition
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Categories, Id, IdField, QueryId, Version

Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
Area = Annotated[str, msgspec.Meta(max_length=200)]


class CertificateIn(msgspec.Struct, forbid_unknown_fields=True):
    officer_id: IdField
    enforcement_area: Area
    enforcement_categories: Categories


class IssueIn(msgspec.Struct, forbid_unknown_fields=True):
    expected_version: Version | None = None


class SuspendIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    until: date | None = None
    expected_version: Version | None = None


class CardReturnedIn(msgspec.Struct, forbid_unknown_fields=True):
    returned_on: date
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""


class ReasonIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    expected_version: Version | None = None


class CancelIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: CancelReason
    note: Annotated[str, msgspec.Meta(max_length=500)] = ""
    expected_version: Version | None = None


class ReissueIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Reason
    enforcement_area: Area | None = None
    enforcement_categories: Categories | None = None
    expected_version: Version | None = None


class CertificateController(Controller):
    path = "/api/v1/certificates"
    tags: ClassVar[list[str]] = ["certificates"]

    @post("/", summary="Apply for a certificate (申领)")
    async def apply(
        self, data: JSONBody[CertificateIn], staff: StaffDep, services: ServicesDep
    ) -> CertificateOut:
        """File a pending application, approved by the caller for the officer's agency.
        An ineligible officer is 409 `certificate.ineligible` with every unmet condition
        in `errors`."""
        new = lifecycle.NewCertificate(**msgspec.structs.asdict(data))
        return certificate_out(
            services, await lifecycle.apply_for_certificate(services, staff, new)
        )

    @get("/", summary="List certificates")
    async def list(
        self,
        staff: StaffDep,
        services: ServicesDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        status: FromQuery[CertificateStatus | None] = None,
        agency_id: QueryId = None,
        officer_id: QueryId = None,
        number: Annotated[str | None, QueryParameter(min_length=1, max_length=64)] = None,
    ) -> PageOut[CertificateOut]:
        """Certificates in the caller's jurisdiction; `status` is the status as of today."""
        found = await queries.list_certificates(
            services,
            staff,
            status=status,
            agency_id=agency_id,
            officer_id=officer_id,
            number=number,
            page=page,
            page_size=page_size,
        )
        return page_out(found, lambda c: certificate_out(services, c))

    @get("/{certificate_id:int}", summary="Read a certificate")
    async def read(
        self, certificate_id: Id, staff: StaffDep, services: ServicesDep
    ) -> CertificateOut:
        found = await queries.get_certificate(staff, certificate_id)
        return certificate_out(services, found)

    @post("/{certificate_id:int}/issue", status_code=200, summary="Issue (发证)")
    async def issue(
        self,
        certificate_id: Id,
        staff: StaffDep,
        services: ServicesDep,
        data: JSONBody[IssueIn | None] = None,
    ) -> CertificateOut:
        """The justice bureau's approval: a number, five years' validity, status active.
        Eligibility is checked again. The body is optional; `expected_version`, when sent,
        refuses the issue (409 `certificate.stale_version`) if someone changed the
        application since the caller read it."""
        expected = data.expected_version if data is not None else None
        done = await lifecycle.issue_certificate(
            services, staff, certificate_id, expected_version=expected
        )
        return certificate_out(services, done)

    @post("/{certificate_id:int}/suspend", status_code=200, summary="Suspend (暂扣)")
    async def suspend(
        self,
        certificate_id: Id,
        data: JSONBody[SuspendIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> CertificateOut:
        """`until` is the last day of the suspension (optional). `expected_version`, when
        sent, refuses the change (409 `certificate.stale_version`) if someone changed the
        certificate since the caller read it."""
        done = await lifecycle.suspend_certificate(
            services, staff, certificate_id, **msgspec.structs.asdict(data)
        )
        return certificate_out(services, done)

    @post("/{certificate_id:int}/card-returned", status_code=200, summary="Card taken back (收回)")
    async def card_returned(
        self,
        certificate_id: Id,
        data: JSONBody[CardReturnedIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> CertificateOut:
        """Record that the physical card of a suspended, revoked, cancelled or void
        certificate was taken back on `returned_on` (an event on the officer's timeline);
        it leaves `GET /api/v1/reports/cards-owed`. 409 `certificate.card_not_owed` when
        no card is owed (in force, expired, or returned already)."""
        await custody.record_card_returned(
            services, staff, certificate_id, data.returned_on, data.note
        )
        return certificate_out(services, await queries.get_certificate(staff, certificate_id))

    @post("/{certificate_id:int}/reinstate", status_code=200, summary="Reinstate (恢复)")
    async def reinstate(
        self,
        certificate_id: Id,
        data: JSONBody[ReasonIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> CertificateOut:
        done = await lifecycle.reinstate_certificate(
            services, staff, certificate_id, **msgspec.structs.asdict(data)
        )
        return certificate_out(services, done)

    @post("/{certificate_id:int}/revoke", status_code=200, summary="Revoke (吊销)")
    async def revoke(
        self,
        certificate_id: Id,
        data: JSONBody[ReasonIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> CertificateOut:
        done = await lifecycle.revoke_certificate(
            services, staff, certificate_id, **msgspec.structs.asdict(data)
        )
        return certificate_out(services, done)

    @post("/{certificate_id:int}/cancel", status_code=200, summary="Cancel (注销)")
    async def cancel(
        self,
        certificate_id: Id,
        data: JSONBody[CancelIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> CertificateOut:
        """`reason` is one of retired, transferred, resigned, dismissed, deceased, other
        (`other` needs a `note`)."""
        done = await lifecycle.cancel_certificate(
            services, staff, certificate_id, **msgspec.structs.asdict(data)
        )
        return certificate_out(services, done)

    @get(
        "/{certificate_id:int}/qr.png",
        summary="The card's signed QR (PNG)",
        media_type="image/png",
    )
    async def card_qr(
        self, certificate_id: Id, staff: StaffDep, services: ServicesDep
    ) -> Response[bytes]:
        """Encodes `{PUBLIC_BASE_URL}/v/{token}`: an EdDSA JWT with the number, name,
        agency, validity and status-list index, verifiable offline with
        `/.well-known/jwks.json`. Only for an active certificate (409
        `certificate.not_in_force`)."""
        card = await verification.card(services, staff, certificate_id)
        return Response(
            qr_png(card.url, level=ON_PAPER, box_size=10),
            media_type="image/png",
            headers={"Cache-Control": "no-store"},
        )

    @get(
        "/{certificate_id:int}/card.png",
        summary="The printable card (PNG, 85.6 x 54 mm at 300 dpi)",
        media_type="image/png",
    )
    async def card_image(
        self, certificate_id: Id, staff: StaffDep, services: ServicesDep
    ) -> Response[bytes]:
        """Photo area, name, agency, number, enforcement area, validity and the signed QR.
        503 `card.font_missing` names the CJK font to install when none is found."""
        card = await verification.card(services, staff, certificate_id)
        png = await cards.card_png(card, services.settings.card_font)
        return Response(
            png,
            media_type="image/png",
            headers={
                "Cache-Control": "no-store",
                "Content-Disposition": disposition(
                    f"card-{card.view.record.number}.png", inline=True
                ),
            },
        )

    @post("/{certificate_id:int}/reissue", summary="Reissue (补发/换发)")
    async def reissue(
        self,
        certificate_id: Id,
        data: JSONBody[ReissueIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> Response[CertificateOut]:
        """The old certificate becomes void; answers 201 with the new one (new number,
        same validity)."""
        new = await lifecycle.reissue_certificate(
            services, staff, certificate_id, **msgspec.structs.asdict(data)
        )
        return Response(
            certificate_out(services, new),
            status_code=201,
            headers={"Location": f"/api/v1/certificates/{new.id}"},
        )
