"""Check an enforcement certificate's QR code offline (行政执法证离线核验).

    python examples/verify_offline.py QR_TEXT --jwks jwks.json --status-list status-list.json

QR_TEXT is what the card's QR (or an officer's presentation QR) says, e.g.
`https://zfz.example.gov.cn/v/eyJ...`, or just the token after `/v/`. Fetch the two files
while online, from the same site:

    curl -o jwks.json        https://zfz.example.gov.cn/.well-known/jwks.json
    curl -o status-list.json https://zfz.example.gov.cn/api/v1/public/status-list

The check needs nothing else: the token's Ed25519 signature is verified against the
published keys with PyJWT (the algorithm pinned to EdDSA), and the certificate's bit is
read from the signed status list (W3C Bitstring Status List: GZIP, base64url, multibase
`u`, first index = left-most bit). Exit status 0 means genuine and in force; 1 means not
genuine, not in force, or the status list is too old to tell; 2 means bad usage.

Only PyJWT and cryptography are needed (pip install "pyjwt[crypto]").
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import jwt

CARD, PRESENTATION, STATUS_LIST = "card", "presentation", "status-list"


def verify_token(token: str, jwks: dict[str, Any], audience: str | list[str]) -> dict[str, Any]:
    """The claims, if the token is signed by a published key; raises jwt.PyJWTError."""
    kid = jwt.get_unverified_header(token).get("kid")
    for published in jwks.get("keys", []):
        if published.get("kid") == kid:
            key = jwt.PyJWK(published, algorithm="EdDSA").key
            return jwt.decode(token, key, algorithms=["EdDSA"], audience=audience)
    raise jwt.InvalidKeyError(f"no published key has kid {kid!r}")


def bit(encoded: str, index: int) -> bool:
    if not encoded.startswith("u"):
        raise ValueError("a status list starts with the multibase prefix u")
    body = encoded[1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"status index {index} is outside the list")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def check(
    qr_text: str, jwks: dict[str, Any], status_list: dict[str, Any], today: date
) -> tuple[bool, str]:
    """(in force, what to tell the person checking)."""
    token = qr_text.strip().rsplit("/v/", 1)[-1]
    try:
        card = verify_token(token, jwks, [CARD, PRESENTATION])
    except jwt.ExpiredSignatureError:
        return False, "亮证二维码已过期，请重新出示 (presentation QR expired)"
    except jwt.PyJWTError as exc:
        return False, f"不是真实的行政执法证 (not genuine: {exc})"
    try:
        lists = verify_token(status_list["jwt"], jwks, STATUS_LIST)
    except jwt.ExpiredSignatureError:
        return False, "状态列表已过期，请联网更新后再核验 (status list too old: fetch it again)"
    except (jwt.PyJWTError, KeyError) as exc:
        return False, f"状态列表无效 (status list not genuine: {exc})"
    who = f"{card['name']}，{card['agency']}，证号 {card['sub']}"
    index = card["status_index"]
    if bit(lists["revocation"], index):
        return False, f"已吊销或注销 (revoked): {who}"
    if bit(lists["suspension"], index):
        return False, f"暂扣 (suspended): {who}"
    if card.get("valid_until") and date.fromisoformat(card["valid_until"]) < today:
        return False, f"已过期 (expired {card['valid_until']}): {who}"
    return True, f"有效 (valid until {card['valid_until']}): {who}"


def main() -> int:
    parser = argparse.ArgumentParser(description="Verify a certificate QR offline.")
    parser.add_argument("qr_text", help="the QR's text: the /v/ URL or its token")
    parser.add_argument("--jwks", type=Path, required=True)
    parser.add_argument("--status-list", type=Path, required=True)
    parser.add_argument("--today", type=date.fromisoformat, default=date.today())
    args = parser.parse_args()
    try:
        jwks = json.loads(args.jwks.read_text(encoding="utf-8"))
        status_list = json.loads(args.status_list.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read the files: {exc}", file=sys.stderr)
        return 2
    ok, message = check(args.qr_text, jwks, status_list, args.today)
    print(message)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
