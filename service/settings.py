"""Settings, read once from the environment.

Every value has a default that makes `make run` work on a fresh machine with no
configuration. Each setting's variable, default and range are declared once, on its
field; the object is frozen: a setting cannot change after it was read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from service.domain.annual_review import ReviewWindow, parse_month_day
from service.domain.certificates import CertificateRules
from service.security.keys import KeyEncryptionError, decode_kek, default_kek

DEFAULT_PASSWORD_ITERATIONS = 600_000  # what Piccolo's BaseUser uses (OWASP's advice)


class SettingsError(ValueError):
    """A setting in the environment cannot be used; the message names it."""


Reader = Callable[[str, str], Any]  # (variable, raw text) -> value, or SettingsError


def _whole(low: int, high: int) -> Reader:
    def read(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, not {raw!r}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, not {value}")
        return value

    return read


def _text(name: str, raw: str) -> str:
    return raw


def _flag(name: str, raw: str) -> bool:
    return raw == "1"


def _choice(*allowed: str) -> Reader:
    def read(name: str, raw: str) -> str:
        if raw.lower() not in allowed:
            raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {raw!r}")
        return raw.lower()

    return read


def _month_day(name: str, raw: str) -> str:
    try:
        parse_month_day(raw)
    except ValueError as exc:
        raise SettingsError(f"{name}: {exc}") from None
    return raw


def _existing_file(name: str, raw: str) -> Path:
    path = Path(raw)
    if not path.is_file():
        raise SettingsError(f"{name} names no file: {raw!r}")
    return path


def _hosts(name: str, raw: str) -> tuple[str, ...]:
    return tuple(host.strip() for host in raw.split(",") if host.strip())


def _kek(name: str, raw: str) -> bytes:
    try:
        return decode_kek(raw, name)
    except KeyEncryptionError as exc:
        raise SettingsError(str(exc)) from None


def setting(variable: str, default: Any, read: Reader = _text, *, secret: bool = False) -> Any:
    """A field read from `variable`; unset or empty, it keeps `default`. A secret's value
    is left out of the settings' repr."""
    return field(default=default, repr=not secret, metadata={"variable": variable, "read": read})


