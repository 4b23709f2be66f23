"""Upgrading from a release that kept signing keys and evidence under DATA_DIR: both are
moved into the database once, and what they signed or stored goes on working."""

from __future__ import annotations

import hashlib
from datetime import date

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.domain.hours import HourCategory
from service.store.models import EvidenceFile, ExternalClaim
from service.usecases import claims, legacy_state
from service.usecases.services import Services
from tests.usecases.conftest import County

PDF = b"%PDF-1.4\n% evidence kept on disk by release 0.1\n"


def write_pem(path, key: Ed25519PrivateKey) -> None:  # type: ignore[no-untyped-def]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


async def old_claim(officer_id: int, title: str, path: str, digest: str) -> ExternalClaim:
    """A claim as release 0.1 stored it: its evidence named by a path under DATA_DIR."""
    return await ExternalClaim.create(
        officer_id=officer_id,
        title=title,
        category=HourCategory.PROFESSIONAL,
        claimed_tenths=20,
        completed_on=date(2026, 5, 1),
        evidence_path=path,
        evidence_mime="application/pdf",
        evidence_sha256=digest,
    )


async def test_old_keys_and_evidence_move_into_the_database_once_and_keep_working(
    county: County,
) -> None:
    services = county.services
    settings = services.settings
    old_cards = Ed25519PrivateKey.generate()
    kids = ["0001-20250301-0a0b0c0d", "0002-20260101-1a1b1c1d"]
    write_pem(settings.legacy_keys_dir / "cards" / f"{kids[0]}.pem", Ed25519PrivateKey.generate())
    write_pem(settings.legacy_keys_dir / "cards" / f"{kids[1]}.pem", old_cards)
    write_pem(settings.legacy_keys_dir / "access" / "0001-20250301-2a2b2c2d.pem",
              Ed25519PrivateKey.generate())  # fmt: skip
    (settings.legacy_keys_dir / "cards" / ".lock").write_text("")
    card_signed_before = jwt.encode({"sub": "x", "aud": "card"}, old_cards, algorithm="EdDSA",
                                    headers={"kid": kids[1]})  # fmt: skip
    officer = await county.officer()
    digest = hashlib.sha256(PDF).hexdigest()
    relative = f"{digest[:2]}/{digest}.pdf"
    (settings.legacy_evidence_dir / digest[:2]).mkdir(parents=True)
    (settings.legacy_evidence_dir / relative).write_bytes(PDF)
    claim = await old_claim(officer.id, "旧系统的申报", relative, digest)
    missing = await old_claim(officer.id, "文件已丢失的申报", "ff/" + "f" * 64 + ".pdf", "f" * 64)

    done = await legacy_state.import_data_dir(services)

    assert (done.keys, done.evidence) == (3, 1)
    assert [p.split(":")[0] for p in done.problems] == [
        str(settings.legacy_evidence_dir / missing.evidence_path)
    ]
    assert not settings.legacy_keys_dir.exists() and not settings.legacy_evidence_dir.exists()
    assert (settings.data_dir / "keys.imported" / "cards" / f"{kids[1]}.pem").is_file()
    # The old ring's newest key goes on signing, and everything it signed still verifies.
    assert (await services.credentials.ring.current()).kid == kids[1]
    assert [k["kid"] for k in (await services.credentials.jwks())["keys"]] == kids
    assert (await services.credentials.verify(card_signed_before, now=services.now()))["sub"] == "x"
    content, mime, suffix = await claims.evidence_file(services, county.root, claim.id)
    assert (content, mime, suffix) == (PDF, "application/pdf", ".pdf")
    # Once: a later start finds nothing to import.
    again = await legacy_state.import_data_dir(services)
    assert not again.anything
    assert await EvidenceFile.all().count() == 1


async def test_a_second_host_with_the_same_kek_reads_the_imported_keys(county: County) -> None:
    services = county.services
    write_pem(services.settings.legacy_keys_dir / "checkin" / "0001-20250301-3a3b3c3d.pem",
              Ed25519PrivateKey.generate())  # fmt: skip
    await legacy_state.import_data_dir(services)
    other = Services.build(services.settings)
    assert (await other.checkin_tokens.ring.current()).kid == "0001-20250301-3a3b3c3d"
