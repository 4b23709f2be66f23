"""Reminders for an officer (the phone's progress page) and alerts for the bureau (one
list over the jurisdiction): hours short as the year ends, reviews and expiries due."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tortoise.expressions import Q

from service.domain.access import Action, Principal
from service.domain.annual_review import Warning, review_due
from service.domain.certificates import CertificateStatus
from service.domain.reminders import (
    Reminder,
    expiry_reminder,
    hours_reminder,
    hours_season,
    review_reminder,
)
from service.domain.requirements import missing
from service.store import compliance_figures
from service.store.models import Certificate, Officer
from service.store.scoping import certificates_visible
from service.usecases.progress import own_officer, progress_of
from service.usecases.reports import ComplianceRow, agency_terms, short_rows
from service.usecases.services import Services

CURRENT = (CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED, CertificateStatus.EXPIRED)
LAPSED_SHOWN_DAYS = 365  # an expired certificate not renewed stays on the list a year


@dataclass(frozen=True, slots=True)
class Alert:
    reminder: Reminder
    officer_id: int
    officer_name: str
    agency_name: str
    certificate_id: int | None = None
    number: str | None = None


@dataclass(slots=True)
class Alerts:
    """Every alert counted; only the `limit` most urgent kept, so memory stays bounded
    however many officers are short."""

    limit: int
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    items: list[Alert] = field(default_factory=list)

    def add(self, alert: Alert) -> None:
        by_level = self.counts.setdefault(str(alert.reminder.kind), {"amber": 0, "red": 0})
        by_level[str(alert.reminder.level)] += 1
        self.items.append(alert)
        if len(self.items) >= 2 * self.limit:
            self.trim()

    def trim(self) -> None:
        self.items.sort(key=lambda a: (_urgency(a.reminder), a.officer_id))
        del self.items[self.limit :]


def _years(services: Services) -> list[int]:
    """The years (this one, last one) whose hours short would raise a reminder today."""
    today, window = services.today(), services.settings.review_window
    return [y for y in (today.year, today.year - 1) if hours_season(y, today, window)]


async def own_reminders(services: Services, principal: Principal) -> list[Reminder]:
    """The calling officer's reminders, red first. Raises NotFound (no officer record)."""
    officer = await own_officer(principal)
    today, window = services.today(), services.settings.review_window
    found: list[Reminder] = []
    for year in _years(services):
        hours = await progress_of(services, officer, year)
        reminder = hours_reminder(year, missing(hours.short), today, window)
        if reminder is not None:
            found.append(reminder)
    latest = (
        await Certificate.filter(officer_id=officer.id, status__in=CURRENT).order_by("-id").first()
    )
    if latest is not None:
        found.extend(_certificate_reminders(services, latest))
    return sorted(found, key=_urgency)


def _certificate_reminders(services: Services, certificate: Certificate) -> list[Reminder]:
    today, window = services.today(), services.settings.review_window
    reminders = [expiry_reminder(certificate.valid_until, today, window.warning_days)]
    if certificate.status is not CertificateStatus.EXPIRED:
        due = review_due(certificate.valid_from, certificate.last_review_year, today, window)
        reminders.append(review_reminder(due))
    return [r for r in reminders if r is not None]


def _urgency(reminder: Reminder) -> tuple[bool, date]:
    return reminder.level is not Warning.RED, reminder.deadline


async def alerts(services: Services, principal: Principal, *, limit: int = 500) -> Alerts:
    """Every reminder of the caller's jurisdiction, counted by kind and level; the first
    `limit` listed, red first, then by deadline. Raises Forbidden."""
    principal.require(Action.READ_OFFICERS)
    today, window = services.today(), services.settings.review_window
    result = Alerts(limit)
    soon = today + timedelta(days=window.warning_days)
    certificates = (
        certificates_visible(principal)
        .filter(status__in=CURRENT)
        .filter(valid_until__gte=today - timedelta(days=LAPSED_SHOWN_DAYS))
        .select_related("officer__agency")
        .order_by("valid_until", "id")
    )
    ending = await certificates.filter(valid_until__lte=soon)
    renewed = await _renewed([c for c in ending if c.status is CertificateStatus.EXPIRED])
    for certificate in ending:
        if certificate.id in renewed:
            continue
        reminder = expiry_reminder(certificate.valid_until, today, window.warning_days)
        if reminder is not None:
            result.add(_alert(reminder, certificate.officer, certificate))
    year = today.year - 1
    if window.warning(year, today) is not None:
        owing = certificates.filter(
            status__in=(CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED),
            valid_from__lte=date(year, 12, 31),
        )
        not_reviewed = Q(last_review_year__isnull=True) | Q(last_review_year__lt=year)
        for certificate in await owing.filter(not_reviewed):
            due = review_due(certificate.valid_from, certificate.last_review_year, today, window)
            reminder = review_reminder(due)
            if reminder is not None:
                result.add(_alert(reminder, certificate.officer, certificate))
    for year in _years(services):
        terms = await agency_terms(services, principal, year)
        count, first = await compliance_figures.short_by_id(year, terms, limit)
        for row in short_rows(terms, first):
            reminder = hours_reminder(year, missing(row.short), today, window)
            if reminder is not None:
                result.add(_row_alert(reminder, row))
        if first and (reminder := hours_reminder(year, 1, today, window)) is not None:
            # The rest are short too: the same reminder (its level is the year's), counted.
            result.counts[str(reminder.kind)][str(reminder.level)] += count - len(first)
    result.trim()
    return result


async def _renewed(expired: list[Certificate]) -> set[int]:
    """Those of the expired certificates whose holder has a later one (pending or in
    force): one query for them all."""
    if not expired:
        return set()
    later: dict[int, int] = {}
    newer = Certificate.filter(
        officer_id__in=[c.officer_id for c in expired],  # type: ignore[attr-defined]
        status__in=(
            CertificateStatus.ACTIVE,
            CertificateStatus.SUSPENDED,
            CertificateStatus.PENDING,
        ),
    )
    for officer_id, certificate_id in await newer.values_list("officer_id", "id"):
        later[officer_id] = max(later.get(officer_id, 0), certificate_id)
    return {c.id for c in expired if later.get(c.officer_id, 0) > c.id}  # type: ignore[attr-defined]


def _alert(reminder: Reminder, officer: Officer, certificate: Certificate) -> Alert:
    return Alert(
        reminder, officer.id, officer.name, officer.agency.name, certificate.id, certificate.number
    )


def _row_alert(reminder: Reminder, row: ComplianceRow) -> Alert:
    return Alert(reminder, row.officer_id, row.name, row.agency_name)
