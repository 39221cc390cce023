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


# The outcome report (reports.outcome) ------------------------------------------------
# Each sentence is built from figures already counted; a figure of zero gets none.

_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def count_word(n: int) -> str:
    """English writes one to nine in words ("four information centres"); Lao, and
    English from 10, use digits."""
    language = translation.get_language() or ""
    if language.startswith("en") and 1 <= n <= 9:
        return _WORDS[n - 1]
    return number(n)


def and_list(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C" in the active language."""
    items = [str(item) for item in items if item]
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {
        "list": ", ".join(items[:-1]),
        "last": items[-1],
    }


def genders(counts: GenderCounts) -> str:
    return _gender_list(counts)


def _rate(part: int, whole: int) -> str:
    return number(round(100 * part / whole)) if whole else "0"


def activities_plural(kind: str) -> str:
    return {
        "dissemination": _("dissemination meetings"),
        "mobile_drive": _("mobile registration and payment drives"),
        "workplace": _("enterprise or workplace campaigns"),
    }.get(kind, _("outreach activities"))


def campaign_sentence(
    *,
    campaign: str,
    kind: str,
    turnout: GenderCounts,
    registered: GenderCounts,
    villages: int,
    places: list[str],
) -> str:
    """ "22 % of the 150 people who attended the mobile registration and payment
    drives of “…” in 3 villages of Vientiane Capital registered (…)." """
    where = ngettext("%(n)s village", "%(n)s villages", villages) % {
        "n": number(villages)
    }
    if places:
        where = _("%(villages)s of %(places)s") % {
            "villages": where,
            "places": and_list(places),
        }
    return _(
        "%(rate)s %% of the %(turnout)s people who attended the %(activities)s of "
        "“%(campaign)s” in %(where)s registered (%(genders)s)."
    ) % {
        "rate": _rate(registered.total, turnout.total),
        "turnout": number(turnout.total),
        "activities": activities_plural(kind),
        "campaign": campaign,
        "where": where,
        "genders": _gender_list(registered),
    }


def contributions_sentence(*, people: int, lak: int) -> str:
    return ngettext(
        "%(people)s person paid a first contribution there (%(lak)s kip in all).",
        "%(people)s people paid their first contributions there (%(lak)s kip in all).",
        people,
    ) % {"people": number(people), "lak": number(lak)}


def dissemination_sentence(
    *, meetings: int, districts: int, turnout: GenderCounts, registered: GenderCounts
) -> str:
    return ngettext(
        "%(meetings)s village dissemination meeting was held in %(districts)s; "
        "%(turnout)s people attended (%(genders)s) and %(registered)s registered.",
        "%(meetings)s village dissemination meetings were held in %(districts)s; "
        "%(turnout)s people attended (%(genders)s) and %(registered)s registered.",
        meetings,
    ) % {
        "meetings": number(meetings),
        "districts": ngettext("%(n)s district", "%(n)s districts", districts)
        % {"n": number(districts)},
        "turnout": number(turnout.total),
        "genders": _gender_list(turnout),
        "registered": number(registered.total),
    }


def partners_sentence(partners: list[tuple[str, int, int]]) -> str:
    """(name, activities, people) → "Outreach was done in coordination with Oxfam
    (6 activities, 196 people) and …"."""
    items = [
        _("%(name)s (%(activities)s, %(people)s)")
        % {
            "name": name,
            "activities": ngettext("%(n)s activity", "%(n)s activities", activities)
            % {"n": number(activities)},
            "people": ngettext("%(n)s person", "%(n)s people", people)
            % {"n": number(people)},
        }
        for name, activities, people in partners
    ]
    return _("Outreach was done in coordination with %(partners)s.") % {
        "partners": and_list(items)
    }


def office_sentence(*, office: str, month: str, projects: list[str]) -> str:
    if projects:
        return _(
            "The %(office)s opened in %(month)s, in one of the target areas of "
            "the project %(projects)s."
        ) % {"office": office, "month": month, "projects": and_list(projects)}
    return _("The %(office)s opened in %(month)s.") % {
        "office": office,
        "month": month,
    }


def centres_sentence(*, count: int, when: str, names: list[str]) -> str:
    """ "In May 2023, four information centres were set up: …"."""
    return ngettext(
        "In %(when)s, %(count)s information centre was set up: %(names)s.",
        "In %(when)s, %(count)s information centres were set up: %(names)s.",
        count,
    ) % {"when": when, "count": count_word(count), "names": and_list(names)}


def visitors_sentence(visitors: GenderCounts) -> str:
    return ngettext(
        "The information centres received %(total)s visitor (%(genders)s).",
        "The information centres received %(total)s visitors (%(genders)s).",
        visitors.total,
    ) % {"total": number(visitors.total), "genders": _gender_list(visitors)}


def support_sentence(
    *, organisations: list[str], funders: list[str], projects: list[str]
) -> str:
    values = {
        "organisations": and_list(organisations),
        "funders": and_list(funders),
        "projects": ngettext(
            "the project %(list)s", "the projects %(list)s", len(projects)
        )
        % {"list": and_list(projects)},
    }
    if organisations and funders:
        return (
            _(
                "%(organisations)s, with funding from %(funders)s, supported the "
                "activities of %(projects)s."
            )
            % values
        )
    if organisations:
        return _("%(organisations)s supported the activities of %(projects)s.") % (
            values
        )
    return _(
        "The activities of %(projects)s were carried out with funding from %(funders)s."
    ) % (values)


def tot_trained_sentence(*, graduates: GenderCounts, when: str) -> str:
    """ "26 people (11 women and 15 men) were trained at the Training of Trainers
    in June 2022." """
    values = {
        "total": number(graduates.total),
        "genders": _gender_list(graduates),
        "when": when,
    }
    if when:
        return (
            ngettext(
                "%(total)s person (%(genders)s) was trained at the Training of "
                "Trainers in %(when)s.",
                "%(total)s people (%(genders)s) were trained at the Training of "
                "Trainers in %(when)s.",
                graduates.total,
            )
            % values
        )
    return (
        ngettext(
            "%(total)s person (%(genders)s) was trained at the Training of Trainers.",
            "%(total)s people (%(genders)s) were trained at the Training of Trainers.",
            graduates.total,
        )
        % values
    )


def cascade_sentence(reach: GenderCounts) -> str:
    return _(
        "They and those they trained went on to train %(reach)s more people "
        "(%(genders)s)."
    ) % {"reach": number(reach.total), "genders": _gender_list(reach)}


def programme_sentence(*, people: GenderCounts, course: str, place: str) -> str:
    """ "3 people (1 woman and 2 men) completed the long programme “Master's …” at
    Mahidol University, Thailand." """
    values = {
        "total": number(people.total),
        "genders": _gender_list(people),
        "course": course,
        "place": place,
    }
    if place:
        return (
            ngettext(
                "%(total)s person (%(genders)s) completed the long programme "
                "“%(course)s” at %(place)s.",
                "%(total)s people (%(genders)s) completed the long programme "
                "“%(course)s” at %(place)s.",
                people.total,
            )
            % values
        )
    return (
        ngettext(
            "%(total)s person (%(genders)s) completed the long programme “%(course)s”.",
            "%(total)s people (%(genders)s) completed the long programme “%(course)s”.",
            people.total,
        )
        % values
    )


def materials_sentence(titles: list[str]) -> str:
    return ngettext(
        "In this period, %(count)s material was published: %(titles)s.",
        "In this period, %(count)s materials were published: %(titles)s.",
        len(titles),
    ) % {"count": count_word(len(titles)), "titles": and_list(titles)}


def women_share_sentence(*, what: str, counts: GenderCounts) -> str:
    """ "People trained: 11 women of 26 (42 %)." """
    return _("%(what)s: %(share)s %% women (%(women)s of %(total)s).") % {
        "what": what,
        "women": number(counts.women),
        "total": number(counts.total),
        "share": _rate(counts.women, counts.total),
    }
