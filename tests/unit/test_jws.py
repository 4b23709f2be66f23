"""The lean verifier (`service.security.jws`) beside PyJWT: the tokens of each kind we
sign, and forged or malformed ones, get the same verdict from both, except where the
verifier is stricter on purpose (a `nbf`, base64 padding), which is
tested as such."""

import base64
import json
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.security import jws
from service.security.tokens import (
    _CREDENTIALS,
    _ONLY_SIGNED,
    CARD_AUDIENCE,
    ISSUER,
    PRESENTATION_AUDIENCE,
)

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
AUDIENCE = "officer-cert:access"
ACCESS = jws.Checks(("exp", "iat", "sub", "iss"), (AUDIENCE,), ISSUER)

# Each kind of token: the checks `tokens` makes, PyJWT's arguments for the same checks,
# and the claims of a genuine token of the kind.
KINDS: dict[str, tuple[jws.Checks, dict[str, Any], dict[str, Any]]] = {
    "access": (
        ACCESS,
        {
            "audience": AUDIENCE,
            "issuer": ISSUER,
            "options": {"require": ["exp", "iat", "sub", "iss"], "verify_exp": False,
                        "verify_iat": False},
        },
        {"sub": "7", "role": "officer", "iss": ISSUER, "aud": AUDIENCE, "iat": 1, "exp": 2},
    ),
    "card": (
        _CREDENTIALS,
        {
            "audience": [CARD_AUDIENCE, PRESENTATION_AUDIENCE],
            "options": {"require": ["sub", "aud"], "verify_exp": False, "verify_iat": False},
        },
        {"sub": "粤A0001", "aud": CARD_AUDIENCE, "n": "张三"},
    ),
    "qr": (
        _ONLY_SIGNED,
        {"options": {"require": [], "verify_aud": False}},
        {"s": 12, "k": "i", "w": 99},
    ),
}  # fmt: skip


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def segment(value: Any) -> str:
    return b64(json.dumps(value, ensure_ascii=False).encode())


def signed(claims: Any, key: Ed25519PrivateKey = KEY, header: dict[str, Any] | None = None) -> str:
    head = segment(header or {"alg": "EdDSA", "kid": "k1"})
    body = segment(claims)
    return f"{head}.{body}.{b64(key.sign(f'{head}.{body}'.encode()))}"


def pyjwt_accepts(token: str, kwargs: dict[str, Any]) -> bool:
    try:
        jwt.decode(token, KEY.public_key(), algorithms=["EdDSA"], **kwargs)
    except jwt.PyJWTError:
        return False
    return True


def lean_accepts(token: str, checks: jws.Checks) -> bool:
    return jws.verified_claims(token, KEY.public_key(), checks) is not None


def public_bytes() -> bytes:
    return KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def altered_claims(token: str, claims: dict[str, Any]) -> str:
    head, _, rest = token.partition(".")
    return f"{head}.{segment({**claims, 'sub': '8'})}.{rest.rpartition('.')[2]}"


def flipped_signature(token: str) -> str:
    signature = bytearray(base64.urlsafe_b64decode(token.rpartition(".")[2] + "=="))
    signature[0] ^= 1
    return token.rpartition(".")[0] + "." + b64(bytes(signature))


# Forgeries and malformed tokens, made from a genuine token's claims.
FORGED: dict[str, Callable[[dict[str, Any]], str]] = {
    "genuine": lambda c: signed(c),
    "alg none": lambda c: f"{segment({'alg': 'none', 'kid': 'k1'})}.{segment(c)}.",
    "HS256 keyed with the public key": lambda c: jwt.encode(c, public_bytes(), algorithm="HS256"),
    "a foreign key": lambda c: signed(c, OTHER),
    "claims altered": lambda c: altered_claims(signed(c), c),
    "signature altered": lambda c: flipped_signature(signed(c)),
    "signature cut short": lambda c: signed(c)[:-4],
    "no signature": lambda c: signed(c).rpartition(".")[0] + ".",
    "two segments": lambda c: signed(c).rpartition(".")[0],
    "four segments": lambda c: signed(c) + "." + segment({}),
    "claims not an object": lambda c: signed([c]),
    "header alg HS256 over an Ed25519 signature": lambda c: signed(
        c, header={"alg": "HS256", "kid": "k1"}
    ),
    "sub a number": lambda c: signed({**c, "sub": 7}),
    "jti a number": lambda c: signed({**c, "jti": 7}),
    "empty": lambda c: "",
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("forgery", FORGED)
def test_the_verifier_and_pyjwt_agree_on_genuine_and_forged_tokens(kind: str, forgery: str) -> None:
    checks, kwargs, claims = KINDS[kind]
    token = FORGED[forgery](claims)
    assert lean_accepts(token, checks) is pyjwt_accepts(token, kwargs)
    assert lean_accepts(token, checks) is (forgery == "genuine")


@pytest.mark.parametrize(
    ("change", "accepted"),
    [
        ({"aud": "officer-cert:refresh"}, False),
        ({"aud": [AUDIENCE, "other"]}, True),
        ({"aud": ["other"]}, False),
        ({"aud": [AUDIENCE, 3]}, False),
        ({"aud": ""}, False),
        ({"aud": None}, False),
        ({"iss": "someone-else"}, False),
        ({"iss": None}, False),
        ({"exp": None}, False),
        ({"sub": None}, False),
        ({"iat": "yesterday"}, True),  # issue time is not checked, as PyJWT is told
    ],
)
def test_access_claims_are_judged_as_pyjwt_judges_them(
    change: dict[str, Any], accepted: bool
) -> None:
    _, kwargs, claims = KINDS["access"]
    token = signed({k: v for k, v in {**claims, **change}.items() if v is not None})
    assert pyjwt_accepts(token, kwargs) is accepted
    assert lean_accepts(token, ACCESS) is accepted


def test_a_presentation_audience_is_a_credential_and_a_status_list_is_not() -> None:
    _, kwargs, claims = KINDS["card"]
    for audience, accepted in ((PRESENTATION_AUDIENCE, True), ("status-list", False)):
        token = signed({**claims, "aud": audience})
        assert pyjwt_accepts(token, kwargs) is accepted
        assert lean_accepts(token, _CREDENTIALS) is accepted


def test_the_verifier_is_stricter_than_pyjwt_on_nbf_and_on_padding() -> None:
    _, kwargs, claims = KINDS["qr"]
    with_nbf = signed({**claims, "nbf": 1})  # we never sign one
    padded = signed(claims) + "=="  # PyJWT takes base64 padding, which JWS has none of
    for token in (with_nbf, padded):
        assert pyjwt_accepts(token, kwargs)
        assert not lean_accepts(token, _ONLY_SIGNED)


def test_the_header_is_read_only_as_a_json_object() -> None:
    assert jws.header(signed({"s": 1})) == {"alg": "EdDSA", "kid": "k1"}
    assert jws.header(segment([1]) + ".x.y") is None
    assert jws.header("%%%.x.y") is None
    assert jws.header("") is None
