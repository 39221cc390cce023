"""A key that makes two spellings of the same name compare equal (phone numbers:
``common.phones``)."""

import re
import unicodedata

# Honorifics written before Lao names (Mr, Mrs/Ms, Miss) and their Latin equivalents.
LAO_HONORIFICS = ("ນາງສາວ", "ທ້າວ", "ທ່ານ", "ນາງ")
HONORIFICS = (*LAO_HONORIFICS, "ທ", "ນ", "mr", "mrs", "ms", "miss")


def name_key(name: str) -> str:
    """Case, spacing, honorifics and Unicode composition do not make a new name."""
    text = unicodedata.normalize("NFC", name).casefold()
    text = re.sub(r"[\s.,'’\-]+", " ", text).strip()
    words = text.split(" ")
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    first = words[0]
    for honorific in LAO_HONORIFICS:  # often written without a space: ທ້າວສົມພອນ
        if len(first) > len(honorific) and first.startswith(honorific):
            words[0] = first[len(honorific) :]
            break
    return "".join(words)
