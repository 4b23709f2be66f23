"""The Piccolo Admin site: tables by menu group, forms, login, built once per app.

`build_admin` returns the ASGI app to mount at /admin and the engine to open and close
in the Litestar lifespan (a mounted app gets no lifespan events of its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import piccolo_admin.endpoints
from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo_admin.endpoints import TableConfig, create_admin
from piccolo_admin.translations.data import ENGLISH, SIMPLIFIED_CHINESE
from piccolo_api.crud.endpoints import OrderBy
from piccolo_api.rate_limiting.middleware import InMemoryLimitProvider
from starlette.types import ASGIApp, Receive, Scope, Send

from admin import tables as t
from admin.auth import AdminAccount, AdminSession
from admin.context import with_services
from admin.forms import build_forms
from admin.guards import ScopedCRUD, editable, read_only
from admin.hooks import rename_agency_hook
from admin.importing import PATH as IMPORT_PATH
from service.settings import Settings
from service.usecases.services import Services

SITE_NAME = "行政执法证件与培训学时管理"
PEOPLE, CERTIFICATES, TRAINING, SYSTEM = "人员", "证件", "培训", "系统"
BY_FORM = "请使用左侧“表单”中的相应操作，以便校验规则并记录事件"


@dataclass(frozen=True, slots=True)
class AdminOptions:
    """The settings the admin app is built from."""

    allowed_hosts: tuple[str, ...]
    production: bool
    session_hours: int
    logins_per_5_minutes: int


@dataclass(frozen=True, slots=True)
class AdminSite:
    """The admin as one Litestar app serves it: the shared Piccolo app, this app's
    database engine (opened and closed in its lifespan) and its services."""

    app: ASGIApp
    engine: Engine
    services: Services

    async def start(self) -> None:
        t.bind(self.engine)
        if isinstance(self.engine, PostgresEngine):
            await self.engine.start_connection_pool(min_size=1, max_size=4)

    async def stop(self) -> None:
        if isinstance(self.engine, PostgresEngine):
            await self.engine.close_connection_pool()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(with_services(scope, self.services), receive, send)


def engine_for(database_url: str) -> Engine:
    """Piccolo's engine for the service's DATABASE_URL (sqlite://path or postgres://...)."""
    if database_url.startswith("sqlite://"):
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        return SQLiteEngine(path=str(Path(path)), timeout=10)
    parts = urlsplit(database_url)
    return PostgresEngine(config={"dsn": parts._replace(scheme="postgresql").geturl()})


def _order(column: object, ascending: bool = False) -> list[OrderBy]:
    return [OrderBy(column=column, ascending=ascending)]  # type: ignore[arg-type]


def table_configs() -> list[TableConfig]:
    def guarded(why: str, *, superadmin: bool = False) -> object:
        return read_only(f"{why}不能在此直接修改：{BY_FORM}。", superadmin=superadmin)

    def config(
        table: type, group: str, columns: list, filters: list, **kwargs: object
    ) -> TableConfig:
        return TableConfig(
            table_class=table,
            menu_group=group,
            visible_columns=columns,
            visible_filters=filters,
            **kwargs,  # type: ignore[arg-type]
        )

    return [
        config(
            t.Officer,
            PEOPLE,
            [
                t.Officer.id,
                t.Officer.name,
                t.Officer.agency_id,
                t.Officer.employment_type,
                t.Officer.post,
                t.Officer.in_post,
                t.Officer.updated_at,
            ],
            [
                t.Officer.name,
                t.Officer.id_number,
                t.Officer.agency_id,
                t.Officer.employment_type,
                t.Officer.in_post,
            ],
            validators=guarded("人员信息"),
            order_by=_order(t.Officer.id, True),
        ),
        config(
            t.Exam,
            PEOPLE,
            [t.Exam.id, t.Exam.officer_id, t.Exam.kind, t.Exam.score, t.Exam.taken_on],
            [t.Exam.officer_id, t.Exam.kind, t.Exam.taken_on],
            validators=guarded("考试成绩"),
            order_by=_order(t.Exam.taken_on),
        ),
        config(
            t.Assessment,
            PEOPLE,
            [t.Assessment.id, t.Assessment.officer_id, t.Assessment.year, t.Assessment.result],
            [t.Assessment.officer_id, t.Assessment.year, t.Assessment.result],
            validators=guarded("年度考核"),
            order_by=_order(t.Assessment.year),
        ),
        config(
            t.Sanction,
            PEOPLE,
            [
                t.Sanction.id,
                t.Sanction.officer_id,
                t.Sanction.kind,
                t.Sanction.effective_on,
                t.Sanction.ends_on,
            ],
            [t.Sanction.officer_id, t.Sanction.kind, t.Sanction.effective_on],
            validators=guarded("处分记录"),
            order_by=_order(t.Sanction.effective_on),
        ),
        config(
            AdminAccount,
            PEOPLE,
            [
                AdminAccount.id,
                AdminAccount.username,
                AdminAccount.first_name,
                AdminAccount.role,
                AdminAccount.region_id,
                AdminAccount.agency_id,
                AdminAccount.active,
                AdminAccount.last_login,
            ],
            [
                AdminAccount.username,
                AdminAccount.role,
                AdminAccount.region_id,
                AdminAccount.agency_id,
                AdminAccount.active,
            ],
            validators=guarded("账号", superadmin=True),
            order_by=_order(AdminAccount.id, True),
        ),
        config(
            t.Certificate,
            CERTIFICATES,
            [
                t.Certificate.id,
                t.Certificate.number,
                t.Certificate.officer_id,
                t.Certificate.status,
                t.Certificate.valid_until,
                t.Certificate.last_review_year,
                t.Certificate.issuing_agency_id,
            ],
            [
                t.Certificate.number,
                t.Certificate.officer_id,
                t.Certificate.status,
                t.Certificate.valid_until,
                t.Certificate.issuing_agency_id,
            ],
            validators=guarded("证件状态和证号"),
            order_by=_order(t.Certificate.id),
        ),
        config(
            t.OfficerEvent,
            CERTIFICATES,
            [
                t.OfficerEvent.id,
                t.OfficerEvent.at,
                t.OfficerEvent.officer_id,
                t.OfficerEvent.certificate_id,
                t.OfficerEvent.action,
                t.OfficerEvent.actor_name,
                t.OfficerEvent.reason,
            ],
            [
                t.OfficerEvent.officer_id,
                t.OfficerEvent.certificate_id,
                t.OfficerEvent.action,
                t.OfficerEvent.actor_id,
                t.OfficerEvent.at,
            ],
            validators=guarded("事件记录只能追加，"),
            order_by=_order(t.OfficerEvent.id),
        ),
        config(
            t.AnnualReviewResult,
            CERTIFICATES,
            [
                t.AnnualReviewResult.id,
                t.AnnualReviewResult.year,
                t.AnnualReviewResult.certificate_id,
                t.AnnualReviewResult.passed,
                t.AnnualReviewResult.reasons,
                t.AnnualReviewResult.reviewed_at,
            ],
            [
                t.AnnualReviewResult.year,
                t.AnnualReviewResult.certificate_id,
                t.AnnualReviewResult.passed,
            ],
            validators=guarded("年审结果"),
            order_by=_order(t.AnnualReviewResult.id),
        ),
        config(
            t.NumberSequence,
            CERTIFICATES,
            [t.NumberSequence.prefix, t.NumberSequence.last_value],
            [t.NumberSequence.prefix],
            validators=guarded("证号序列", superadmin=True),
        ),
        config(
            t.TrainingSession,
            TRAINING,
            [
                t.TrainingSession.id,
                t.TrainingSession.title,
                t.TrainingSession.category,
                t.TrainingSession.credit_tenths,
                t.TrainingSession.starts_at,
                t.TrainingSession.organiser_agency_id,
                t.TrainingSession.status,
            ],
            [
                t.TrainingSession.title,
                t.TrainingSession.category,
                t.TrainingSession.starts_at,
                t.TrainingSession.organiser_agency_id,
                t.TrainingSession.status,
            ],
            validators=guarded("培训场次"),
            order_by=_order(t.TrainingSession.starts_at),
        ),
        config(
            t.Attendance,
            TRAINING,
            [
                t.Attendance.id,
                t.Attendance.session_id,
                t.Attendance.officer_id,
                t.Attendance.method,
                t.Attendance.checked_in_at,
                t.Attendance.checked_out_at,
                t.Attendance.flags,
                t.Attendance.credited_tenths,
            ],
            [t.Attendance.session_id, t.Attendance.officer_id, t.Attendance.method],
            validators=guarded("签到记录"),
            order_by=_order(t.Attendance.id),
        ),
        config(
            t.HourEntry,
            TRAINING,
            [
                t.HourEntry.id,
                t.HourEntry.officer_id,
                t.HourEntry.year,
                t.HourEntry.category,
                t.HourEntry.tenths,
                t.HourEntry.source,
                t.HourEntry.title,
                t.HourEntry.occurred_on,
            ],
            [t.HourEntry.officer_id, t.HourEntry.year, t.HourEntry.category, t.HourEntry.source],
            validators=guarded("学时台账只能追加，"),
            order_by=_order(t.HourEntry.id),
        ),
        config(
            t.ExternalClaim,
            TRAINING,
            [
                t.ExternalClaim.id,
                t.ExternalClaim.officer_id,
                t.ExternalClaim.title,
                t.ExternalClaim.category,
                t.ExternalClaim.claimed_tenths,
                t.ExternalClaim.status,
                t.ExternalClaim.created_at,
            ],
            [t.ExternalClaim.officer_id, t.ExternalClaim.category, t.ExternalClaim.status],
            validators=guarded("外部学习申报"),
            order_by=_order(t.ExternalClaim.id),
        ),
        config(
            t.Requirement,
            TRAINING,
            [
                t.Requirement.id,
                t.Requirement.region_id,
                t.Requirement.year,
                t.Requirement.min_public_law_tenths,
                t.Requirement.min_professional_tenths,
                t.Requirement.min_total_tenths,
            ],
            [t.Requirement.region_id, t.Requirement.year],
            validators=guarded("学时要求"),
            order_by=_order(t.Requirement.year),
        ),
        config(
            t.Region,
            SYSTEM,
            [t.Region.code, t.Region.name, t.Region.level, t.Region.parent_id],
            [t.Region.code, t.Region.name, t.Region.level, t.Region.parent_id],
            validators=guarded("行政区划"),
            order_by=_order(t.Region.code, True),
            link_column=t.Region.name,
        ),
        config(
            t.Agency,
            SYSTEM,
            [t.Agency.id, t.Agency.name, t.Agency.region_id, t.Agency.kind, t.Agency.sector],
            [t.Agency.name, t.Agency.region_id, t.Agency.kind],
            validators=editable(
                why="新建单位请使用 API（校验区划和行业代码）；单位不能删除，只能改名。",
            ),
            hooks=[rename_agency_hook()],
            order_by=_order(t.Agency.id, True),
        ),
        config(
            t.Device,
            SYSTEM,
            [
                t.Device.id,
                t.Device.officer_id,
                t.Device.device_id,
                t.Device.first_seen_at,
                t.Device.last_seen_at,
            ],
            [t.Device.officer_id, t.Device.device_id],
            validators=guarded("登录设备", superadmin=True),
            order_by=_order(t.Device.id),
        ),
        config(
            AdminSession,
            SYSTEM,
            [AdminSession.id, AdminSession.user_id, AdminSession.expiry_date],
            [AdminSession.user_id],
            validators=guarded("登录会话", superadmin=True),
            order_by=_order(AdminSession.id),
        ),
    ]


def build_admin(settings: Settings, services: Services) -> AdminSite:
    options = AdminOptions(
        allowed_hosts=settings.admin_allowed_hosts,
        production=settings.https,
        session_hours=settings.admin_session_hours,
        logins_per_5_minutes=settings.login_rate_per_minute * 5,
    )
    return AdminSite(admin_app(options), engine_for(settings.database_url), services)


@lru_cache(maxsize=4)
def admin_app(options: AdminOptions) -> ASGIApp:
    """The Piccolo Admin app, built once per process and set of options (building one
    takes about half a second: a pydantic model and routes per table)."""
    # Piccolo Admin builds its PiccoloCRUD internally; the subclass keeps each bureau
    # admin's queries inside the admin's region (see admin.guards).
    piccolo_admin.endpoints.PiccoloCRUD = ScopedCRUD  # type: ignore[misc]
    app: ASGIApp = create_admin(
        tables=table_configs(),
        forms=build_forms(),
        auth_table=AdminAccount,
        session_table=AdminSession,
        session_expiry=timedelta(hours=options.session_hours),
        max_session_expiry=timedelta(hours=options.session_hours * 3),
        increase_expiry=timedelta(minutes=30),
        site_name=SITE_NAME,
        default_language_code=SIMPLIFIED_CHINESE.language_code,
        translations=[SIMPLIFIED_CHINESE, ENGLISH],
        auto_include_related=False,
        allowed_hosts=list(options.allowed_hosts),
        production=options.production,
        page_size=30,
        sidebar_links={"导入执法人员（CSV/XLSX）": IMPORT_PATH},
        rate_limit_provider=InMemoryLimitProvider(limit=options.logins_per_5_minutes, timespan=300),
    )
    return app
