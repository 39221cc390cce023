"""Ready-made sentences for donor reports, in English and Lao, from the same numbers.

Numbers are written as everywhere else (``common.numbers.number``): 1,240 in both.
"""

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.numbers import number
from people.counts import GenderCounts


def _gender_list(counts: GenderCounts) -> str:
    """ "11 women and 15 men"; other and not recorded only when there are any."""
    parts = [
        ngettext("%(n)s woman", "%(n)s women", counts.women)
        % {"n": number(counts.women)},
        ngettext("%(n)s man", "%(n)s men", counts.men) % {"n": number(counts.men)},
    ]
    if counts.other:
        parts.append(_("%(n)s other") % {"n": number(counts.other)})
    if counts.not_recorded:
        parts.append(_("%(n)s not recorded") % {"n": number(counts.not_recorded)})
    return _("%(list)s and %(last)s") % {
        "list": ", ".join(parts[:-1]),
        "last": parts[-1],
    }


def trained_sentence(counts: GenderCounts) -> str:
    return ngettext(
        "%(total)s person was trained (%(genders)s).",
        "%(total)s people were trained (%(genders)s).",
        counts.total,
    ) % {"total": number(counts.total), "genders": _gender_list(counts)}


def tot_sentence(*, graduates: GenderCounts, reach: GenderCounts) -> str:
    return _(
        "%(graduates)s people completed a Training of Trainers (%(genders)s); "
        "they and those they trained went on to train %(reach)s more people "
        "(%(reach_genders)s)."
    ) % {
        "graduates": number(graduates.total),
        "genders": _gender_list(graduates),
        "reach": number(reach.total),
        "reach_genders": _gender_list(reach),
    }


def registration_sentence(*, turnout: GenderCounts, registered: GenderCounts) -> str:
    rate = round(100 * registered.total / turnout.total) if turnout.total else 0
    return _(
        "%(rate)s %% of the %(turnout)s people who attended village meetings "
        "registered (%(genders)s)."
    ) % {
        "rate": number(rate),
        "turnout": number(turnout.total),
        "genders": _gender_list(registered),
    }


def in_languages(build, **numbers) -> dict[str, str]:
    """The sentence in English and in Lao, whatever the page's language."""
    sentences = {}
    for language in ("en", "lo"):
        with translation.override(language):
            sentences[language] = build(**numbers)
    return sentences
