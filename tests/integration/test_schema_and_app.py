"""Migrations, health, OpenAPI, first start, demo data: on SQLite and PostgreSQL."""

from __future__ import annotations

import httpx
from tortoise import Tortoise, connections
from tortoise.migrations.autodetector import MigrationAutodetector

from service.demo import load as load_demo
from service.domain.access import Role
from service.settings import Settings
from service.store.config import tortoise_config
from service.store.models import (
    Account,
    Agency,
    AnnualReviewResult,
    Certificate,
    HourEntry,
    Officer,
    TrainingSession,
)
from service.usecases.accounts import ensure_superuser
from service.usecases.audit import verify_chains
from service.usecases.services import Services


async def test_migrations_create_every_model_table(client: httpx.AsyncClient, backend: str) -> None:
    conn = connections.get("default")
    if backend == "sqlite":
        _, rows = await conn.execute_query("SELECT name FROM sqlite_master WHERE type='table'")
    else:
        _, rows = await conn.execute_query(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema='public'"
        )
    tables = {row["name"] for row in rows}
    expected = {model._meta.db_table for model in Tortoise.apps["models"].values()}
    assert expected <= tables, expected - tables


async def test_models_have_no_changes_missing_from_migrations(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    apps = {"models": tortoise_config(settings.database_url)["apps"]["models"]}
    detector = MigrationAutodetector(Tortoise.apps, apps)
    assert await detector.changes() == [], "run `tortoise makemigrations` and commit the migration"


async def test_health_reports_the_database(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_openapi_describes_the_contract_paths(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/v1/auth/token",
        "/api/v1/auth/refresh",
        "/api/v1/auth/logout",
        "/mobile/v1/auth/token",
        "/api/v1/regions",
        "/api/v1/agencies",
        "/api/v1/officers",
        "/api/v1/officers/{officer_id}",
        "/api/v1/officers/{officer_id}/account",
        "/api/v1/officers/{officer_id}/exams",
        "/api/v1/officers/{officer_id}/assessments",
        "/api/v1/officers/{officer_id}/sanctions",
        "/api/v1/officers/{officer_id}/timeline",
        "/api/v1/certificates",
        "/api/v1/certificates/{certificate_id}",
        *(
            f"/api/v1/certificates/{{certificate_id}}/{action}"
            for action in ("issue", "suspend", "reinstate", "revoke", "cancel", "reissue")
        ),
        "/api/v1/annual-reviews",
        "/api/v1/requirements/{year}",
        "/api/v1/sessions",
        "/api/v1/sessions/{session_id}",
        "/api/v1/sessions/{session_id}/qr.png",
        "/api/v1/sessions/{session_id}/attendance",
        "/api/v1/sessions/{session_id}/close",
        "/mobile/v1/me/certificate",
        "/mobile/v1/checkins",
        "/mobile/v1/me/progress",
        "/mobile/v1/me/external-training",
        "/api/v1/external-training/{claim_id}/approve",
        "/api/v1/external-training/{claim_id}/reject",
        "/api/v1/officers/{officer_id}/hours",
        "/health",
    ):
        assert path in schema["paths"], path
    assert "BearerToken" in schema["components"]["securitySchemes"]


async def test_first_start_creates_superuser_from_settings_once(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    configured = Settings.from_env(
        {
            "DATA_DIR": str(settings.data_dir),
            "DATABASE_URL": settings.database_url,
            "ADMIN_USERNAME": "sfj_root",
            "ADMIN_PASSWORD": "Chushi-mima-1",
            "PASSWORD_ITERATIONS": "1000",
        }
    )
    created = await ensure_superuser(Services.build(configured))
    assert created == ("sfj_root", None)
    assert await ensure_superuser(Services.build(configured)) is None
    login = await client.post(
        "/api/v1/auth/token", json={"username": "sfj_root", "password": "Chushi-mima-1"}
    )
    assert login.status_code == 200


async def test_first_start_without_password_generates_one(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    created = await ensure_superuser(Services.build(settings))
    assert created is not None
    username, password = created
    assert username == "admin" and password and len(password) >= 12
    login = await client.post(
        "/api/v1/auth/token", json={"username": username, "password": password}
    )
    assert login.status_code == 200


async def test_demo_data_loads_with_working_accounts(
    settings: Settings, client: httpx.AsyncClient
) -> None:
    services = Services.build(settings)
    await ensure_superuser(services)  # the demo is loaded in the superuser's name
    made = await load_demo(services, "Demo-pass-1")
    assert 45 <= await Officer.all().count() <= 60
    statuses = set(await Certificate.all().values_list("status", flat=True))
    assert statuses == {"active", "suspended", "revoked", "pending", "expired"}
    # A history: certificates issued since 2019 with their printed numbers, the review of
    # 2024 passed and failed, hours of 2024 and 2025 to review 2025 on.
    legacy = await Certificate.filter(legacy=True).values_list("number", "valid_from")
    assert min(day for _, day in legacy).year == 2019 and any("新" in n for n, _ in legacy)
    reviewed = await AnnualReviewResult.filter(year=2024).values_list("passed", flat=True)
    assert set(reviewed) == {True, False}
    assert {2024, 2025} <= set(await HourEntry.all().distinct().values_list("year", flat=True))
    assert (await verify_chains()).broken is None
    assert await Agency.all().count() == 16
    assert await TrainingSession.all().count() == 12
    assert await Account.filter(role=Role.OFFICER).count() == 4
    bureau = next(a for a in made if a.role == Role.BUREAU_ADMIN)
    login = await client.post(
        "/api/v1/auth/token", json={"username": bureau.username, "password": "Demo-pass-1"}
    )
    token = login.json()["access_token"]
    officers = await client.get(
        "/api/v1/officers?page_size=200", headers={"Authorization": f"Bearer {token}"}
    )
    assert 0 < officers.json()["total"] < await Officer.all().count()
