"""Why a participant completed a session or not, stored as codes and said in words.

Completing a session stores each participant's reasons as codes with their numbers
(``Enrolment.completion_reasons``), never as a sentence: whoever reads them later
reads them in their own language (``reasons_text``). A text that is not one of these
reasons (typed by hand, or older than the codes and not recognised) stays in
``Enrolment.completion_note`` as a note.

A reason is a dict:

- ``{"code": "attendance", "attended": 3, "days": 4, "percent": 75}``, with
  ``"required": 80`` when the percentage is under the course's rule;
- ``{"code": "post_test", "score": "72.5"}``, with ``"required": "80"`` when the
  score is under the rule;
- ``{"code": "no_post_test", "required": "50"}``;
- ``{"code": "nothing_required"}``.
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from common.numbers import plain_number

CODES = ("attendance", "post_test", "no_post_test", "nothing_required")


def score_text(value) -> str:
    """A score as stored in a reason: "72.5", "80"."""
    return plain_number(Decimal(value))


def _one(reason: dict) -> str:
    code = reason.get("code")
    if code == "attendance":
        text = _("attended %(attended)s of %(days)s days (%(percent)s %%)") % {
            "attended": reason["attended"],
            "days": reason["days"],
            "percent": reason["percent"],
        }
        if reason.get("required") is not None:
            text += "; " + _("%(required)s %% required") % {
                "required": reason["required"]
            }
        return text
    if code == "post_test":
        text = _("post-test %(score)s") % {"score": reason["score"]}
        if reason.get("required") is not None:
            text += "; " + _("%(required)s required") % {"required": reason["required"]}
        return text
    if code == "no_post_test":
        return _("no post-test score (%(required)s required)") % {
            "required": reason["required"]
        }
    if code == "nothing_required":
        return _("no attendance days or test required")
    return ""


def reasons_text(reasons: list[dict]) -> str:
    """The reasons as one sentence in the active language."""
    text = "; ".join(filter(None, (_one(reason) for reason in reasons or [])))
    return text[:1].upper() + text[1:]


# Reading the sentences stored before the codes --------------------------------------

# The English and Lao forms of each reason as completing a session wrote them.
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_PATTERNS = [
    (
        "attendance",
        [
            rf"attended (\d+) of (\d+) days \((\d+) %\)(?:; {_NUMBER} % required)?",
            rf"ເຂົ້າຮ່ວມ (\d+) ໃນ (\d+) ມື້ \((\d+) %\)(?:; ຕ້ອງການຢ່າງໜ້ອຍ {_NUMBER} %)?",
        ],
    ),
    (
        "no_post_test",
        [
            rf"no post-test score \({_NUMBER} required\)",
            rf"ບໍ່ມີຄະແນນການທົດສອບຫຼັງຝຶກ \(ຕ້ອງການຢ່າງໜ້ອຍ {_NUMBER}\)",
        ],
    ),
    (
        "post_test",
        [
            rf"post-test {_NUMBER}(?:; {_NUMBER} required)?",
            rf"ຄະແນນການທົດສອບຫຼັງຝຶກ {_NUMBER}(?:; ຕ້ອງການຢ່າງໜ້ອຍ {_NUMBER})?",
        ],
    ),
    (
        "nothing_required",
        [
            r"no attendance days or test required",
            r"ບໍ່ມີເງື່ອນໄຂດ້ານການເຂົ້າຮ່ວມ ຫຼື ການທົດສອບ",
        ],
    ),
]


def _number(text: str | None):
    if text is None:
        return None
    try:
        return score_text(text.replace(",", "."))
    except InvalidOperation:
        return None


def _reason(code: str, groups: tuple) -> dict:
    if code == "attendance":
        attended, days, percent, required = groups
        reason = {
            "code": code,
            "attended": int(attended),
            "days": int(days),
            "percent": int(percent),
        }
        if required is not None:
            reason["required"] = int(Decimal(required.replace(",", ".")))
        return reason
    if code == "post_test":
        score, required = groups
        reason = {"code": code, "score": _number(score)}
        if required is not None:
            reason["required"] = _number(required)
        return reason
    if code == "no_post_test":
        return {"code": code, "required": _number(groups[0])}
    return {"code": code}


def reasons_from_text(text: str) -> list[dict] | None:
    """The reasons a stored sentence (English or Lao) says, or None when it is not
    wholly made of them (it then stays a note)."""
    text = " ".join((text or "").split())
    if not text:
        return None
    text = text[:1].lower() + text[1:]
    reasons = []
    while text:
        for code, patterns in _PATTERNS:
            match = next(
                (m for p in patterns if (m := re.match(p, text)) is not None), None
            )
            if match is not None:
                reasons.append(_reason(code, match.groups()))
                text = text[match.end() :]
                if text.startswith("; "):
                    text = text[2:]
                elif text:
                    return None
                break
        else:
            return None
    return reasons
