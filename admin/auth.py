"""The admin's login: the API's staff accounts and the `admin_sessions` table.

Both tables belong to Tortoise's migrations; these classes mirror them and change what
Piccolo's defaults get wrong for us: the password is checked by the API's login use
case, an officer, agency admin or organiser may not log in however right the password,
and times are timezone-aware (the columns are `timestamptz` on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import ForeignKey, Integer, Timestamptz, Varchar
from piccolo.columns.base import OnDelete
from piccolo.columns.reference import LazyTableReference
from piccolo_api.session_auth.tables import SessionsBase
from starlette.exceptions import HTTPException

from admin.context import current_services
from admin.labels import choices
from service.domain.access import Principal, Role
from service.domain.errors import DomainError
from service.domain.messages import in_chinese
from service.security.passwords import MAX_LENGTH, MIN_LENGTH
from service.usecases.accounts import change_password
from service.usecases.auth import staff_login, staff_principal

# Who may use the admin: the justice bureau. Agency admins and organisers use the API.
ADMIN_ROLES = frozenset({Role.SUPERADMIN, Role.BUREAU_ADMIN})


class NotForAdmin(Exception):
    """The account may not use the admin; the message says why, in Chinese."""


async def admin_principal_of(account_id: int) -> Principal:
    """The admin's logged-in account as the use cases know it. Raises NotForAdmin for an
    inactive account, an officer, an agency admin or an organiser."""
    try:
        principal = await staff_principal(account_id)
    except DomainError:
        raise NotForAdmin("此账号不能使用管理后台。") from None
    if principal.role not in ADMIN_ROLES:
        raise NotForAdmin("管理后台供司法局使用；单位管理员和培训组织者请使用 API。")
    return principal


def _aware(moment: datetime) -> datetime:
    # A naive value is what Piccolo itself writes: local time, as asyncpg also assumes.
    return moment if moment.tzinfo else moment.astimezone()


def _later(table: str, name: str) -> ForeignKey:
    return ForeignKey(
        LazyTableReference(table, module_path="admin.tables"),
        db_column_name=f"{name}_id",
        null=True,
        on_delete=OnDelete.restrict,
        verbose_name={"region": "所属区划", "agency": "所在单位", "officer": "执法人员"}[name],
    )


class AdminAccount(BaseUser, tablename="accounts", help_text="账号（与 API 共用）"):
    """`accounts`: BaseUser's columns plus the role and jurisdiction of the API."""

    email = Varchar(length=255, null=True, verbose_name="电子邮箱")
    last_login = Timestamptz(null=True, default=None, required=False, verbose_name="最近登录")
    role = Varchar(length=16, choices=choices(Role), verbose_name="角色")
    region_id = _later("Region", "region")
    agency_id = _later("Agency", "agency")
    officer_id = _later("Officer", "officer")
    session_generation = Integer(default=0, verbose_name="会话代数")
    created_at = Timestamptz(verbose_name="创建时间")

    _min_password_length = MIN_LENGTH
    _max_password_length = MAX_LENGTH

    @classmethod
    async def login(cls, username: str, password: str) -> int | None:
        """The account's id when the password is right and the account is an active
        superadmin or bureau admin; None otherwise (officers never get in). The API's
        login use case checks the password, so an unknown username costs the same time
        and the last login is recorded with the service's clock."""
        if len(username) > 100 or len(password) > MAX_LENGTH:
            return None
        try:
            principal = await staff_login(current_services(), username, password, roles=ADMIN_ROLES)
        except DomainError:
            return None
        return principal.account_id

    @classmethod
    async def update_password(cls, user: str | int, password: str) -> None:
        """Piccolo Admin's "change password": the API's use case sets it and ends every
        session of the account (API tokens on every process, admin sessions)."""
        if isinstance(user, int):
            row = await cls.select(cls.username).where(cls.id == user).first().run()
            user = str(row["username"]) if row else ""
        try:
            await change_password(current_services(), user, password)
        except DomainError as error:
            raise HTTPException(status_code=422, detail=in_chinese(error)) from None


class AdminSession(SessionsBase, tablename="admin_sessions", help_text="后台登录会话"):
    token = Varchar(length=100, null=False, secret=True)
    user_id = Integer(null=False)
    expiry_date = Timestamptz(null=False)
    max_expiry_date = Timestamptz(null=False)

    @classmethod
    async def get_user_id(cls, token: str, increase_expiry: timedelta | None = None) -> int | None:
        """The session's account id while both expiry dates lie ahead, else None."""
        session = await cls.objects().where(cls.token == token).first().run()
        if session is None:
            return None
        now = datetime.now(UTC)
        expiry = _aware(session.expiry_date)
        if expiry <= now or _aware(session.max_expiry_date) <= now:
            return None
        if increase_expiry and expiry - now < increase_expiry:
            await (
                cls.update({cls.expiry_date: expiry + increase_expiry})
                .where(cls.id == session.id)
                .run()
            )
        return int(session.user_id)
