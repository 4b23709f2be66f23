"""Signed JWTs with a pinned algorithm (EdDSA) and a `kid` naming the key.

The algorithm is never read from the token: PyJWT is told the one algorithm it may
accept, so `alg: none`, an HMAC token keyed with the public key, or a token signed by
a key outside the ring are all refused.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import jwt

from service.domain.errors import DomainError, Unauthenticated
from service.security.keys import KeyRing

ALGORITHM = "EdDSA"
ISSUER = "officer-cert"


def _auth_refusal(expired: bool) -> DomainError:
    if expired:
        return Unauthenticated("The token has expired.", code="auth.token_expired")
    return Unauthenticated("The token is not valid.", code="auth.invalid_token")


class TokenCodec:
    """`compact` tokens (for QR codes) carry only their claims, the key id and the pinned
    algorithm: no issuer, audience or times. Their key ring is their own, which keeps
    them apart from every other token, and the caller checks their freshness from the
    claims (a session QR names its time window)."""

    def __init__(
        self,
        ring: KeyRing,
        audience: str,
        *,
        compact: bool = False,
        refusal: Callable[[bool], DomainError] = _auth_refusal,
    ) -> None:
        self.ring = ring
        self.audience = audience
        self.compact = compact
        self.refusal = refusal

    def encode(self, claims: dict[str, Any], *, now: datetime, ttl: timedelta) -> str:
        key = self.ring.current()
        if self.compact:
            headers: dict[str, Any] = {"kid": key.kid, "typ": None}
            return jwt.encode(claims, key.private, algorithm=ALGORITHM, headers=headers)
        payload = {
            **claims,
            "iss": ISSUER,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int((now + ttl).timestamp()),
        }
        return jwt.encode(payload, key.private, algorithm=ALGORITHM, headers={"kid": key.kid})

    def decode(self, token: str, *, now: datetime) -> dict[str, Any]:
        """The verified claims, or the refusal (by default Unauthenticated
        `auth.token_expired` / `auth.invalid_token`)."""
        header = _header(token)
        if header is None:
            raise self.refusal(False)
        kid = header.get("kid")
        key = self.ring.get(kid) if isinstance(kid, str) else None
        if key is None or header.get("alg") != ALGORITHM:
            raise self.refusal(False)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.public,
                algorithms=[ALGORITHM],
                audience=None if self.compact else self.audience,
                issuer=None if self.compact else ISSUER,
                # Expiry is checked below against the injected clock, not the wall clock.
                options={
                    "require": [] if self.compact else ["exp", "iat", "sub", "iss"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_aud": not self.compact,
                },
            )
        except jwt.PyJWTError:
            raise self.refusal(False) from None
        if self.compact:
            return claims
        if not isinstance(claims["exp"], int) or claims["exp"] <= int(now.timestamp()):
            raise self.refusal(True)
        return claims


def _header(token: str) -> dict[str, Any] | None:
    """The header, read only to pick the key (PyJWT then checks everything, with the
    algorithm pinned). Cheaper than `jwt.get_unverified_header`, which validates the
    whole token once more before `jwt.decode` does."""
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (ValueError, binascii.Error):
        return None
    return header if isinstance(header, dict) else None
