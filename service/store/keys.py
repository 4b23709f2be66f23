"""The signing keys' rows (`signing_keys`): the key store every host reads."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from service.security.keys import SealedKey
from service.store.models import SigningKeyRecord


class DatabaseKeyStore:
    async def sealed_keys(self, ring: str) -> list[SealedKey]:
        rows = await SigningKeyRecord.filter(ring=ring).values_list("kid", "public_key", "sealed")
        return [
            SealedKey(ring=ring, kid=kid, public_key=bytes(public), sealed=bytes(sealed))
            for kid, public, sealed in rows
        ]

    async def add(self, key: SealedKey) -> bool:
        try:
            await SigningKeyRecord.create(
                ring=key.ring, kid=key.kid, public_key=key.public_key, sealed=key.sealed
            )
        except IntegrityError:
            return False
        return True
