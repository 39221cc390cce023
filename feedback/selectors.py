"""Reading feedback: when a session takes it, and its figures summed up.

Who sees which feedback is ``access.policy``'s (``feedback_visible``): whoever sees
the session. Everything here takes the querysets it is given."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet

from trainings.models import Course, Session

from .models import Feedback, FeedbackLink

QUESTIONS = ("relevance", "trainer", "materials")
RATINGS = (1, 2, 3, 4, 5)


def feedback_closes_on(*, session: Session) -> date:
    return session.ends_on + timedelta(days=settings.SUKSA_FEEDBACK_DAYS_AFTER)


def feedback_open(*, session: Session, today: date) -> bool:
    """A session takes feedback from its first day until SUKSA_FEEDBACK_DAYS_AFTER
    days after its last, unless it was cancelled."""
    if session.status == Session.Status.CANCELLED:
        return False
    return session.starts_on <= today <= feedback_closes_on(session=session)


def feedback_link_find(*, token: str) -> FeedbackLink | None:
    return (
        FeedbackLink.objects.select_related("session__course")
        .filter(token=token)
        .first()
    )


@dataclass(frozen=True)
class FeedbackSummary:
    """Forms counted, the mean of each 1–5 question, how many gave each rating,
    and the "would recommend" answers (of those who answered it)."""

    count: int = 0
    means: dict[str, float | None] = field(default_factory=dict)
    distribution: dict[str, list[int]] = field(default_factory=dict)
    recommend_yes: int = 0
    recommend_no: int = 0

    @property
    def recommend_share(self) -> float | None:
        answered = self.recommend_yes + self.recommend_no
        return round(self.recommend_yes / answered, 3) if answered else None

    def as_dict(self) -> dict:
        return {
            "count": self.count,
            **{f"{name}_mean": self.means.get(name) for name in QUESTIONS},
            "recommend_share": self.recommend_share,
        }


def _aggregates() -> dict:
    aggregates = {
        "count": Count("pk"),
        "recommend_yes": Count("pk", filter=Q(recommend=True)),
        "recommend_no": Count("pk", filter=Q(recommend=False)),
    }
    for name in QUESTIONS:
        aggregates[f"{name}_mean"] = Avg(name)
        for rating in RATINGS:
            aggregates[f"{name}_{rating}"] = Count("pk", filter=Q(**{name: rating}))
    return aggregates


def _summary(row: dict) -> FeedbackSummary:
    if not row["count"]:
        return FeedbackSummary()
    return FeedbackSummary(
        count=row["count"],
        means={name: round(float(row[f"{name}_mean"]), 1) for name in QUESTIONS},
        distribution={
            name: [row[f"{name}_{rating}"] for rating in RATINGS] for name in QUESTIONS
        },
        recommend_yes=row["recommend_yes"],
        recommend_no=row["recommend_no"],
    )


def feedback_summary(*, feedback: QuerySet[Feedback]) -> FeedbackSummary:
    """The figures of the forms in ``feedback``, in one query."""
    return _summary(feedback.aggregate(**_aggregates()))


def feedback_by_course(*, feedback: QuerySet[Feedback]) -> list[tuple]:
    """(course, ``FeedbackSummary``) for each course with forms in ``feedback``,
    most forms first, in one query (and one for the courses)."""
    rows = (
        feedback.order_by()
        .values("session__course")
        .annotate(**_aggregates())
        .order_by("-count", "session__course")
    )
    courses = Course.objects.in_bulk([row["session__course"] for row in rows])
    return [(courses[row["session__course"]], _summary(row)) for row in rows]


def feedback_comments(*, feedback: QuerySet[Feedback]) -> QuerySet[Feedback]:
    """Forms that say what to improve, newest first."""
    return feedback.exclude(improve="").order_by("-created_at", "-pk")


def sessions_feedback_counts(*, sessions) -> dict[int, int]:
    """Forms received per session, for many sessions in one query."""
    ids = [session.pk for session in sessions]
    counts = dict(
        Feedback.objects.filter(session_id__in=ids)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in ids}
