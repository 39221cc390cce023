"""Writing feedback: the session's QR link, a form sent from a phone, paper forms."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from trainings.models import Session
from trainings.services import session_ensure_open

from .models import Feedback, FeedbackLink
from .selectors import feedback_open

ANSWERS = ("relevance", "trainer", "materials", "improve", "recommend")


def feedback_link_ensure(*, session: Session) -> FeedbackLink:
    """The session's link, made the first time it is asked for. The token is 192
    random bits: it is the only thing in the form's address."""
    link = FeedbackLink.objects.filter(session=session).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return FeedbackLink.objects.create(
                session=session, token=secrets.token_urlsafe(24)
            )
    except IntegrityError:  # made at the same moment by another request
        return FeedbackLink.objects.get(session=session)


def _feedback(*, session: Session, source: str, by=None, **answers) -> Feedback:
    feedback = Feedback(
        session=session,
        source=source,
        entered_by=by,
        **{name: answers.get(name) for name in ANSWERS if name != "improve"},
        improve=(answers.get("improve") or "").strip(),
    )
    feedback.full_clean()
    return feedback


@transaction.atomic
def feedback_submit(*, session: Session, today: date, **answers) -> Feedback:
    """One form sent from a phone, while the session takes feedback."""
    if not feedback_open(session=session, today=today):
        raise ValidationError(_("This session no longer takes feedback."))
    feedback = _feedback(session=session, source=Feedback.Source.PHONE, **answers)
    feedback.save()
    return feedback


@transaction.atomic
def feedback_paper_record(*, session: Session, forms: list[dict], by) -> list:
    """Paper forms typed in by a trainer: all saved, or none (a wrong form, or the
    session's period approved)."""
    if not forms:
        raise ValidationError(_("Fill in at least one form."))
    session_ensure_open(session=session)
    made = [
        _feedback(session=session, source=Feedback.Source.PAPER, by=by, **answers)
        for answers in forms
    ]
    return Feedback.objects.bulk_create(made)
