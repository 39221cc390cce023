"""Verification codes a person can read aloud and type, and reading what they typed.

New codes are 20 Crockford base32 characters (100 random bits) printed in groups of
four: ``7KQ2-M9XD-4HTW-PB3N-QC5R``. The alphabet has no I, L, O or U, so what a person
types is read case-insensitively with the look-alikes folded (I and L are 1, O is 0)
and spaces and dashes ignored. Codes issued before (24 URL-safe characters,
case-sensitive) are kept as they were printed and still found.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 20  # 5 bits each: 100 bits
TYPED_MAX_LENGTH = 64
GROUP = 4
LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})
# What phones and word processors put in place of a typed dash or space.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
NEW_CODE = re.compile(rf"(?:[{ALPHABET}]{{{GROUP}}}-){{4}}[{ALPHABET}]{{{GROUP}}}")
OLD_CODE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# services._number_for(): prefix, year, sequence.
NUMBER = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*-[0-9]{4}-[0-9]{4,}")


def code_new() -> str:
    """A fresh code, grouped as it is printed and stored."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def _grouped(characters: str) -> str:
    return "-".join(
        characters[start : start + GROUP] for start in range(0, LENGTH, GROUP)
    )


def code_read(typed: str) -> str | None:
    """The new-style code a person meant, or None if what they typed cannot be one."""
    characters = SEPARATORS.sub("", typed).upper().translate(LOOK_ALIKES)
    if len(characters) != LENGTH or any(c not in ALPHABET for c in characters):
        return None
    return _grouped(characters)


def number_read(typed: str) -> str | None:
    """A certificate number as printed (``LSSO-SC-2024-0012``), whatever the case and
    with spaces for dashes; None if it cannot be one."""
    number = SEPARATORS.sub("-", typed.strip()).upper()
    return number if NUMBER.fullmatch(number) else None


def old_code_read(typed: str) -> str | None:
    """A code of the first format (case-sensitive, may hold ``_`` and ``-``)."""
    typed = typed.strip()
    return typed if OLD_CODE.fullmatch(typed) else None


def typed_for_address(typed: str) -> str | None:
    """What goes in the check page's address for what was typed: spaces become
    dashes, nothing else changes (an old code is case-sensitive); None if it is
    neither a code nor a number."""
    if len(typed) > TYPED_MAX_LENGTH:
        return None
    cleaned = re.sub(r"[\s\u2010-\u2015\u2212]+", "-", typed.strip())
    if code_read(cleaned) or number_read(cleaned) or old_code_read(cleaned):
        return cleaned
    return None
