"""The public view's rules: the status list encoding (W3C Bitstring Status List) and which
statuses set which bit; the in-process store the public endpoints use without Redis."""

from __future__ import annotations

import base64
import gzip

import pytest

from service.domain.certificates import CertificateStatus
from service.domain.errors import InvalidInput
from service.domain.public import (
    MIN_BITS,
    StatusPurpose,
    bit_is_set,
    bitstring_size,
    decode_bitstring,
    encode_bitstring,
    status_bits,
)
from service.store.cache import LocalStore


def test_bitstring_is_gzip_base64url_multibase_with_index_zero_leftmost() -> None:
    encoded = encode_bitstring([0, 9])
    assert encoded.startswith("u") and "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=="))
    assert len(raw) * 8 == MIN_BITS == 131_072
    assert raw[:2] == bytes([0b1000_0000, 0b0100_0000])
    assert decode_bitstring(encoded) == raw


def test_bitstring_grows_past_the_minimum_in_whole_bytes() -> None:
    assert bitstring_size(10) == MIN_BITS
    assert bitstring_size(MIN_BITS + 1) == MIN_BITS + 8
    bits = decode_bitstring(encode_bitstring([MIN_BITS + 3]))
    assert bit_is_set(bits, MIN_BITS + 3)
    assert not bit_is_set(bits, MIN_BITS + 2)


def test_reading_outside_the_list_or_a_foreign_encoding_is_refused() -> None:
    bits = decode_bitstring(encode_bitstring([]))
    with pytest.raises(InvalidInput) as outside:
        bit_is_set(bits, MIN_BITS)
    assert outside.value.code == "status_list.bad_index"
    with pytest.raises(InvalidInput):
        decode_bitstring("zQmNotMultibaseBase64url")
    with pytest.raises(InvalidInput):
        decode_bitstring("uAAAA")


@pytest.mark.parametrize(
    ("status", "bits"),
    [
        (CertificateStatus.ACTIVE, set()),
        (CertificateStatus.SUSPENDED, {StatusPurpose.SUSPENSION}),
        (CertificateStatus.REVOKED, {StatusPurpose.REVOCATION}),
        (CertificateStatus.CANCELLED, {StatusPurpose.REVOCATION}),
        (CertificateStatus.VOID, {StatusPurpose.REVOCATION}),
        (CertificateStatus.EXPIRED, set()),  # the signed validity says so already
    ],
)
def test_each_status_sets_its_bits(status: CertificateStatus, bits: set[StatusPurpose]) -> None:
    assert status_bits(status) == bits


async def test_local_store_forgets_expired_entries_and_sweeps_as_it_grows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = [1_000.0]
    monkeypatch.setattr("service.store.cache.time.monotonic", lambda: clock[0])
    store = LocalStore()
    await store.set("kept", "forever")
    await store.set("brief", b"x", expires_in=5)
    assert await store.get("brief") == b"x"
    assert await store.expires_in("brief") == 5
    clock[0] += 5
    assert await store.get("brief") is None
    for minute in range(6):  # a thousand one-off clients a minute, each kept 60 s
        for n in range(1_000):
            await store.set(f"client-{minute}-{n}", b"1", expires_in=60)
        clock[0] += 61
    assert len(store) <= 2 * 1_000 + 2  # without sweeping it would hold 6,000
    assert await store.get("kept") == b"forever"
