"""Officers' photos: set by staff, kept in the database like evidence (by SHA-256, so
every host reads it), shown on the electronic certificate, the printed card and the page
behind a presentation QR, never on the public lookup by number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio

from service.domain.access import Action, Principal
from service.domain.errors import NotFound
from service.domain.events import Actor, Change, EventAction
from service.security.uploads import portrait
from service.store import events, evidence
from service.store.models import Certificate, Officer
from service.store.photos import digest_of, read_photo, stored_path
from service.usecases.officers import officer_in_scope
from service.usecases.services import Services
from service.usecases.verification import Verdict, verify_credential

JPEG = "image/jpeg"


@dataclass(frozen=True, slots=True)
class Photo:
    sha256: str
    size: int


async def set_photo(
    services: Services, principal: Principal, officer_id: int, content: bytes
) -> Photo:
    """Check, fit and keep the photo; an OFFICER_UPDATE event names its SHA-256. Raises
    InvalidInput `officer.bad_photo`, TooLarge `officer.photo_too_large`, NotFound,
    Forbidden."""
    principal.require(Action.MANAGE_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    jpeg = await anyio.to_thread.run_sync(portrait, content)
    async with services.unit_of_work() as uow:
        digest, _ = await evidence.put(jpeg, JPEG)
        before = officer.photo_path
        await Officer.filter(id=officer.id).update(photo_path=stored_path(digest))
        change = Change(
            EventAction.OFFICER_UPDATE,
            Actor.of(principal),
            services.now(),
            reason="更换照片",
            before={"photo": digest_of(before)},
            after={"photo": digest},
        )
        await events.append(officer.id, change)
        uow.public_views_changed()  # the presentation page shows it
    return Photo(digest, len(jpeg))


async def staff_photo(services: Services, principal: Principal, officer_id: int) -> bytes:
    """Raises NotFound (`officer.not_found`, `officer.no_photo`), Forbidden."""
    principal.require(Action.READ_OFFICERS)
    officer = await officer_in_scope(principal, officer_id)
    return await _required(services, officer.photo_path)


async def own_photo(services: Services, principal: Principal) -> bytes:
    """The calling officer's photo. Raises NotFound `officer.no_photo`."""
    path = await _path(Officer.filter(id=principal.officer_id), "photo_path")
    return await _required(services, path)


async def presented_photo(services: Services, token: str) -> bytes:
    """The photo of the holder of a genuine, current presentation QR (亮证), for the page
    it opens. A card's QR (it never expires) does not show it. Raises NotFound."""
    checked = await verify_credential(services, token)
    if (
        checked.kind != "presentation"
        or checked.view is None
        or checked.verdict is not Verdict.GENUINE
    ):
        raise NotFound("No photo for this QR.", code="officer.no_photo")
    path = await _path(Certificate.filter(number=checked.view.record.number), "officer__photo_path")
    return await _required(services, path)


async def has_photo(number: str) -> bool:
    """Whether the holder of the certificate with this number has a photo."""
    return await Certificate.filter(number=number, officer__photo_path__isnull=False).exists()


async def _path(query: Any, field: str) -> str | None:
    """The photo path `field` of the query's first row, if any."""
    found = await query.first().values_list(field, flat=True)
    return str(found) if found else None


async def _required(services: Services, photo_path: str | None) -> bytes:
    photo = await read_photo(services.settings.data_dir, photo_path)
    if photo is None:
        raise NotFound("The officer has no photo.", code="officer.no_photo")
    return photo
