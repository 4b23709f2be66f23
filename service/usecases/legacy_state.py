"""The one-time move of what releases before 0.2 kept on the app host's disk into the
database: the signing keys under `DATA_DIR/keys/<ring>/<kid>.pem` and the evidence files
under `DATA_DIR/evidence/`.

`serve` and `migrate` run it after the migrations. It is idempotent (a key is known by its
kid, a file by its SHA-256), and once everything is in, each directory is renamed
`<name>.imported`, so later starts do not read it again; the operator deletes it after a
backup. A file whose content no longer matches the SHA-256 its claim recorded is not taken.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from service.security.keys import read_pem_key
from service.store import evidence
from service.store.models import EvidenceFile, ExternalClaim
from service.usecases.services import Services

log = logging.getLogger(__name__)


@dataclass
class Imported:
    keys: int = 0
    evidence: int = 0
    problems: list[str] = field(default_factory=list)  # files left out, and why

    @property
    def anything(self) -> bool:
        return bool(self.keys or self.evidence or self.problems)


async def import_data_dir(services: Services) -> Imported:
    done = Imported()
    settings = services.settings
    keys_dir = settings.legacy_keys_dir
    if keys_dir.is_dir():
        for name, ring in services.key_rings.items():
            for path in sorted((keys_dir / name).glob("*.pem")):
                key = read_pem_key(path)
                if key is None:
                    done.problems.append(f"{path}: not a signing key of this service")
                elif await ring.adopt(key):
                    done.keys += 1
        _set_aside(keys_dir)
    evidence_dir = settings.legacy_evidence_dir
    if evidence_dir.is_dir():
        await _import_evidence(evidence_dir, done)
        _set_aside(evidence_dir)
    for problem in done.problems:
        log.warning("Not imported: %s", problem)
    return done


async def _import_evidence(directory: Path, done: Imported) -> None:
    stored = set(await EvidenceFile.all().values_list("sha256", flat=True))
    claims = ExternalClaim.all().values_list("evidence_sha256", "evidence_path", "evidence_mime")
    for digest, relative, mime in await claims:
        if digest in stored:
            continue
        content = await asyncio.to_thread(_read, directory, relative)
        if content is None:
            done.problems.append(f"{directory / relative}: no such evidence file")
        elif hashlib.sha256(content).hexdigest() != digest:
            done.problems.append(
                f"{directory / relative}: its content is not what the claim recorded"
            )
        else:
            await evidence.put(content, mime)
            stored.add(digest)
            done.evidence += 1


def _read(directory: Path, relative: str) -> bytes | None:
    """The file, if it is one inside `directory`."""
    path = (directory / relative).resolve()
    if directory.resolve() not in path.parents or not path.is_file():
        return None
    return path.read_bytes()


def _set_aside(directory: Path) -> None:
    target = directory.with_name(directory.name + ".imported")
    n = 1
    while target.exists():
        n += 1
        target = directory.with_name(f"{directory.name}.imported-{n}")
    directory.rename(target)
