"""`backup FILE` and `restore FILE`: the whole service in one archive, and back."""

from __future__ import annotations

from pathlib import Path

import click

import migrations
from service.cli.runtime import console, settings, where
from service.store.backups import BackupError, Manifest, backup, restore


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(file: Path) -> None:
    """Write the database (with the signing keys and evidence) to FILE, consistently, while
    the service runs. The key-encryption key is not in it: keep that apart."""
    current = settings()
    try:
        with console.status(f"Backing up {where(current.database_url)}..."):
            manifest = backup(current.database_url, file)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    console.print(
        f"[green]Backed up to {file}[/] ({file.stat().st_size:,} bytes, {manifest.kind}, "
        f"{len(manifest.migrations)} migrations applied)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(file: Path) -> None:
    """Load a backup into the empty database DATABASE_URL names. Start the service with
    the key-encryption key of the backed-up one; `serve` then migrates it to this release."""
    current = settings()
    try:
        with console.status(f"Restoring into {where(current.database_url)}..."):
            manifest = restore(current.database_url, file, check=_known_here)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    console.print(
        f"[green]Restored {file}[/] (made {manifest.created_at}) into "
        f"{where(current.database_url)}. Run `officer-cert migrate` or `serve` next."
    )


def _known_here(manifest: Manifest) -> None:
    ours = {path.stem for path in Path(migrations.__file__).parent.glob("0*.py")}
    newer = [name for name in manifest.migrations if name not in ours]
    if newer:
        raise BackupError(
            f"The backup was made by a newer release (migrations {', '.join(newer)} are not "
            "known here): restore it with that release or a later one."
        )
