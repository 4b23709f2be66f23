"""What the public may see of a certificate, and the status list an offline verifier reads.

The status list follows the W3C Bitstring Status List: one bit per issued certificate at
the certificate's fixed `status_index`, the first index being the left-most bit; the
bitstring is at least 131,072 bits (16 KB, so one holder's bit hides among many), GZIP
compressed, base64url-encoded without padding, with the multibase prefix `u`.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable
from enum import StrEnum

from service.domain.certificates import CertificateStatus
from service.domain.errors import InvalidInput

MIN_BITS = 131_072


class StatusPurpose(StrEnum):
    REVOCATION = "revocation"  # ended before its validity: revoked, cancelled or void
    SUSPENSION = "suspension"  # suspended now; the bit clears on reinstatement


_REVOKED = frozenset(
    {CertificateStatus.REVOKED, CertificateStatus.CANCELLED, CertificateStatus.VOID}
)


def status_bits(status: CertificateStatus) -> set[StatusPurpose]:
    """The bits set for a certificate in this (effective) status. An expired certificate
    sets none: its validity, inside the signed card, already says so."""
    if status in _REVOKED:
        return {StatusPurpose.REVOCATION}
    if status is CertificateStatus.SUSPENDED:
        return {StatusPurpose.SUSPENSION}
    return set()


def bitstring_size(entries: int) -> int:
    """The bits of a list with room for `entries` indexes: at least MIN_BITS, whole bytes."""
    return (max(entries, MIN_BITS) + 7) // 8 * 8


def encode_bitstring(indexes: Iterable[int], entries: int = 0) -> str:
    """The multibase string of a bitstring of `bitstring_size(entries)` bits with the
    bits at `indexes` set."""
    wanted = list(indexes)
    raw = bytearray(bitstring_size(max(entries, max(wanted, default=-1) + 1)) // 8)
    for index in wanted:
        if index < 0:
            raise ValueError(f"negative status index {index}")
        raw[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decode_bitstring(encoded: str) -> bytes:
    """The bitstring back from its multibase form. Raises InvalidInput."""
    if not encoded.startswith("u"):
        raise InvalidInput(
            "A status list starts with the multibase prefix u.", code="status_list.bad"
        )
    body = encoded[1:]
    try:
        return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError):
        raise InvalidInput(
            "The status list is not a compressed bitstring.", code="status_list.bad"
        ) from None


def bit_is_set(bitstring: bytes, index: int) -> bool:
    if not 0 <= index < len(bitstring) * 8:
        raise InvalidInput(
            f"Status index {index} is outside the list of {len(bitstring) * 8} bits.",
            code="status_list.bad_index",
        )
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


STATUS_LABELS_EN = {
    CertificateStatus.PENDING: "Application pending",
    CertificateStatus.ACTIVE: "Valid",
    CertificateStatus.SUSPENDED: "Suspended",
    CertificateStatus.REVOKED: "Revoked",
    CertificateStatus.CANCELLED: "Cancelled",
    CertificateStatus.EXPIRED: "Expired",
    CertificateStatus.VOID: "Void (replaced)",
}

# The colour a page shows a status in: green only for a certificate in force.
STATUS_TONES = {
    CertificateStatus.PENDING: "grey",
    CertificateStatus.ACTIVE: "green",
    CertificateStatus.SUSPENDED: "amber",
    CertificateStatus.REVOKED: "red",
    CertificateStatus.CANCELLED: "grey",
    CertificateStatus.EXPIRED: "grey",
    CertificateStatus.VOID: "red",
}
