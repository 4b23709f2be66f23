"""Complaints and praise (投诉/表扬): the public's form token and submission
(`/api/v1/public/certificates/{number}/feedback-form`, `/feedback`) and the page behind the
verify page's link; the staff's list and resolution (`/api/v1/feedback`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar

import msgspec
from litestar import Controller, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody
from litestar.response import Template

from service.domain.errors import DomainError
from service.domain.feedback import FeedbackKind, FeedbackStatus
from service.domain.messages import in_chinese
from service.domain.numbering import parse_number
from service.store.models import Feedback
from service.usecases import feedback
from service.usecases.verification import record_of
from service.web.deps import ServicesDep, StaffDep
from service.web.paging import PageNumber, PageOut, PageSize, page_out
from service.web.params import Id

NO_STORE = {"Cache-Control": "no-store"}


class FormTokenOut(msgspec.Struct):
    form_token: str
    expires_at: datetime


class FeedbackIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: FeedbackKind
    text: Annotated[str, msgspec.Meta(max_length=2_000)]
    form_token: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    contact: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class ReferenceOut(msgspec.Struct):
    reference: str


@get(
    "/api/v1/public/certificates/{number:str}/feedback-form",
    summary="A form token for a complaint or praise",
)
async def feedback_form(number: FromPath[str], services: ServicesDep) -> Response[FormTokenOut]:
    """A token good for 30 minutes and for one submission about this certificate."""
    made = await feedback.feedback_form(services, number)
    return Response(FormTokenOut(made.token, made.expires_at), headers=NO_STORE)


@post(
    "/api/v1/public/certificates/{number:str}/feedback",
    summary="A complaint or praise (投诉/表扬)",
    status_code=201,
)
async def submit(
    number: FromPath[str], data: JSONBody[FeedbackIn], services: ServicesDep
) -> Response[ReferenceOut]:
    """`kind` complaint or praise, `text` 10 to 1,000 characters, `contact` optional (for
    the bureau only, never shown publicly), `form_token` from the feedback form. Answers
    the reference to quote. 422 `feedback.bad_form_token` (unknown, used or expired),
    429 `feedback.too_many` (this certificate's hourly share)."""
    item = await feedback.submit_feedback(
        services, number, kind=data.kind, text=data.text, contact=data.contact,
        form_token=data.form_token,
    )  # fmt: skip
    return Response(ReferenceOut(str(item.reference)), status_code=201, headers=NO_STORE)


class PageForm(msgspec.Struct):
    kind: str
    text: str
    form_token: str
    contact: str = ""


@get("/verify/{number:str}/feedback", include_in_schema=False)
async def feedback_page(number: FromPath[str], services: ServicesDep) -> Template:
    """The form, with a fresh form token, for a certificate found on the verify page."""
    try:
        record = await record_of(parse_number(number))
        if record is None:
            return _page(404, error="没有这个证号的证件。")
        made = await feedback.feedback_form(services, number)
    except DomainError as error:
        return _page(422, error=in_chinese(error))
    return _page(200, record=record, form_token=made.token)


@post("/verify/{number:str}/feedback", include_in_schema=False, status_code=200)
async def feedback_post(
    number: FromPath[str],
    data: Annotated[PageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    services: ServicesDep,
) -> Template:
    try:
        item = await feedback.submit_feedback(
            services, number, kind=FeedbackKind(data.kind), text=data.text,
            contact=data.contact, form_token=data.form_token,
        )  # fmt: skip
    except ValueError:
        return _page(422, error="请选择投诉或表扬。")
    except DomainError as error:
        return _page(429 if error.code == "feedback.too_many" else 422, error=in_chinese(error))
    return _page(201, reference=item.reference)


def _page(status: int, **context: Any) -> Template:
    return Template("feedback.html", context=context, status_code=status, headers=NO_STORE)


class FeedbackOut(msgspec.Struct):
    id: int
    reference: str | None
    kind: str
    text: str
    contact: str | None  # staff only
    status: str
    outcome: str | None
    note: str
    certificate_id: int
    number: str | None
    officer_id: int
    officer_name: str
    agency_name: str
    created_at: datetime
    resolved_at: datetime | None


def feedback_out(item: Feedback) -> FeedbackOut:
    return FeedbackOut(
        id=item.id,
        reference=item.reference,
        kind=str(item.kind),
        text=item.text,
        contact=item.contact,
        status=str(item.status),
        outcome=item.outcome,
        note=item.note,
        certificate_id=item.certificate.id,
        number=item.certificate.number,
        officer_id=item.officer.id,
        officer_name=item.officer.name,
        agency_name=item.officer.agency.name,
        created_at=item.created_at,
        resolved_at=item.resolved_at,
    )


class ResolveIn(msgspec.Struct, forbid_unknown_fields=True):
    outcome: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    note: Annotated[str, msgspec.Meta(max_length=1_000)] = ""


class FeedbackController(Controller):
    path = "/api/v1/feedback"
    tags: ClassVar[list[str]] = ["feedback"]

    @get("/", summary="Complaints and praise about officers of your jurisdiction")
    async def list(
        self,
        staff: StaffDep,
        status: FromQuery[FeedbackStatus | None] = None,
        page: PageNumber = 1,
        page_size: PageSize = 50,
    ) -> PageOut[FeedbackOut]:
        """Newest first; `status` open or resolved. The sender's contact is shown to staff."""
        found = await feedback.list_feedback(staff, status=status, page=page, page_size=page_size)
        return page_out(found, feedback_out)

    @post("/{feedback_id:int}/resolve", status_code=200, summary="Resolve a complaint or praise")
    async def resolve(
        self, feedback_id: Id, data: JSONBody[ResolveIn], staff: StaffDep, services: ServicesDep
    ) -> FeedbackOut:
        """Close it with its outcome and a note, an event on the officer's timeline. 409
        `feedback.resolved_already`."""
        item = await feedback.resolve_feedback(
            services, staff, feedback_id, data.outcome, data.note
        )
        return feedback_out(item)
