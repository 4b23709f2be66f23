"""One backup archive holds everything a service needs to run again, apart from the
key-encryption key, which the operator keeps elsewhere (without it the archive's signing
keys sign nothing): the database, taken consistently (`pg_dump` on PostgreSQL, SQLite's
online backup API on SQLite), which since 0.2 holds the signing keys and the evidence too,
and a manifest saying what it is.

An archive restores into an empty database of the same kind; the service's migrations then
bring it up to this release (`serve` and `migrate` run them).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = {"postgres": "database.pgdump", "sqlite": "database.sqlite3"}
MIGRATIONS = "tortoise_migrations"


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why, for the operator."""


@dataclass(frozen=True, slots=True)
class Manifest:
    format: int
    kind: str  # postgres | sqlite
    created_at: str
    migrations: list[str]  # applied, in order

    def to_json(self) -> bytes:
        return json.dumps(
            {"format": self.format, "kind": self.kind, "created_at": self.created_at,
             "migrations": self.migrations},
            ensure_ascii=False, indent=2,
        ).encode()  # fmt: skip


def kind_of(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgres"


def backup(database_url: str, target: Path) -> Manifest:
    """Write the archive to `target` (mode 0600: it holds personal data), whole or not at
    all."""
    kind = kind_of(database_url)
    target = target.resolve()
    with tempfile.TemporaryDirectory(prefix="officer-cert-backup-") as work:
        dump = Path(work) / DUMP[kind]
        if kind == "sqlite":
            _sqlite_backup(_sqlite_path(database_url), dump)
            applied = _sqlite_migrations(dump)
        else:
            _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                     f"--file={dump}"], database_url)  # fmt: skip
            applied = _pg_migrations(database_url)
        manifest = Manifest(FORMAT, kind, datetime.now(UTC).isoformat(timespec="seconds"), applied)
        partial = target.with_name(f".{target.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                info = tarfile.TarInfo(MANIFEST)
                body = manifest.to_json()
                info.size, info.mode = len(body), 0o600
                archive.addfile(info, io.BytesIO(body))
                archive.add(dump, arcname=DUMP[kind])
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def restore(
    database_url: str, source: Path, *, check: Callable[[Manifest], None] | None = None
) -> Manifest:
    """Load the archive into the database DATABASE_URL names, which must be empty;
    `check` may refuse the manifest first (BackupError)."""
    kind = kind_of(database_url)
    with tempfile.TemporaryDirectory(prefix="officer-cert-restore-") as work:
        manifest = _unpack(source, Path(work))
        if check is not None:
            check(manifest)
        if manifest.kind != kind:
            raise BackupError(
                f"This is a backup of a {manifest.kind} database; DATABASE_URL names a "
                f"{kind} one. Restore it into {manifest.kind}."
            )
        dump = Path(work) / DUMP[kind]
        if kind == "sqlite":
            path = _sqlite_path(database_url)
            if _sqlite_tables(path):
                raise BackupError(f"{path} is not empty: restore into a new database.")
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.restoring")
            shutil.copyfile(dump, partial)
            os.chmod(partial, 0o600)
            partial.replace(path)
        else:
            if _pg_tables(database_url):
                raise BackupError("The PostgreSQL database is not empty: restore into a new one.")
            loading = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                       "--single-transaction", str(dump)]  # fmt: skip
            _run_pg(loading, database_url, database_flag=True)
    return manifest


def _unpack(source: Path, work: Path) -> Manifest:
    try:
        with tarfile.open(source, mode="r:gz") as archive:
            names = set(archive.getnames())
            if MANIFEST not in names:
                raise BackupError(f"{source} is not a backup of this service (no {MANIFEST}).")
            manifest_file = archive.extractfile(MANIFEST)
            assert manifest_file is not None
            raw = json.loads(manifest_file.read())
            manifest = Manifest(int(raw["format"]), str(raw["kind"]), str(raw["created_at"]),
                                [str(m) for m in raw["migrations"]])  # fmt: skip
            if manifest.format != FORMAT or manifest.kind not in DUMP:
                raise BackupError(f"{source}: backup format {manifest.format} is not known here.")
            member = DUMP[manifest.kind]
            if member not in names:
                raise BackupError(f"{source} has no {member}.")
            archive.extract(member, work, filter="data")
    except (tarfile.TarError, OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"{source} cannot be read as a backup: {exc}") from None
    return manifest


# SQLite ------------------------------------------------------------------------------


def _sqlite_path(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite://").split("?", 1)[0])


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
        live.backup(copy)  # a consistent copy while the service keeps writing
    copy.close()
    live.close()


def _sqlite_tables(path: Path) -> list[str]:
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    db.close()
    return [name for (name,) in rows if not name.startswith("sqlite_")]


def _sqlite_migrations(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute(f"SELECT name FROM {MIGRATIONS} ORDER BY id").fetchall()  # noqa: S608
    db.close()
    return [name for (name,) in rows]


# PostgreSQL --------------------------------------------------------------------------


def _libpq(database_url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries it (a password on
    a command line is visible to every user of the host)."""
    parts = urlsplit(database_url)
    env = {**os.environ}
    if parts.password:
        env["PGPASSWORD"] = unquote(parts.password)
    netloc = parts.hostname or ""
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    if parts.port:
        netloc += f":{parts.port}"
    return parts._replace(scheme="postgresql", netloc=netloc).geturl(), env


def _run_pg(
    command: list[str], database_url: str, *, database_flag: bool = False
) -> subprocess.CompletedProcess[str]:
    url, env = _libpq(database_url)
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(apt-get install postgresql-client), of the server's major version or newer."
        )
    argv = [tool, *command[1:], f"--dbname={url}"] if database_flag else [tool, *command[1:], url]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")
    return done


def _psql(database_url: str, sql: str) -> list[str]:
    done = _run_pg(["psql", "--no-psqlrc", "--tuples-only", "--no-align", "--quiet",
                    f"--command={sql}"], database_url, database_flag=True)  # fmt: skip
    return [line for line in done.stdout.splitlines() if line]


def _pg_tables(database_url: str) -> list[str]:
    return _psql(
        database_url,
        "SELECT tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    )


def _pg_migrations(database_url: str) -> list[str]:
    return _psql(database_url, f"SELECT name FROM {MIGRATIONS} ORDER BY id")  # noqa: S608
