"""Signed JWTs with a pinned algorithm (EdDSA) and a `kid` naming the key.

The algorithm is never read from the token: PyJWT is told the one algorithm it may
accept, so `alg: none`, an HMAC token keyed with the public key, or a token signed by
a key outside the ring are all refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import jwt

from service.domain.errors import Unauthenticated
from service.security.keys import KeyRing

ALGORITHM = "EdDSA"
ISSUER = "officer-cert"


class TokenCodec:
    def __init__(self, ring: KeyRing, audience: str) -> None:
        self.ring = ring
        self.audience = audience

    def encode(self, claims: dict[str, Any], *, now: datetime, ttl: timedelta) -> str:
        key = self.ring.current()
        payload = {
            **claims,
            "iss": ISSUER,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int((now + ttl).timestamp()),
        }
        return jwt.encode(payload, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})

    def decode(self, token: str, *, now: datetime) -> dict[str, Any]:
        """The verified claims, or Unauthenticated (`auth.token_expired` / `auth.invalid_token`)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _invalid() from None
        kid = header.get("kid")
        key = self.ring.get(kid) if isinstance(kid, str) else None
        if key is None or header.get("alg") != ALGORITHM:
            raise _invalid()
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=ISSUER,
                # Expiry is checked below against the injected clock, not the wall clock.
                options={
                    "require": ["exp", "iat", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise _invalid() from None
        if not isinstance(claims["exp"], int) or claims["exp"] <= int(now.timestamp()):
            raise Unauthenticated("The token has expired.", code="auth.token_expired")
        return claims


def _invalid() -> Unauthenticated:
    return Unauthenticated("The token is not valid.", code="auth.invalid_token")
