from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from service.domain.errors import InvalidInput, Unauthenticated
from service.domain.training import checkin_refusal
from service.security.keys import (
    KeyEncryptionError,
    KeyRing,
    MemoryKeyStore,
    SealedKey,
    Sealer,
    decode_kek,
    default_kek,
)
from service.security.tokens import CompactCodec, TokenCodec

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEK = bytes(range(32))


@pytest.fixture
def store() -> MemoryKeyStore:
    return MemoryKeyStore()


def ring(store: MemoryKeyStore, name: str = "access", kek: bytes = KEK) -> KeyRing:
    return KeyRing(name, store, Sealer(kek))


@pytest.fixture
def codec(store: MemoryKeyStore) -> TokenCodec:
    return TokenCodec(ring(store), "officer-cert:access")


async def issue(codec: TokenCodec, ttl: timedelta = timedelta(minutes=15)) -> str:
    return await codec.encode({"sub": "7", "role": "bureau_admin"}, now=NOW, ttl=ttl)


async def test_round_trip_keeps_claims_and_names_the_key(codec: TokenCodec) -> None:
    token = await issue(codec)
    assert jwt.get_unverified_header(token)["kid"] == (await codec.ring.current()).kid
    assert (await codec.decode(token, now=NOW))["role"] == "bureau_admin"


async def test_a_stored_key_is_sealed_and_opens_only_with_its_kek_ring_and_kid(
    codec: TokenCodec, store: MemoryKeyStore
) -> None:
    key = await codec.ring.current()
    (stored,) = store.keys.values()
    raw = key.private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    assert raw not in stored.sealed
    with pytest.raises(KeyEncryptionError, match="KEY_ENCRYPTION_KEY"):
        Sealer(bytes(32)).open(stored)
    moved = SealedKey("cards", stored.kid, stored.public_key, stored.sealed)
    with pytest.raises(KeyEncryptionError):  # the ring is sealed in: a copied row does not open
        Sealer(KEK).open(moved)
    assert Sealer(KEK).open(stored).kid == key.kid


async def test_a_host_with_another_kek_refuses_to_start_on_the_ring(
    codec: TokenCodec, store: MemoryKeyStore
) -> None:
    await codec.ring.current()
    with pytest.raises(KeyEncryptionError):
        await ring(store, kek=bytes(32)).all()


def test_the_kek_is_32_bytes_of_base64() -> None:
    assert decode_kek("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n", "x") == KEK
    with pytest.raises(KeyEncryptionError, match="32 random bytes"):
        decode_kek("c2hvcnQ=", "KEY_ENCRYPTION_KEY")
    with pytest.raises(KeyEncryptionError, match="base64"):
        decode_kek("not base64!", "KEY_ENCRYPTION_KEY")


def test_the_default_kek_is_made_once_private_to_the_owner(tmp_path: Path) -> None:
    path = tmp_path / "data" / "key-encryption.key"
    first = default_kek(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert default_kek(path) == first and len(first) == 32
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


async def test_alg_none_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(await issue(codec), options={"verify_signature": False})
    unsigned = jwt.encode(
        claims, None, algorithm="none", headers={"kid": (await codec.ring.current()).kid}
    )
    with pytest.raises(Unauthenticated) as refused:
        await codec.decode(unsigned, now=NOW)
    assert refused.value.code == "auth.invalid_token"


async def test_hmac_token_keyed_with_the_public_key_is_refused(codec: TokenCodec) -> None:
    public_pem = (await codec.ring.current()).public.public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    claims = jwt.decode(await issue(codec), options={"verify_signature": False})
    confused = jwt.encode(
        claims, public_pem, algorithm="HS256", headers={"kid": (await codec.ring.current()).kid}
    )
    with pytest.raises(Unauthenticated):
        await codec.decode(confused, now=NOW)


async def test_token_signed_by_a_foreign_key_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(await issue(codec), options={"verify_signature": False})
    foreign = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": (await codec.ring.current()).kid},
    )
    with pytest.raises(Unauthenticated):
        await codec.decode(foreign, now=NOW)


async def test_unknown_kid_is_refused(codec: TokenCodec) -> None:
    claims = jwt.decode(await issue(codec), options={"verify_signature": False})
    other = jwt.encode(
        claims,
        Ed25519PrivateKey.generate(),
        algorithm="EdDSA",
        headers={"kid": "9999-20990101-ffffffff"},
    )
    with pytest.raises(Unauthenticated):
        await codec.decode(other, now=NOW)


async def test_expiry_follows_the_injected_clock(codec: TokenCodec) -> None:
    token = await issue(codec)
    assert await codec.decode(token, now=NOW + timedelta(minutes=14, seconds=59))
    with pytest.raises(Unauthenticated) as refused:
        await codec.decode(token, now=NOW + timedelta(minutes=15))
    assert refused.value.code == "auth.token_expired"


async def test_token_for_another_audience_is_refused(codec: TokenCodec) -> None:
    other = TokenCodec(codec.ring, "officer-cert:checkin")
    with pytest.raises(Unauthenticated):
        await codec.decode(
            await other.encode({"sub": "1"}, now=NOW, ttl=timedelta(minutes=1)), now=NOW
        )


