"""Verifying a compact JWS of ours: Ed25519 only, the claims checked as PyJWT checks them.

`tokens` signs with PyJWT and verified with it too; this does the verifying in one pass
(a phone's first scan pays for it: the signature check is the only cryptography, the
rest was PyJWT's option handling). What it accepts is a subset of what
`jwt.decode(token, key, algorithms=["EdDSA"], ...)` accepts with the same checks
(`tests/unit/test_jws.py` holds the two side by side):

- exactly three base64url segments, without padding (which JWS has none of) or any
  other character;
- a header naming `alg: EdDSA` (the caller picked the key by its `kid`);
- the signature of the first two segments, by that key;
- a JSON object for the claims, with `sub` and `jti` strings where present, every
  required claim present and not null, and the audience and issuer asked for;
- no `nbf`: we never sign one, so a token that has one is not ours.

Expiry is the caller's, judged against the injected clock.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import msgspec
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALGORITHM = "EdDSA"
_COMPACT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
_SIGNATURE_BYTES = 64  # Ed25519
_decode = msgspec.json.Decoder()


@dataclass(frozen=True, slots=True)
class Checks:
    """What the claims must say besides the signature."""

    require: tuple[str, ...] = ()
    audience: Collection[str] | None = None  # one of them; None: the audience is not read
    issuer: str | None = None


def header(token: str) -> dict[str, Any] | None:
    """The header, read only to pick the key; None if it is not a JSON object."""
    value = _segment_json(token.partition(".")[0])
    return value if isinstance(value, dict) else None


def verified_claims(token: str, key: Ed25519PublicKey, checks: Checks) -> dict[str, Any] | None:
    """The claims if `key` signed the token and they pass `checks`; None if not."""
    if not _COMPACT.fullmatch(token):
        return None
    signed, _, signature_segment = token.rpartition(".")
    head_segment, _, claims_segment = signed.partition(".")
    head = _segment_json(head_segment)
    if not isinstance(head, dict) or head.get("alg") != ALGORITHM:
        return None
    signature = _segment(signature_segment)
    if signature is None or len(signature) != _SIGNATURE_BYTES:
        return None
    try:
        key.verify(signature, signed.encode("ascii"))
    except InvalidSignature:
        return None
    claims = _segment_json(claims_segment)
    if not isinstance(claims, dict) or not _hold(claims, checks):
        return None
    return claims


def _hold(claims: dict[str, Any], checks: Checks) -> bool:
    if "nbf" in claims:
        return False
    if any(claims.get(name) is None for name in checks.require):
        return False
    if any(name in claims and not isinstance(claims[name], str) for name in ("sub", "jti")):
        return False
    if checks.issuer is not None and claims.get("iss") != checks.issuer:
        return False
    if checks.audience is not None:
        named = claims.get("aud")
        names = [named] if isinstance(named, str) else named
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            return False
        if not any(n in checks.audience for n in names):
            return False
    return True


def _segment(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error):
        return None


def _segment_json(text: str) -> Any:
    raw = _segment(text)
    if raw is None:
        return None
    try:
        return _decode.decode(raw)
    except msgspec.DecodeError:
        return None
