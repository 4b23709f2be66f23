"""Staff review of external training: `/api/v1/external-training`."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec
from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody
from litestar.response import Response

from service.domain.evidence import MEDIA_TYPES as EVIDENCE_TYPES
from service.domain.hours import parse_tenths
from service.domain.training import ClaimStatus
from service.usecases import claims
from service.web.claims import ClaimOut, claim_out
from service.web.deps import ServicesDep, StaffDep
from service.web.openapi import also_answers
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id, Number


class ApproveIn(msgspec.Struct, forbid_unknown_fields=True):
    hours: Number


class RejectIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]


class ClaimController(Controller):
    path = "/api/v1/external-training"
    tags: ClassVar[list[str]] = ["training"]

    @get("/", summary="External training claims to review")
    async def list(
        self,
        staff: StaffDep,
        page: PageNumber = 1,
        page_size: PageSize = 50,
        status: FromQuery[ClaimStatus | None] = None,
    ) -> PageOut[ClaimOut]:
        found = await claims.list_claims(staff, status=status, page=page, page_size=page_size)
        return page_out(found, claim_out)

    @get(
        "/{claim_id:int}/evidence",
        summary="The claim's evidence file",
        media_type=EVIDENCE_TYPES[0],
        operation_class=also_answers(*EVIDENCE_TYPES[1:]),
    )
    async def evidence(
        self, claim_id: Id, staff: StaffDep, services: ServicesDep
    ) -> Response[bytes]:
        content, mime, suffix = await claims.evidence_file(services, staff, claim_id)
        # Downloaded, never shown in the service's origin: a file that fools a browser's
        # sniffing still cannot run a script here.
        return Response(
            content,
            media_type=mime,
            headers={
                "Content-Disposition": f'attachment; filename="evidence-{claim_id}{suffix}"',
                "Content-Security-Policy": "sandbox",
            },
        )

    @post("/{claim_id:int}/approve", status_code=200, summary="Approve (hours may be lowered)")
    async def approve(
        self,
        claim_id: Id,
        data: JSONBody[ApproveIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> ClaimOut:
        """Writes the approved hours into the officer's ledger."""
        tenths = parse_tenths(data.hours)
        approved = await claims.approve_claim(services, staff, claim_id, tenths)
        await approved.fetch_related("officer")
        return claim_out(approved)

    @post("/{claim_id:int}/reject", status_code=200, summary="Reject with a reason")
    async def reject(
        self,
        claim_id: Id,
        data: JSONBody[RejectIn],
        staff: StaffDep,
        services: ServicesDep,
    ) -> ClaimOut:
        rejected = await claims.reject_claim(services, staff, claim_id, data.reason)
        await rejected.fetch_related("officer")
        return claim_out(rejected)
