from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from reports.results import place_label
from reports.results import results_headers as _results_headers
from reports.sentences import number

register = template.Library()

# The tables whose rows are places (see Report.charts): their names never wrap inside.
PLACE_TABLES = {"province", "district", "turnout", "registrations"}


@register.filter
def report_number(value) -> str:
    """A count written as every page writes numbers (1,240)."""
    return number(value)


@register.filter
def sentence_in_language(sentences: dict) -> str:
    """The sentence in the active language (Lao unless English is chosen)."""
    return sentences.get(get_language()) or sentences.get("lo", "")


@register.filter
def percent(rate) -> str:
    """A share (0.22) as a whole percentage written in the active language (22 %)."""
    return f"{number(round(100 * rate))} %"


@register.filter
def keep_words(text) -> str:
    """``text`` that a line may break only at its spaces: Lao writes no spaces
    between words, so the browser would otherwise break a name (ເມືອງປາກຊ່ອງ) between
    any two syllables. Each word goes in a span that static/css/admin-reports.css
    keeps on one line."""
    words = str(text).split()
    return format_html(
        '<span class="suksa-words">{}</span>',
        format_html_join(" ", "<span>{}</span>", ((word,) for word in words)),
    )


@register.filter
def lists_places(key: str) -> bool:
    """Whether the table ``key`` of the Reports page has a place on each row."""
    return key in PLACE_TABLES


@register.filter
def results_place(result) -> str:
    """Where a line of the results table counts ("Paksong district"), if not
    everywhere."""
    return place_label(result)


@register.simple_tag
def results_headers() -> list[str]:
    return _results_headers()
