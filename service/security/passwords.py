"""PBKDF2-SHA256 password hashes in the form Piccolo's BaseUser stores and checks:
`pbkdf2_sha256$<iterations>$<salt>$<hex digest>`, so the API and the admin accept the
same stored hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets

MIN_LENGTH = 8
MAX_LENGTH = 128  # BaseUser refuses longer ones; a cap also bounds the hashing cost


def hash_password(password: str, *, iterations: int, salt: str | None = None) -> str:
    if len(password) > MAX_LENGTH:
        raise ValueError("password too long")
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches `stored`; False for any malformed stored value."""
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256" or len(password) > MAX_LENGTH:
        return False
    _, iterations, salt, _digest = parts
    try:
        candidate = hash_password(password, iterations=int(iterations), salt=salt)
    except ValueError:
        return False
    return hmac.compare_digest(candidate, stored)


def password_problem(password: str, *, forbidden: tuple[str, ...] = ()) -> str | None:
    """Why a new password is unacceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"A password has at most {MAX_LENGTH} characters."
    if password.startswith("pbkdf2_sha256"):
        return "Send the password itself, not a hash."
    if any(password == word for word in forbidden if word):
        return "A password may not be the username or the ID number."
    return None
