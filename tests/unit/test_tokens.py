from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.domain.errors import InvalidInput, Unauthenticated
from service.domain.training import checkin_refusal
from service.security.keys import KeyRing
from service.security.tokens import CompactCodec, TokenCodec

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def codec(tmp_path: Path) -> TokenCodec:
    return TokenCodec(KeyRing(tmp_path / "keys" / "access"), "officer-cert:access")


def issue(codec: TokenCodec, ttl: timedelta = timedelta(minutes=15)) -> str:
    return codec.encode({"sub": "7", "role": "bureau_admin"}, now=NOW, ttl=ttl)


def test_round_trip_keeps_claims_and_names_the_key(codec: TokenCodec) -> None:
    token = issue(codec)
    assert jwt.get_unverified_header(token)["kid"] == codec.ring.current().kid
    assert codec.decode(token, now=NOW)["role"] == "bureau_admin"


def test_keys_are_created_private_to_the_owner(codec: TokenCodec) -> None:
    codec.ring.current()
    (pem,) = codec.ring.directory.glob("*.pem")
    assert pem.stat().st_mode & 0o777 == 0o600


def test_alg_none_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(issue(codec), options={"verify_signature": False})
    unsigned = jwt.encode(claims, None, algorithm="none", headers={"kid": codec.ring.current().kid})
    with pytest.raises(Unauthenticated) as refused:
        codec.decode(unsigned, now=NOW)
    assert refused.value.code == "auth.invalid_token"


def test_hmac_token_keyed_with_the_public_key_is_refused(codec: TokenCodec) -> None:
    public_pem = codec.ring.current().public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    claims = jwt.decode(issue(codec), options={"verify_signature": False})
    confused = jwt.encode(
        claims, public_pem, algorithm="HS256", headers={"kid": codec.ring.current().kid}
    )
    with pytest.raises(Unauthenticated):
        codec.decode(confused, now=NOW)


def test_token_signed_by_a_foreign_key_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(issue(codec), options={"verify_signature": False})
    foreign = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": codec.ring.current().kid},
    )
    with pytest.raises(Unauthenticated):
        codec.decode(foreign, now=NOW)


def test_unknown_kid_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(issue(codec), options={"verify_signature": False})
    other = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": "9999-20990101-ffffffff"},
    )
    with pytest.raises(Unauthenticated):
        codec.decode(other, now=NOW)


def test_expiry_follows_the_injected_clock(codec: TokenCodec) -> None:
    token = issue(codec)
    assert codec.decode(token, now=NOW + timedelta(minutes=14, seconds=59))
    with pytest.raises(Unauthenticated) as refused:
        codec.decode(token, now=NOW + timedelta(minutes=15))
    assert refused.value.code == "auth.token_expired"


def test_token_for_another_audience_is_refused(codec: TokenCodec) -> None:
    other = TokenCodec(codec.ring, "officer-cert:checkin")
    with pytest.raises(Unauthenticated):
        codec.decode(other.encode({"sub": "1"}, now=NOW, ttl=timedelta(minutes=1)), now=NOW)


def test_rotation_signs_with_the_new_key_and_still_accepts_the_old(
    codec: TokenCodec, tmp_path: Path
) -> None:
    before = issue(codec)
    new_key = codec.ring.rotate()
    after = issue(codec)
    assert (
        jwt.get_unverified_header(after)["kid"]
        == new_key.kid
        != jwt.get_unverified_header(before)["kid"]
    )
    assert codec.decode(before, now=NOW) and codec.decode(after, now=NOW)


def test_keys_rotated_within_one_second_still_sign_newest_first(codec: TokenCodec) -> None:
    kids = [codec.ring.current().kid] + [codec.ring.rotate().kid for _ in range(5)]
    assert codec.ring.current().kid == kids[-1]
    assert [key.kid for key in codec.ring.all()] == kids


def test_another_process_sees_a_rotated_key(codec: TokenCodec) -> None:
    codec.ring.current()
    elsewhere = TokenCodec(KeyRing(codec.ring.directory), codec.audience)
    elsewhere.ring.current()
    codec.ring.rotate()
    assert elsewhere.decode(issue(codec), now=NOW)


def test_a_key_rotated_by_another_process_follows_the_newest_and_signs_here_soon(
    codec: TokenCodec, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = codec.ring.current()
    added = KeyRing(codec.ring.directory).rotate()  # `officer-cert keys rotate`
    assert added.kid.split("-")[0] == "0002"
    assert codec.ring.current().kid == first.kid  # not re-read on every signature
    monkeypatch.setattr(KeyRing, "RELOAD_SECONDS", 0.0)
    assert codec.ring.current().kid == added.kid
    assert [k.kid for k in codec.ring.all()] == [first.kid, added.kid]


@pytest.fixture
def compact(tmp_path: Path) -> CompactCodec:
    return CompactCodec(KeyRing(tmp_path / "keys" / "checkin"), checkin_refusal)


def test_a_remembered_qr_token_does_not_let_an_altered_one_through(
    compact: CompactCodec,
) -> None:
    token = compact.sign({"s": 1, "k": "i", "w": 100})
    assert compact.verify(token) == {"s": 1, "k": "i", "w": 100}
    head, _, signature = token.split(".")
    forged_payload = jwt.utils.base64url_encode(b'{"s":2,"k":"i","w":100}').decode()
    with pytest.raises(InvalidInput) as refused:
        compact.verify(f"{head}.{forged_payload}.{signature}")
    assert refused.value.code == "checkin.token_invalid"
    assert compact.verify(token)["s"] == 1


def test_claims_of_a_remembered_qr_token_cannot_be_changed_by_a_caller(
    compact: CompactCodec,
) -> None:
    token = compact.sign({"s": 1, "k": "i", "w": 100})
    compact.verify(token)["s"] = 99
    assert compact.verify(token)["s"] == 1


def test_the_qr_token_memory_is_bounded(compact: CompactCodec) -> None:
    tokens = [compact.sign({"s": n, "k": "i", "w": 1}) for n in range(compact.CACHE_SIZE + 10)]
    for token in tokens:
        compact.verify(token)
    assert len(compact._verified) == compact.CACHE_SIZE
    assert compact.verify(tokens[0])["s"] == 0  # forgotten, so verified again
