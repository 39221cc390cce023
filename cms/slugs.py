"""Web addresses (slugs) for pages with Lao titles: Lao romanised to Latin letters.

A Lao slug cannot keep its vowels and tone marks: Wagtail's slug field and its page
URL pattern accept only letters and digits (``\\w``), not Lao's combining marks,
so ເງິນບໍານານ became ເງນບຳນານ; and a Lao address shared by chat or e-mail is
percent-encoded, nine characters per Lao letter. So a Lao title gives a short Latin
slug instead, spelled as Lao is usually romanised (ເງິນບໍານານ → ngoen-bam-nan), made
once when the page is created and kept when the title changes.
"""

import re
import unicodedata

from common.text import is_lao, normalise

MAX_LENGTH = 60
LAO_SLUG_PATTERN = "[\u0e80-\u0eff]"
# Runs of Lao, or of other letters and digits; anything else separates words.
_RUNS = re.compile(r"[\u0e80-\u0eff]+|[^\W\u0e80-\u0eff]+")

_INITIALS = {
    "ກ": "k", "ຂ": "kh", "ຄ": "kh", "ງ": "ng", "ຈ": "ch", "ສ": "s", "ຊ": "x",
    "ຍ": "ny", "ດ": "d", "ຕ": "t", "ຖ": "th", "ທ": "th", "ນ": "n", "ບ": "b",
    "ປ": "p", "ຜ": "ph", "ຝ": "f", "ພ": "ph", "ຟ": "f", "ມ": "m", "ຢ": "y",
    "ຣ": "r", "ລ": "l", "ວ": "v", "ຫ": "h", "ອ": "", "ຮ": "h",
}  # fmt: skip
_FINALS = {
    "ກ": "k", "ງ": "ng", "ຍ": "i", "ດ": "t", "ຕ": "t", "ນ": "n", "ບ": "p",
    "ປ": "p", "ມ": "m", "ວ": "o", "ສ": "t", "ຈ": "t", "ຊ": "t", "ລ": "n",
    "ຣ": "n", "ຟ": "p", "ພ": "p",
}  # fmt: skip
_SILENT_H_BEFORE = "ງຍນມລວຣ"  # ຫ before these only marks the tone
_CONSONANT = "[ກ-ຮ]"
_MARKS = "ະັາິີຶືຸູົໍຽ"
# Vowel forms around the initial consonant(s) "C", longest first, and whether a final
# consonant may follow.
_VOWELS = [
    ("ເCົາ", "ao", False), ("ເCືອ", "uea", True), ("ເCຶອ", "uea", True),
    ("ເCັຍ", "ia", False), ("ເCຍ", "ia", True), ("Cຽ", "ia", True),
    ("ເCາະ", "o", False), ("ເCີ", "oe", True), ("ເCິ", "oe", True),
    ("ເCະ", "e", False), ("ເCັ", "e", True), ("ເC", "e", True),
    ("ແCະ", "ae", False), ("ແCັ", "ae", True), ("ແC", "ae", True),
    ("ໂCະ", "o", False), ("ໂC", "o", True), ("ໄC", "ai", False),
    ("ໃC", "ai", False), ("Cົວ", "ua", False), ("Cວ", "ua", True),
    ("Cໍາ", "am", False), ("Cັອ", "o", True), ("Cອ", "o", True),
    ("Cໍ", "o", True), ("Cັຍ", "ai", False), ("Cະ", "a", False),
    ("Cັ", "a", True), ("Cາ", "a", True), ("Cິ", "i", True), ("Cີ", "i", True),
    ("Cຶ", "ue", True), ("Cື", "ue", True), ("Cຸ", "u", True), ("Cູ", "u", True),
    ("Cົ", "o", True), ("C", "o", True),
]  # fmt: skip
_INITIAL = f"(?:ຫ[{_SILENT_H_BEFORE}]|{_CONSONANT})(?:ວ(?=[າັ]))?"
# A final consonant is not followed by a vowel mark (it would be the next initial).
_FINAL = f"(?:{_CONSONANT}(?![{_MARKS}]|[ອວຍ](?:{_CONSONANT}|$)))?"


def _syllable(form: str, *, takes_final: bool) -> re.Pattern:
    before, after = form.split("C")
    if after[-1:] in ("ອ", "ວ", "ຍ"):
        after += f"(?![{_MARKS}])"  # followed by a vowel mark, it is the next initial
    final = f"(?P<final>{_FINAL})" if takes_final else ""
    return re.compile(f"{before}(?P<initial>{_INITIAL}){after}{final}")


_SYLLABLES = [
    (_syllable(form, takes_final=takes_final), vowel)
    for form, vowel, takes_final in _VOWELS
]


def _initial(letters: str) -> str:
    if letters.startswith("ຫ") and len(letters) > 1 and letters[1] in _SILENT_H_BEFORE:
        letters = letters[1:]
    return "".join(
        "w" if position and letter == "ວ" else _INITIALS.get(letter, "")
        for position, letter in enumerate(letters)
    )


def _syllables(text: str) -> list[str]:
    """The syllables of a run of Lao, each spelled in Latin letters."""
    # Tone marks and the cancellation mark are not written in romanised Lao.
    text = re.sub("[\u0ec8-\u0ecc]", "", normalise(text))
    latin = []
    position = 0
    while position < len(text):
        for pattern, vowel in _SYLLABLES:
            match = pattern.match(text, position)
            if match:
                final = _FINALS.get(match.groupdict().get("final") or "", "")
                latin.append(_initial(match["initial"]) + vowel + final)
                position = match.end()
                break
        else:
            position += 1  # a mark or sign on its own: nothing to spell
    return latin


def romanise(text: str) -> str:
    """Lao in ``text`` spelled in Latin letters, a hyphen between syllables (as Lao
    place names are often written: luang-pha-bang); other words kept, lower case."""
    spelled = []
    for run in _RUNS.findall(text):
        spelled.extend(_syllables(run) if is_lao(run) else [run.lower()])
    return "-".join(spelled)


def slug_from_title(title: str, *, max_length: int = MAX_LENGTH) -> str:
    """A short ASCII slug for ``title``: ``ເງິນບໍານານ 2024`` → ``ngoen-bam-nan-2024``,
    cut between syllables or words to at most ``max_length`` characters."""
    ascii_text = unicodedata.normalize("NFKD", romanise(title))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[: max_length + 1].rsplit("-", 1)[0] if "-" in slug else slug
        slug = slug[:max_length].strip("-")
    return slug


def page_slug(page) -> str:
    """The slug ``page`` should have: its own, unless it is Lao (or empty under a Lao
    title), then one romanised from the title, unique among the page's siblings."""
    if page.slug and not is_lao(page.slug):
        return page.slug
    title = page.title or ""
    source = title if is_lao(title) else page.slug
    base = slug_from_title(source) if source and is_lao(source) else ""
    if not base or not (page.path or getattr(page, "_cached_parent_obj", None)):
        # Not yet placed in the tree (an admin form being checked): wait until it is,
        # to make the slug unique among its siblings.
        return page.slug
    # Wagtail's own way to add "-2", "-3"… when a sibling has the slug.
    return page._get_autogenerated_slug(base)
