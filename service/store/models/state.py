"""What once lived on an app host's disk, kept in the database so that every host shares it:
the signing keys (sealed) and the evidence files (content-addressed)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class SigningKeyRecord(Model):
    """A signing key of one ring, its private half sealed with the key-encryption key."""

    id = fields.IntField(primary_key=True)
    ring = fields.CharField(max_length=16)
    kid = fields.CharField(max_length=40)
    public_key = fields.BinaryField()  # raw Ed25519 public key (32 bytes), readable without the KEK
    sealed = fields.BinaryField()  # 12-byte nonce + ciphertext + tag of the PKCS#8 private key
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "signing_keys"
        unique_together = (("ring", "kid"),)


class EvidenceFile(Model):
    """An evidence file, stored once per content (its SHA-256) however many claims name it."""

    sha256 = fields.CharField(max_length=64, primary_key=True)
    media_type = fields.CharField(max_length=64)
    size = fields.IntField()
    content = fields.BinaryField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "evidence_files"