async def test_rotation_signs_with_the_new_key_and_still_accepts_the_old(
    codec: TokenCodec, tmp_path: Path
) -> None:
    before = await issue(codec)
    new_key = await codec.ring.rotate()
    after = await issue(codec)
    assert (
        jwt.get_unverified_header(after)["kid"]
        == new_key.kid
        != jwt.get_unverified_header(before)["kid"]
    )
    assert await codec.decode(before, now=NOW) and await codec.decode(after, now=NOW)


async def test_keys_rotated_within_one_second_still_sign_newest_first(codec: TokenCodec) -> None:
    kids = [(await codec.ring.current()).kid] + [(await codec.ring.rotate()).kid for _ in range(5)]
    assert (await codec.ring.current()).kid == kids[-1]
    assert [key.kid for key in await codec.ring.all()] == kids


async def test_another_host_sees_a_rotated_key(codec: TokenCodec, store: MemoryKeyStore) -> None:
    await codec.ring.current()
    elsewhere = TokenCodec(ring(store), codec.audience)
    await elsewhere.ring.current()
    await codec.ring.rotate()
    assert await elsewhere.decode(await issue(codec), now=NOW)


async def test_unknown_kids_read_the_ring_at_most_once_a_second(
    codec: TokenCodec, store: MemoryKeyStore
) -> None:
    await codec.ring.current()
    reads = 0
    listed = store.sealed_keys

    async def counted(name: str) -> list[SealedKey]:
        nonlocal reads
        reads += 1
        return await listed(name)

    store.sealed_keys = counted  # type: ignore[method-assign]
    for n in range(20):
        assert await codec.ring.get(f"{9000 + n}-20990101-ffffffff") is None
    assert reads == 1


async def test_a_key_rotated_by_another_host_follows_the_newest_and_signs_here_soon(
    codec: TokenCodec, store: MemoryKeyStore
) -> None:
    first = await codec.ring.current()
    added = await ring(store).rotate()  # `officer-cert keys rotate`
    assert added.kid.split("-")[0] == "0002"
    assert (await codec.ring.current()).kid == first.kid  # not re-read on every signature
    codec.ring.refresh_seconds = 0.0
    assert (await codec.ring.current()).kid == added.kid
    assert [k.kid for k in await codec.ring.all()] == [first.kid, added.kid]


@pytest.fixture
def compact(store: MemoryKeyStore) -> CompactCodec:
    return CompactCodec(ring(store, "checkin"), checkin_refusal)


async def test_a_remembered_qr_token_does_not_let_an_altered_one_through(
    compact: CompactCodec,
) -> None:
    token = await compact.sign({"s": 1, "k": "i", "w": 100})
    assert await compact.verify(token) == {"s": 1, "k": "i", "w": 100}
    head, _, signature = token.split(".")
    forged_payload = jwt.utils.base64url_encode(b'{"s":2,"k":"i","w":100}').decode()
    with pytest.raises(InvalidInput) as refused:
        await compact.verify(f"{head}.{forged_payload}.{signature}")
    assert refused.value.code == "checkin.token_invalid"
    assert (await compact.verify(token))["s"] == 1


async def test_claims_of_a_remembered_qr_token_cannot_be_changed_by_a_caller(
    compact: CompactCodec,
) -> None:
    token = await compact.sign({"s": 1, "k": "i", "w": 100})
    (await compact.verify(token))["s"] = 99
    assert (await compact.verify(token))["s"] == 1


async def test_the_qr_token_memory_is_bounded(compact: CompactCodec) -> None:
    tokens = [
        await compact.sign({"s": n, "k": "i", "w": 1}) for n in range(compact.CACHE_SIZE + 10)
    ]
    for token in tokens:
        await compact.verify(token)
    assert len(compact._verified) == compact.CACHE_SIZE
    assert (await compact.verify(tokens[0]))["s"] == 0  # forgotten, so verified again


async def test_a_remembered_access_token_still_expires_and_cannot_be_altered(
    codec: TokenCodec,
) -> None:
    token = await issue(codec, ttl=timedelta(minutes=1))
    assert (await codec.decode(token, now=NOW))["sub"] == "7"  # verified, remembered
    (await codec.decode(token, now=NOW))["sub"] = "8"  # a caller's copy, not the memory
    assert (await codec.decode(token, now=NOW))["sub"] == "7"
    header, payload, signature = token.split(".")
    altered = f"{header}.{payload}.{signature[:-4]}AAAA"
    with pytest.raises(Unauthenticated) as refused:
        await codec.decode(altered, now=NOW)
    assert refused.value.code == "auth.invalid_token"
    with pytest.raises(Unauthenticated) as refused:
        await codec.decode(token, now=NOW + timedelta(minutes=1))
    assert refused.value.code == "auth.token_expired"


async def test_the_access_token_memory_is_bounded(codec: TokenCodec) -> None:
    codec.CACHE_SIZE = 3
    tokens = [
        await codec.encode({"sub": str(n)}, now=NOW, ttl=timedelta(minutes=5)) for n in range(5)
    ]
    for token in tokens:
        await codec.decode(token, now=NOW)
    assert list(codec._verified) == tokens[2:]
