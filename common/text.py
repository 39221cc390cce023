"""Lao text for the search index and for search queries.

Lao is written without spaces between words, so a full-text index (SQLite FTS5 or
PostgreSQL ``tsvector``) would see a whole sentence as one word. ICU's dictionary-based
Lao word breaker splits it into words (``words``), but a dictionary word can be a
compound (ປະກັນສັງຄົມ, ຄົວເຮືອນ) whose parts a visitor also searches for, and the
breaker may split the same letters differently in a query and in a sentence
(ອອກແຮງ|ງານ in a sentence, ແຮງງານ alone).

So Lao is indexed letter by letter: every Lao character cluster (a letter with its
vowel and tone marks) becomes one search term (``lao_term``), and a Lao query is a
*phrase* of those terms: ປະກັນ, ສັງຄົມ and ເຮືອນ are found inside ປະກັນສັງຄົມ and
ຄົວເຮືອນ, whatever the word breaker did. Terms are spelled in plain Latin letters
because the two databases cut Lao differently (FTS5's tokenizer splits at every vowel
and tone mark, PostgreSQL does not). See docs/materials-search.md.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

import icu

_local = threading.local()

LAO_BLOCK = (0x0E80, 0x0EFF)
_LAO = re.compile(r"[\u0e80-\u0eff]")
_LAO_OR_NOT = re.compile(r"[\u0e80-\u0eff]+|[^\u0e80-\u0eff]+")
_LAO_DIGITS = str.maketrans("໐໑໒໓໔໕໖໗໘໙", "0123456789")
# Letters a-p spell a code point's place in the Lao block (two per code point).
_DIGITS = "abcdefghijklmnop"


def _word_breaker() -> icu.BreakIterator:
    # A BreakIterator keeps state; one per thread.
    breaker = getattr(_local, "breaker", None)
    if breaker is None:
        breaker = icu.BreakIterator.createWordInstance(icu.Locale("lo"))
        _local.breaker = breaker
    return breaker


def words(text: str) -> list[str]:
    """The words of ``text`` (Lao, English or mixed), without spaces and punctuation."""
    if not text:
        return []
    # ICU counts in UTF-16 units: slice its own string, not the Python one.
    unicode_text = icu.UnicodeString(text)
    breaker = _word_breaker()
    breaker.setText(unicode_text)
    found = []
    start = breaker.first()
    for end in breaker:
        # Rule status 0 marks spaces and punctuation, anything else a word or number.
        if breaker.getRuleStatus() != 0:
            found.append(str(unicode_text[start:end]))
        start = end
    return found


def segment(text: str) -> str:
    """``text`` with a space between every word (as ICU's word breaker splits it)."""
    return " ".join(words(text))


def normalise(text: str) -> str:
    """One spelling for what Lao writes two ways: ຳ and ໍາ, ໜ and ຫນ (NFKC), ຫຼ and
    ຫລ, ໑໒ and 12."""
    text = unicodedata.normalize("NFKC", text).replace("\u0ebc", "\u0ea5")
    return text.translate(_LAO_DIGITS)


def is_lao(word: str) -> bool:
    return bool(_LAO.search(word))


def clusters(word: str) -> list[str]:
    """Lao character clusters: a letter with the vowel and tone marks written on it."""
    found: list[str] = []
    for character in word:
        if found and unicodedata.category(character) == "Mn":
            found[-1] += character
        else:
            found.append(character)
    return found


def lao_term(cluster: str) -> str:
    """A Lao cluster spelled as one plain-Latin search term ("l…x").

    Both databases keep a run of Latin letters as one term, and no English stemmer
    changes a word ending in "x". Characters outside the Lao block are kept as they are.
    """
    spelled = []
    for character in cluster:
        place = ord(character) - LAO_BLOCK[0]
        if 0 <= place <= LAO_BLOCK[1] - LAO_BLOCK[0]:
            spelled.append(_DIGITS[place // 16] + _DIGITS[place % 16])
        else:
            spelled.append(character.lower())
    return "l" + "".join(spelled) + "x"


def _pieces(word: str) -> list[tuple[bool, str]]:
    """A word cut into runs of Lao and of anything else: ``(is_lao, run)``."""
    return [(is_lao(run), run) for run in _LAO_OR_NOT.findall(word)]


def _lao_terms(run: str) -> list[str]:
    return [lao_term(cluster) for cluster in clusters(run)]


def index_text(text: str) -> str:
    """``text`` as the search index should see it: Lao as cluster terms, other words
    as they are, separated by spaces, in the order of the text."""
    terms: list[str] = []
    for word in words(normalise(text)):
        for lao, run in _pieces(word):
            terms.extend(_lao_terms(run) if lao else [run])
    return " ".join(terms)


@dataclass(frozen=True)
class QueryParts:
    """A search query as the index can answer it.

    ``phrases``: one per run of Lao in the query (the cluster terms, in order, that
    must follow each other in a material); ``words``: the other words.
    """

    phrases: tuple[str, ...]
    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.phrases or self.words)


def query_parts(query: str) -> QueryParts:
    """Split a visitor's query: Lao written without a space between forms one phrase,
    so ປະກັນສັງຄົມ is found as one piece and ປະກັນ ນາຍຈ້າງ as two."""
    phrases: list[str] = []
    other: list[str] = []
    for chunk in normalise(query).split():
        run: list[str] = []
        for word in words(chunk):
            for lao, piece in _pieces(word):
                if lao:
                    run.extend(_lao_terms(piece))
                    continue
                if run:
                    phrases.append(" ".join(run))
                    run = []
                other.append(piece)
        if run:
            phrases.append(" ".join(run))
    return QueryParts(
        phrases=tuple(dict.fromkeys(phrases)), words=tuple(dict.fromkeys(other))
    )
