"""Lao word breaking for the search index and for search queries.

Lao is written without spaces between words, so a full-text index (SQLite FTS5 or
PostgreSQL ``tsvector``) would see a whole sentence as one word. ICU's dictionary-based
Lao word breaker splits it; the index and the query are split the same way, so a word
inside a sentence is found.
"""

import threading

import icu

_local = threading.local()


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
    """``text`` with a space between every word, as the search index should see it."""
    return " ".join(words(text))
