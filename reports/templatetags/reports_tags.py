from django import template
from django.utils.translation import get_language

from reports.sentences import number

register = template.Library()


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
