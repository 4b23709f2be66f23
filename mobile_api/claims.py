"""`/mobile/v1/me/external-training`: training taken elsewhere, filed with evidence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from litestar import get, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from service.domain.hours import HourCategory, parse_tenths
from service.usecases import claims
from service.web.claims import ClaimOut, claim_out
from service.web.deps import OfficerDep, ServicesDep


@dataclass
class ClaimForm:
    title: str
    category: HourCategory
    hours: str
    completed_on: date
    evidence: UploadFile


@post("/external-training", summary="File external training with evidence")
async def file_claim(
    data: Annotated[ClaimForm, Body(media_type=RequestEncodingType.MULTI_PART)],
    officer: OfficerDep,
    services: ServicesDep,
) -> ClaimOut:
    """Multipart: `title`, `category`, `hours`, `completed_on` and an `evidence` file (PDF,
    PNG or JPEG, checked by content, 5 MB at most). Answers 201 with status `pending`."""
    content = await data.evidence.read()
    new = claims.NewClaim(
        title=data.title,
        category=data.category,
        tenths=parse_tenths(data.hours),
        completed_on=data.completed_on,
        evidence=content,
    )
    created = await claims.submit_claim(services, officer, new)
    await created.fetch_related("officer")
    return claim_out(created)


@get("/external-training", summary="My external training claims")
async def my_claims(officer: OfficerDep) -> list[ClaimOut]:
    return [claim_out(c) for c in await claims.own_claims(officer)]