def variables() -> list[str]:
    """Every environment variable a setting is read from (`DATA_DIR`, `DATABASE_URL` and
    `PUBLIC_BASE_URL` are read with defaults that depend on others)."""
    declared = [f.metadata["variable"] for f in fields(Settings) if "variable" in f.metadata]
    return ["DATA_DIR", "DATABASE_URL", "PUBLIC_BASE_URL", *declared]


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    public_base_url: str
    host: str = setting("HOST", "127.0.0.1")
    port: int = setting("PORT", 8000, _whole(1, 65535))
    redis_url: str | None = setting("REDIS_URL", None)
    # how long `serve` waits for the database to answer before giving up (exit status 1)
    database_wait_seconds: int = setting("DATABASE_WAIT_SECONDS", 30, _whole(0, 3_600))
    admin_username: str | None = setting("ADMIN_USERNAME", None)
    admin_password: str | None = setting("ADMIN_PASSWORD", None)
    password_iterations: int = setting(
        "PASSWORD_ITERATIONS", DEFAULT_PASSWORD_ITERATIONS, _whole(1_000, 10_000_000)
    )
    access_token_minutes: int = setting("ACCESS_TOKEN_MINUTES", 15, _whole(1, 60))
    refresh_token_days: int = setting("REFRESH_TOKEN_DAYS", 14, _whole(1, 90))
    # longest a process trusts that a login still holds before asking the database again
    session_check_seconds: int = setting("SESSION_CHECK_SECONDS", 5, _whole(0, 60))
    login_rate_per_minute: int = setting("LOGIN_RATE_PER_MINUTE", 60, _whole(1, 10_000))
    # per API key, on the exchange endpoints
    exchange_rate_per_minute: int = setting("EXCHANGE_RATE_PER_MINUTE", 120, _whole(1, 100_000))
    max_body_bytes: int = setting("MAX_BODY_BYTES", 2_000_000, _whole(1_024, 100_000_000))
    certificate_validity_years: int = setting("CERTIFICATE_VALIDITY_YEARS", 5, _whole(1, 10))
    review_window_start: str = setting("REVIEW_WINDOW_START", "03-31", _month_day)
    review_window_end: str = setting("REVIEW_WINDOW_END", "04-30", _month_day)
    review_warning_days: int = setting("REVIEW_WARNING_DAYS", 60, _whole(0, 365))
    # the yearly cleanup lists suspensions older than this
    cleanup_suspension_months: int = setting("CLEANUP_SUSPENSION_MONTHS", 6, _whole(1, 60))
    qr_rotation_seconds: int = setting("QR_ROTATION_SECONDS", 30, _whole(5, 300))
    evidence_max_bytes: int = setting("EVIDENCE_MAX_BYTES", 5_000_000, _whole(10_000, 50_000_000))
    # BENCH_ENDPOINTS=1: the benchmarks' ceiling endpoint
    bench_endpoints: bool = setting("BENCH_ENDPOINTS", False, _flag)
    # per client, on the public verification endpoints
    public_rate_per_minute: int = setting("PUBLIC_RATE_PER_MINUTE", 120, _whole(1, 1_000_000))
    # longest a public view is served from the cache
    public_cache_seconds: int = setting("PUBLIC_CACHE_SECONDS", 60, _whole(1, 3_600))
    # the lifetime of an officer's 亮证 QR
    presentation_seconds: int = setting("PRESENTATION_SECONDS", 300, _whole(30, 3_600))
    # a CJK font for printed cards; found on the system if unset
    card_font: Path | None = setting("CARD_FONT", None, _existing_file)  # noqa: RUF009 - a field()
    # hosts the admin's CSRF check trusts; by default the host of PUBLIC_BASE_URL
    admin_allowed_hosts: tuple[str, ...] = setting("ADMIN_ALLOWED_HOSTS", (), _hosts)
    # an admin login lasts a working day (renewed while in use)
    admin_session_hours: int = setting("ADMIN_SESSION_HOURS", 8, _whole(1, 24 * 7))
    # seals the signing keys in the database: 32 random bytes in base64; every host the same
    key_encryption_key: bytes | None = setting("KEY_ENCRYPTION_KEY", None, _kek, secret=True)
    key_encryption_key_file: Path | None = setting(  # noqa: RUF009 - a field()
        "KEY_ENCRYPTION_KEY_FILE", None, _existing_file
    )
    # /metrics answers only with this bearer token; unset, there is no /metrics
    metrics_token: str | None = setting("METRICS_TOKEN", None, _text, secret=True)
    log_format: str = setting("LOG_FORMAT", "text", _choice("text", "json"))
    log_level: str = setting("LOG_LEVEL", "info", _choice("debug", "info", "warning", "error"))
    # the proxies whose X-Forwarded-For / -Proto `serve` believes (uvicorn's setting)
    forwarded_allow_ips: str = setting("FORWARDED_ALLOW_IPS", "127.0.0.1")
    # longest before a key added on another host signs here
    key_refresh_seconds: int = setting("KEY_REFRESH_SECONDS", 30, _whole(1, 60))
    # the notification worker inside `serve`; `off` on hosts that only answer requests
    worker: str = setting("WORKER", "on", _choice("on", "off"))
    # how often the worker looks for messages to deliver
    notify_poll_seconds: int = setting("NOTIFY_POLL_SECONDS", 5, _whole(1, 300))
    # channels may be plain-http URLs (a gateway on the bureau's own network); https only if 0
    notify_allow_http: bool = setting("NOTIFY_ALLOW_HTTP", False, _flag)
    # the SMTP server e-mail channels go through; unset, e-mails are refused (and logged)
    smtp_host: str | None = setting("SMTP_HOST", None)
    smtp_port: int = setting("SMTP_PORT", 25, _whole(1, 65535))
    smtp_from: str = setting("SMTP_FROM", "officer-cert@localhost")
    smtp_username: str | None = setting("SMTP_USERNAME", None)
    smtp_password: str | None = setting("SMTP_PASSWORD", None, _text, secret=True)
    smtp_starttls: bool = setting("SMTP_STARTTLS", False, _flag)

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
    def legacy_evidence_dir(self) -> Path:
        """Where releases before the database kept evidence (imported once at start)."""
        return self.data_dir / "evidence"

    @property
    def legacy_keys_dir(self) -> Path:
        """Where releases before the database kept signing keys (imported once at start)."""
        return self.data_dir / "keys"

    @property
    def default_kek_file(self) -> Path:
        return self.data_dir / "key-encryption.key"

    def kek(self) -> bytes:
        """The key-encryption key: KEY_ENCRYPTION_KEY, else the file KEY_ENCRYPTION_KEY_FILE
        names, else one made under DATA_DIR at first start (a single host's default)."""
        try:
            if self.key_encryption_key is not None:
                return self.key_encryption_key
            if self.key_encryption_key_file is not None:
                path = self.key_encryption_key_file
                return decode_kek(path.read_text(), f"KEY_ENCRYPTION_KEY_FILE ({path})")
            return default_kek(self.default_kek_file)
        except (KeyEncryptionError, OSError) as exc:
            raise SettingsError(str(exc)) from None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        declared: dict[str, Any] = {}
        for each in fields(cls):
            variable = each.metadata.get("variable")
            if variable is not None:
                raw = env.get(variable)
                declared[each.name] = each.metadata["read"](variable, raw) if raw else each.default
        data_dir = Path(env.get("DATA_DIR") or "./var").resolve()
        public_base_url = (
            env.get("PUBLIC_BASE_URL") or f"http://{declared['host']}:{declared['port']}"
        ).rstrip("/")
        if urlsplit(public_base_url).scheme not in ("http", "https"):
            raise SettingsError(
                f"PUBLIC_BASE_URL must start with http:// or https://: {public_base_url!r}"
            )
        if not declared["admin_allowed_hosts"]:
            declared["admin_allowed_hosts"] = _hosts("", urlsplit(public_base_url).hostname or "")
        settings = cls(
            data_dir=data_dir,
            database_url=normalise_database_url(
                env.get("DATABASE_URL") or f"sqlite://{data_dir / 'officer-cert.sqlite3'}"
            ),
            public_base_url=public_base_url,
            **declared,
        )
        if settings.key_encryption_key and settings.key_encryption_key_file:
            raise SettingsError("Set KEY_ENCRYPTION_KEY or KEY_ENCRYPTION_KEY_FILE, not both")
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


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment on first use."""
    return Settings.from_env()
