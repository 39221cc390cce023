"""Counts of people by gender: every count shows all four genders and a total."""

from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Gender, Person


@dataclass(frozen=True)
class GenderCounts:
    women: int = 0
    men: int = 0
    other: int = 0
    not_recorded: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.other + self.not_recorded

    def as_dict(self) -> dict[str, int]:
        return {"total": self.total, **asdict(self)}

    def __add__(self, other: "GenderCounts") -> "GenderCounts":
        return GenderCounts(
            women=self.women + other.women,
            men=self.men + other.men,
            other=self.other + other.other,
            not_recorded=self.not_recorded + other.not_recorded,
        )

    def breakdown(self) -> str:
        """ "11 women, 15 men" — other and not recorded only when there are any."""
        parts = [
            ngettext("%(n)s woman", "%(n)s women", self.women) % {"n": self.women},
            ngettext("%(n)s man", "%(n)s men", self.men) % {"n": self.men},
        ]
        if self.other:
            parts.append(_("%(n)s other") % {"n": self.other})
        if self.not_recorded:
            parts.append(_("%(n)s not recorded") % {"n": self.not_recorded})
        return ", ".join(parts)


# GenderCounts field → Person.gender value.
GENDER_BUCKETS = {
    "women": Gender.WOMAN,
    "men": Gender.MAN,
    "other": Gender.OTHER,
    "not_recorded": Gender.NOT_RECORDED,
}


def gender_counts(people: QuerySet[Person]) -> GenderCounts:
    """Count distinct people by gender in one query."""
    distinct = Person.objects.filter(pk__in=people.values("pk"))
    totals = distinct.aggregate(
        **{
            bucket: Count("pk", filter=Q(gender=gender))
            for bucket, gender in GENDER_BUCKETS.items()
        }
    )
    return GenderCounts(**totals)


def genders_counted(genders: Iterable[str]) -> GenderCounts:
    """Count people already read, one gender value each."""
    buckets = {gender: bucket for bucket, gender in GENDER_BUCKETS.items()}
    counts = dict.fromkeys(GENDER_BUCKETS, 0)
    for gender in genders:
        counts[buckets[gender]] += 1
    return GenderCounts(**counts)
