"""Settings, read once from the environment.

Every value has a default that makes `make run` work on a fresh machine with no
configuration. The object is frozen: a setting cannot change after it was read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from service.domain.annual_review import ReviewWindow, parse_month_day
from service.domain.certificates import CertificateRules

DEFAULT_PASSWORD_ITERATIONS = 600_000  # what Piccolo's BaseUser uses (OWASP's advice)


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    host: str
    port: int
    public_base_url: str
    redis_url: str | None
    admin_username: str | None
    admin_password: str | None
    password_iterations: int = DEFAULT_PASSWORD_ITERATIONS
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    login_rate_per_minute: int = 60
    max_body_bytes: int = 2_000_000
    timezone: str = "Asia/Shanghai"
    certificate_validity_years: int = 5
    review_window_start: str = "03-31"
    review_window_end: str = "04-30"
    review_warning_days: int = 60
    qr_rotation_seconds: int = 30
    evidence_max_bytes: int = 5_000_000
    bench_endpoints: bool = False  # BENCH_ENDPOINTS=1: the benchmarks' ceiling endpoint
    public_rate_per_minute: int = 120  # per client, on the public verification endpoints
    public_cache_seconds: int = 60  # longest a public view is served from the cache
    presentation_seconds: int = 300  # the lifetime of an officer's 亮证 QR
    card_font: Path | None = None  # a CJK font for printed cards; found on the system if unset
    admin_allowed_hosts: tuple[str, ...] = ()  # hosts the admin's CSRF check trusts
    admin_session_hours: int = 8  # an admin login lasts a working day (renewed while in use)

    @property
    def https(self) -> bool:
        """Served over HTTPS: the admin's cookies are then `Secure`."""
        return self.public_base_url.startswith("https://")

    @property
    def certificate_rules(self) -> CertificateRules:
        return CertificateRules(validity_years=self.certificate_validity_years)

    @property
    def review_window(self) -> ReviewWindow:
        return ReviewWindow(
            start=parse_month_day(self.review_window_start),
            end=parse_month_day(self.review_window_end),
            warning_days=self.review_warning_days,
        )

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("DATA_DIR") or "./var").resolve()
        host = env.get("HOST") or "127.0.0.1"
        port = _int(env, "PORT", 8000, low=1, high=65535)
        public_base_url = (env.get("PUBLIC_BASE_URL") or f"http://{host}:{port}").rstrip("/")
        if urlsplit(public_base_url).scheme not in ("http", "https"):
            raise SettingsError(
                f"PUBLIC_BASE_URL must start with http:// or https://: {public_base_url!r}"
            )
        settings = cls(
            data_dir=data_dir,
            database_url=normalise_database_url(
                env.get("DATABASE_URL") or f"sqlite://{data_dir / 'officer-cert.sqlite3'}"
            ),
            host=host,
            port=port,
            public_base_url=public_base_url,
            redis_url=env.get("REDIS_URL") or None,
            admin_username=env.get("ADMIN_USERNAME") or None,
            admin_password=env.get("ADMIN_PASSWORD") or None,
            password_iterations=_int(
                env, "PASSWORD_ITERATIONS", DEFAULT_PASSWORD_ITERATIONS, low=1_000, high=10_000_000
            ),
            access_token_minutes=_int(env, "ACCESS_TOKEN_MINUTES", 15, low=1, high=60),
            refresh_token_days=_int(env, "REFRESH_TOKEN_DAYS", 14, low=1, high=90),
            login_rate_per_minute=_int(env, "LOGIN_RATE_PER_MINUTE", 60, low=1, high=10_000),
            max_body_bytes=_int(env, "MAX_BODY_BYTES", 2_000_000, low=1_024, high=100_000_000),
            certificate_validity_years=_int(env, "CERTIFICATE_VALIDITY_YEARS", 5, low=1, high=10),
            review_window_start=_month_day(env, "REVIEW_WINDOW_START", "03-31"),
            review_window_end=_month_day(env, "REVIEW_WINDOW_END", "04-30"),
            review_warning_days=_int(env, "REVIEW_WARNING_DAYS", 60, low=0, high=365),
            qr_rotation_seconds=_int(env, "QR_ROTATION_SECONDS", 30, low=5, high=300),
            bench_endpoints=env.get("BENCH_ENDPOINTS") == "1",
            public_rate_per_minute=_int(env, "PUBLIC_RATE_PER_MINUTE", 120, low=1, high=1_000_000),
            public_cache_seconds=_int(env, "PUBLIC_CACHE_SECONDS", 60, low=1, high=3_600),
            presentation_seconds=_int(env, "PRESENTATION_SECONDS", 300, low=30, high=3_600),
            card_font=_existing_file(env, "CARD_FONT"),
            admin_allowed_hosts=tuple(
                host.strip()
                for host in (
                    env.get("ADMIN_ALLOWED_HOSTS") or urlsplit(public_base_url).hostname or ""
                ).split(",")
                if host.strip()
            ),
            admin_session_hours=_int(env, "ADMIN_SESSION_HOURS", 8, low=1, high=24 * 7),
            evidence_max_bytes=_int(
                env, "EVIDENCE_MAX_BYTES", 5_000_000, low=10_000, high=50_000_000
            ),
        )
        window = settings.review_window
        if window.end < window.start:
            raise SettingsError("REVIEW_WINDOW_END must not come before REVIEW_WINDOW_START")
        return settings


def normalise_database_url(url: str) -> str:
    """Accept the URL spellings people use (libpq's `postgresql://`) and refuse the rest."""
    scheme = urlsplit(url).scheme
    if scheme in ("postgresql", "postgres", "asyncpg"):
        return "postgres://" + url.split("://", 1)[1]
    if scheme == "sqlite":
        return url
    raise SettingsError(f"DATABASE_URL must be sqlite://... or postgres://..., not {scheme!r}")


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _existing_file(env: Mapping[str, str], name: str) -> Path | None:
    raw = env.get(name)
    if not raw:
        return None
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(f"{name} names no file: {raw!r}")
    return path


def _month_day(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name) or default
    try:
        parse_month_day(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}") from None
    return raw


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings.from_env()
