"""ISO 7064 MOD 11-2: the check character of resident ID numbers and of our certificate numbers."""

from __future__ import annotations


def mod11_2(digits: str) -> str:
    """The check character ('0'-'9' or 'X') for a string of decimal digits."""
    if not digits.isascii() or not digits.isdigit():
        raise ValueError("mod11_2 takes decimal digits only")
    total = 0
    for digit in digits:
        total = (total + int(digit)) * 2 % 11
    value = (12 - total) % 11
    return "X" if value == 10 else str(value)
