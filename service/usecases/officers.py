"""Officers: create, read, list, update, within the caller's jurisdiction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from service.domain.access import Action, Principal
from service.domain.errors import Conflict, InvalidInput
from service.domain.events import Actor, Change, EventAction
from service.domain.id_numbers import parse_id_number
from service.domain.people import EmploymentType, Gender, validate_person_name, validate_phone
from service.store import events
from service.store.lookups import one
from service.store.models import Agency, Officer
from service.store.paging import Page, paginate
from service.store.scoping import agencies_visible, officers_visible
from service.usecases.services import Services


@dataclass(frozen=True, slots=True)
class NewOfficer:
    name: str
    id_number: str
    agency_id: int
    employment_type: EmploymentType
    gender: Gender | None = None
    phone: str | None = None
    post: str = ""


async def create_officer(services: Services, principal: Principal, new: NewOfficer) -> Officer:
    """Register an officer in an agency of the caller's jurisdiction.

    Raises InvalidInput (`officer.bad_id_number`, `officer.bad_phone`, `officer.bad_name`,
    `officer.gender_mismatch`, `officer.bad_agency`), Conflict (`officer.duplicate_id_number`),
    Forbidden.
    """
    principal.require(Action.MANAGE_OFFICERS)
    today = services.today()
    id_number = parse_id_number(new.id_number, today=today)
    if new.gender is not None and new.gender is not id_number.gender:
        raise InvalidInput(
            f"The ID number belongs to a {id_number.gender} person, not {new.gender}.",
            code="officer.gender_mismatch",
            field="gender",
        )
    agency = await _agency_in_scope(principal, new.agency_id)
    values: dict[str, Any] = {
        "name": validate_person_name(new.name),
        "id_number": id_number.value,
        "birth_date": id_number.birth_date,
        "gender": id_number.gender,
        "phone": validate_phone(new.phone) if new.phone else None,
        "agency": agency,
        "employment_type": new.employment_type,
        "post": new.post.strip(),
    }
    try:
        officer = await Officer.create(**values)
    except IntegrityError:  # id_number is the one unique column an officer has
        raise _duplicate() from None
    return await _loaded(Officer.filter(id=officer.id)).get()


async def get_officer(principal: Principal, officer_id: int) -> Officer:
    """The officer, if inside the caller's jurisdiction; NotFound otherwise."""
    principal.require(Action.READ_OFFICERS)
    query = _loaded(officers_visible(principal).filter(id=officer_id))
    return await one(query, code="officer.not_found", what=f"officer {officer_id}")


async def officer_in_scope(principal: Principal, officer_id: int) -> Officer:
    """The officer, with the agency, if inside the caller's jurisdiction; NotFound
    otherwise. The caller checks the role."""
    query = officers_visible(principal).filter(id=officer_id).select_related("agency")
    return await one(query, code="officer.not_found", what=f"officer {officer_id}")


async def list_officers(
    principal: Principal, *, agency_id: int | None, q: str | None, page: int, page_size: int
) -> Page[Officer]:
    """Officers in the caller's jurisdiction, by agency and/or a name or ID number search."""
    principal.require(Action.READ_OFFICERS)
    query = officers_visible(principal)
    if agency_id is not None:
        query = query.filter(agency_id=agency_id)
    if q and (term := q.strip()):
        query = query.filter(Q(name__icontains=term) | Q(id_number__startswith=term.upper()))
    return await paginate(_loaded(query).order_by("id"), page, page_size)


async def update_officer(
    services: Services, principal: Principal, officer_id: int, changes: dict[str, object]
) -> Officer:
    """Change name, phone, post, in-post flag, employment type or agency; what changed is
    an event on the officer's chain, with its values before and after.

    Moving to another agency needs both agencies in the caller's jurisdiction. The ID
    number never changes (a wrong one means a new record). Raises as `create_officer`.
    """
    principal.require(Action.MANAGE_OFFICERS)
    officer = await get_officer(principal, officer_id)
    before = _facts(officer)
    if "name" in changes:
        officer.name = validate_person_name(str(changes["name"]))
    if "phone" in changes:
        phone = changes["phone"]
        officer.phone = validate_phone(str(phone)) if phone else None
    if "post" in changes:
        officer.post = str(changes["post"]).strip()
    if "in_post" in changes:
        officer.in_post = bool(changes["in_post"])
    if "employment_type" in changes:
        officer.employment_type = EmploymentType(str(changes["employment_type"]))
    if "agency_id" in changes:
        officer.agency = await _agency_in_scope(principal, int(str(changes["agency_id"])))
    after = _facts(officer)
    changed = {key for key in after if after[key] != before[key]}
    if not changed:
        return officer
    async with services.unit_of_work() as uow:
        await officer.save(update_fields=[*sorted(_COLUMNS[key] for key in changed), "updated_at"])
        change = Change(
            EventAction.OFFICER_UPDATE,
            Actor.of(principal),
            services.now(),
            before={key: before[key] for key in sorted(changed)},
            after={key: after[key] for key in sorted(changed)},
        )
        await events.append(officer.id, change)
        if changed & {"name", "agency_id"}:
            uow.public_views_changed()  # the public view shows both
    return officer  # agency (possibly the new one) and account are loaded already


# What an officer's event records of the officer, and the column each is kept in.
_COLUMNS = {
    "name": "name",
    "phone": "phone",
    "post": "post",
    "in_post": "in_post",
    "employment_type": "employment_type",
    "agency_id": "agency_id",
}


def _facts(officer: Officer) -> dict[str, object]:
    """The facts eligibility and the annual review stand on, as JSON values."""
    return {
        "name": officer.name,
        "phone": officer.phone,
        "post": officer.post,
        "in_post": officer.in_post,
        "employment_type": str(officer.employment_type),
        "agency_id": officer.agency.id,
    }


async def _agency_in_scope(principal: Principal, agency_id: int) -> Agency:
    # An agency outside the jurisdiction is reported as unknown: its existence is not told.
    agency = await agencies_visible(principal).get_or_none(id=agency_id)
    if agency is not None:
        return agency
    raise InvalidInput(f"Unknown agency {agency_id}.", code="officer.bad_agency", field="agency_id")


def _loaded(query: QuerySet[Officer]) -> QuerySet[Officer]:
    """With the agency and the account, which every view of an officer shows."""
    return query.select_related("agency").prefetch_related("account")


def _duplicate() -> Conflict:
    return Conflict(
        "An officer with this ID number exists already.", code="officer.duplicate_id_number"
    )
