"""Who may do what, and where: roles, actions and jurisdiction (scope)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from service.domain.errors import Forbidden


class Role(StrEnum):
    SUPERADMIN = "superadmin"
    BUREAU_ADMIN = "bureau_admin"  # a justice bureau: its region and every region inside it
    AGENCY_ADMIN = "agency_admin"  # one agency
    ORGANISER = "organiser"  # runs training sessions for one agency
    OFFICER = "officer"

    @property
    def is_staff(self) -> bool:
        return self is not Role.OFFICER


class Action(StrEnum):
    MANAGE_REGIONS = "manage_regions"
    MANAGE_AGENCIES = "manage_agencies"
    READ_OFFICERS = "read_officers"
    MANAGE_OFFICERS = "manage_officers"
    MANAGE_ACCOUNTS = "manage_accounts"
    APPLY_CERTIFICATES = "apply_certificates"  # the agency's approval of an application
    MANAGE_CERTIFICATES = "manage_certificates"  # the justice bureau's: issue, suspend, ...
    MANAGE_TRAINING = "manage_training"
    SET_REQUIREMENTS = "set_requirements"  # the justice bureau's: yearly hour requirements
    REVIEW_CLAIMS = "review_claims"  # approve or reject external training


_ADMIN = frozenset(Action)
_ALLOWED: dict[Role, frozenset[Action]] = {
    Role.SUPERADMIN: _ADMIN,
    Role.BUREAU_ADMIN: _ADMIN,
    Role.AGENCY_ADMIN: frozenset(
        {
            Action.READ_OFFICERS,
            Action.MANAGE_OFFICERS,
            Action.MANAGE_ACCOUNTS,
            Action.APPLY_CERTIFICATES,
            Action.MANAGE_TRAINING,
            Action.REVIEW_CLAIMS,
        }
    ),
    Role.ORGANISER: frozenset({Action.READ_OFFICERS, Action.MANAGE_TRAINING}),
    Role.OFFICER: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Scope:
    """The jurisdiction of a staff account: everything, a region (by code prefix), or one agency."""

    region_prefix: str | None = None
    agency_id: int | None = None

    def covers_region(self, code: str) -> bool:
        if self.agency_id is not None:
            return False
        return self.region_prefix is None or code.startswith(self.region_prefix)


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller, as read from a verified access token."""

    account_id: int
    username: str
    role: Role
    scope: Scope
    officer_id: int | None = None

    def may(self, action: Action) -> bool:
        return action in _ALLOWED[self.role]

    def require(self, action: Action) -> None:
        """Raise Forbidden unless this role may take the action (anywhere in its scope)."""
        if not self.may(action):
            raise Forbidden(
                f"Role {self.role} may not {action.replace('_', ' ')}.", code="auth.forbidden"
            )
