"""Signed JWTs with a pinned algorithm (EdDSA) and a `kid` naming the key.

PyJWT signs. The verifier (`jws`) accepts the one algorithm and the keys of the ring the
`kid` names, so `alg: none`, an HMAC token keyed with the public key, or a token signed
by a key outside the ring are all refused.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import jwt

from service.domain.errors import DomainError, Unauthenticated
from service.security import jws
from service.security.keys import KeyRing

ALGORITHM = jws.ALGORITHM
ISSUER = "officer-cert"


def _auth_refusal(expired: bool) -> DomainError:
    if expired:
        return Unauthenticated("The token has expired.", code="auth.token_expired")
    return Unauthenticated("The token is not valid.", code="auth.invalid_token")


class _Signed:
    """Signing with the ring's current key; verifying with the key the `kid` names and
    the one pinned algorithm."""

    def __init__(self, ring: KeyRing, refusal: Callable[[bool], DomainError]) -> None:
        self.ring = ring
        self.refusal = refusal

    async def _sign(
        self,
        payload: dict[str, Any],
        headers: dict[str, Any],
        json_encoder: type[json.JSONEncoder] | None = None,
    ) -> str:
        key = await self.ring.current()
        return jwt.encode(
            payload,
            key.private,
            algorithm=ALGORITHM,
            headers={**headers, "kid": key.kid},
            json_encoder=json_encoder,
        )

    async def _verify(self, token: str, checks: jws.Checks) -> dict[str, Any]:
        header = jws.header(token)
        kid = header.get("kid") if header else None
        key = await self.ring.get(kid) if isinstance(kid, str) else None
        claims = jws.verified_claims(token, key.public, checks) if key is not None else None
        if claims is None:
            raise self.refusal(False)
        return claims


class TokenCodec(_Signed):
    """Tokens with issuer, audience, issue time and expiry (access tokens).

    A phone sends its access token with every request: the verdict on its signature,
    issuer and audience is remembered (only for genuine tokens, at most `CACHE_SIZE`,
    the least recently used dropped), so a repeated token costs a dictionary read. A key
    never leaves its ring, so a remembered verdict stays true; the expiry is checked
    again on every use, and whether the login still holds is not this codec's to say
    (`login_sessions`)."""

    CACHE_SIZE = 20_000

    def __init__(
        self,
        ring: KeyRing,
        audience: str,
        *,
        refusal: Callable[[bool], DomainError] = _auth_refusal,
    ) -> None:
        super().__init__(ring, refusal)
        self.audience = audience
        self._checks = jws.Checks(("exp", "iat", "sub", "iss"), (audience,), ISSUER)
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()

    async def encode(self, claims: dict[str, Any], *, now: datetime, ttl: timedelta) -> str:
        payload = {
            **claims,
            "iss": ISSUER,
            "aud": self.audience,
            "iat": int(now.timestamp()),
            "exp": int((now + ttl).timestamp()),
        }
        return await self._sign(payload, {})

    async def decode(self, token: str, *, now: datetime) -> dict[str, Any]:
        """The verified claims, or the refusal (by default Unauthenticated
        `auth.token_expired` / `auth.invalid_token`)."""
        claims = self._verified.get(token)
        if claims is None:
            # Expiry is checked below against the injected clock, not the wall clock.
            claims = await self._verify(token, self._checks)
            if not isinstance(claims["exp"], int):
                raise self.refusal(True)
            self._verified[token] = claims
            if len(self._verified) > self.CACHE_SIZE:
                self._verified.popitem(last=False)
        else:
            self._verified.move_to_end(token)
        if claims["exp"] <= int(now.timestamp()):
            self._verified.pop(token, None)
            raise self.refusal(True)
        return dict(claims)


class CompactCodec(_Signed):
    """Tokens for QR codes: only their claims, the key id and the pinned algorithm; no
    issuer, audience or times. Their key ring is their own, which keeps them apart from
    every other token, and the caller judges their freshness from the claims (a session
    QR names its time window, a pending scan its time)."""

    # A whole room scans the same QR within its window: its signature is checked once.
    # Only genuine tokens are remembered, and a key never leaves its ring, so a
    # remembered verdict stays true; the caller still judges freshness on every scan.
    CACHE_SIZE = 256

    def __init__(self, ring: KeyRing, refusal: Callable[[bool], DomainError]) -> None:
        super().__init__(ring, refusal)
        self._verified: OrderedDict[str, dict[str, Any]] = OrderedDict()

    async def sign(self, claims: dict[str, Any]) -> str:
        return await self._sign(claims, {"typ": None})

    async def verify(self, token: str) -> dict[str, Any]:
        """The verified claims, or the refusal for a forged or foreign token."""
        claims = self._verified.get(token)
        if claims is None:
            claims = await self._verify(token, _ONLY_SIGNED)
            self._verified[token] = claims
            if len(self._verified) > self.CACHE_SIZE:
                self._verified.popitem(last=False)
        return dict(claims)


class _Utf8Json(json.JSONEncoder):
    """Chinese text as UTF-8 rather than `\\uXXXX` escapes: a third of the bytes, so a
    smaller QR code. (The JWT is still ASCII: its parts are base64url.)"""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{**kwargs, "ensure_ascii": False})


# Short: the card's QR holds the whole token, and a shorter one prints with larger modules.
CARD_AUDIENCE = "card"
PRESENTATION_AUDIENCE = "presentation"
STATUS_LIST_AUDIENCE = "status-list"  # never accepted as a card
_CREDENTIALS = jws.Checks(("sub", "aud"), (CARD_AUDIENCE, PRESENTATION_AUDIENCE))
_ONLY_SIGNED = jws.Checks()  # a QR's token: its claims are judged by the caller


class CredentialCodec(_Signed):
    """The tokens a verifier reads off a QR code: the printed card's (no expiry; its
    validity and the live status say whether it is in force) and the officer's 5-minute
    presentation QR (亮证), plus the signed status list. Anyone can check them with the
    published JWKS; the keys are their own ring, so these public keys verify nothing
    else. The issuer is the site the QR opens (`{PUBLIC_BASE_URL}/v/...`), so the token
    does not repeat it, and the audience names the kind of token."""

    async def card(self, claims: dict[str, Any]) -> str:
        return await self._sign({"aud": CARD_AUDIENCE, **claims}, {"typ": None}, _Utf8Json)

    async def presentation(self, claims: dict[str, Any], *, now: datetime, ttl: timedelta) -> str:
        return await self._sign(
            _timed(PRESENTATION_AUDIENCE, claims, now, ttl), {"typ": None}, _Utf8Json
        )

    async def status_list(self, claims: dict[str, Any], *, now: datetime, ttl: timedelta) -> str:
        return await self._sign(_timed(STATUS_LIST_AUDIENCE, claims, now, ttl), {"typ": "JWT"})

    async def verify(self, token: str, *, now: datetime) -> dict[str, Any]:
        """The claims of a genuine card or presentation token; the refusal for a forged,
        altered or foreign one, or for a presentation token past its expiry (judged by
        the injected clock)."""
        claims = await self._verify(token, _CREDENTIALS)
        if claims["aud"] == PRESENTATION_AUDIENCE:
            expires = claims.get("exp")
            if not isinstance(expires, int):
                raise self.refusal(False)
            if expires <= int(now.timestamp()):
                raise self.refusal(True)
        return claims

    async def jwks(self) -> dict[str, Any]:
        """Every public key of the ring, newest last: a card signed before a rotation
        keeps verifying."""
        keys = []
        for key in await self.ring.all():
            jwk = jwt.algorithms.OKPAlgorithm.to_jwk(key.public, as_dict=True)
            keys.append({**jwk, "kid": key.kid, "alg": ALGORITHM, "use": "sig"})
        return {"keys": keys}


def _timed(audience: str, claims: dict[str, Any], now: datetime, ttl: timedelta) -> dict[str, Any]:
    issued = int(now.timestamp())
    return {"aud": audience, **claims, "iat": issued, "exp": issued + int(ttl.total_seconds())}
