import base64
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from service.settings import DEFAULT_PASSWORD_ITERATIONS, Settings, SettingsError, variables


def test_defaults_need_no_configuration() -> None:
    settings = Settings.from_env({})
    assert settings.data_dir == Path("./var").resolve()
    assert settings.database_url == f"sqlite://{settings.data_dir / 'officer-cert.sqlite3'}"
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.public_base_url == "http://127.0.0.1:8000"
    assert settings.redis_url is None
    assert settings.password_iterations == DEFAULT_PASSWORD_ITERATIONS == 600_000
    assert settings.access_token_minutes == 15


def test_public_base_url_follows_host_and_port_unless_set() -> None:
    assert (
        Settings.from_env({"HOST": "0.0.0.0", "PORT": "9000"}).public_base_url
        == "http://0.0.0.0:9000"
    )
    assert (
        Settings.from_env({"PUBLIC_BASE_URL": "https://sfj.example.cn/"}).public_base_url
        == "https://sfj.example.cn"
    )


def test_libpq_style_postgres_url_is_accepted() -> None:
    url = Settings.from_env({"DATABASE_URL": "postgresql://app@db:5432/cert"}).database_url
    assert url == "postgres://app@db:5432/cert"


@pytest.mark.parametrize(
    "env",
    [
        {"PORT": "http"},
        {"PORT": "70000"},
        {"DATABASE_URL": "mysql://x/y"},
        {"PUBLIC_BASE_URL": "ftp://x"},
        {"PASSWORD_ITERATIONS": "10"},
        {"CERTIFICATE_VALIDITY_YEARS": "0"},
        {"REVIEW_WINDOW_START": "02-30"},
        {"REVIEW_WINDOW_END": "4/30"},
        {"REVIEW_WARNING_DAYS": "-1"},
        {"KEY_ENCRYPTION_KEY": "c2hvcnQ="},  # 5 bytes, not 32
        {"KEY_ENCRYPTION_KEY": "not base64 at all!"},
        {"KEY_ENCRYPTION_KEY_FILE": "/no/such/file"},
        {"KEY_REFRESH_SECONDS": "61"},
        {"LOG_FORMAT": "xml"},
        {"LOG_LEVEL": "verbose"},
    ],
)
def test_unusable_settings_are_refused_by_name(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(env)
    assert next(iter(env)) in str(refused.value)


def test_settings_cannot_change_after_reading() -> None:
    settings = Settings.from_env({})
    with pytest.raises(FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]


def test_certificate_rules_come_from_settings() -> None:
    settings = Settings.from_env(
        {
            "CERTIFICATE_VALIDITY_YEARS": "6",
            "REVIEW_WINDOW_START": "01-15",
            "REVIEW_WINDOW_END": "03-31",
            "REVIEW_WARNING_DAYS": "30",
        }
    )
    assert settings.certificate_rules.validity_years == 6
    window = settings.review_window
    assert (window.start, window.end, window.warning_days) == ((1, 15), (3, 31), 30)


def test_review_window_must_not_end_before_it_starts() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"REVIEW_WINDOW_START": "05-01", "REVIEW_WINDOW_END": "04-30"})
    assert "REVIEW_WINDOW_END" in str(refused.value)


def test_admin_trusts_the_public_host_and_secures_cookies_over_https() -> None:
    local = Settings.from_env({})
    assert (local.admin_allowed_hosts, local.https) == (("127.0.0.1",), False)
    public = Settings.from_env({"PUBLIC_BASE_URL": "https://sfj.example.cn:8443"})
    assert (public.admin_allowed_hosts, public.https) == (("sfj.example.cn",), True)
    listed = Settings.from_env({"ADMIN_ALLOWED_HOSTS": "sfj.example.cn, admin.sfj.example.cn"})
    assert listed.admin_allowed_hosts == ("sfj.example.cn", "admin.sfj.example.cn")


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in variables() if f"`{name}`" not in readme]
    assert not missing, f"settings missing from README.md: {missing}"


def test_an_empty_variable_keeps_the_default() -> None:
    assert Settings.from_env({"PORT": "", "REDIS_URL": ""}).port == 8000
    assert Settings.from_env({"REDIS_URL": ""}).redis_url is None


KEK = base64.b64encode(bytes(range(32))).decode()


def test_secrets_stay_out_of_the_settings_repr() -> None:
    settings = Settings.from_env({"KEY_ENCRYPTION_KEY": KEK, "METRICS_TOKEN": "scrape-me-77"})
    assert settings.kek() == bytes(range(32))
    shown = repr(settings)
    assert "scrape-me-77" not in shown and "key_encryption_key=" not in shown
    assert str(bytes(range(32))) not in shown


def test_the_kek_comes_from_the_variable_or_the_file_never_both(tmp_path: Path) -> None:
    path = tmp_path / "kek"
    path.write_text(KEK + "\n")
    from_file = Settings.from_env({"KEY_ENCRYPTION_KEY_FILE": str(path), "DATA_DIR": str(tmp_path)})
    assert from_file.kek() == bytes(range(32))
    assert not (tmp_path / "key-encryption.key").exists()  # no default made beside it
    with pytest.raises(SettingsError, match="not both"):
        Settings.from_env({"KEY_ENCRYPTION_KEY": KEK, "KEY_ENCRYPTION_KEY_FILE": str(path)})
    path.write_text("c2hvcnQ=")
    with pytest.raises(SettingsError, match="KEY_ENCRYPTION_KEY_FILE"):
        Settings.from_env({"KEY_ENCRYPTION_KEY_FILE": str(path)}).kek()


async def test_the_local_rate_limit_store_forgets_one_off_clients() -> None:
    from service.store.cache import LocalStore

    store = LocalStore()
    for n in range(5_000):
        assert await store.hit(f"client-{n}", 1_000.0 + n, 60, 3) == (1, 1_000.0 + n)
    assert len(store._hits) < 2 * LocalStore.MIN_SWEEP
    assert [(await store.hit("same", 9_000.0, 60, 2))[0] for _ in range(3)] == [1, 2, 3]
