"""The period lock: approving a district's month or quarter, un-approving it, and the
check every write that changes an approved figure makes first.

This app sits on the ground floor (it imports only ``places`` and Django), so the
services of ``people``, ``trainings``, ``certificates`` and ``promoters`` ask it
without importing ``reports``.
"""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from common.numbers import short_date

from .models import EARLIEST_DAY, PeriodApproval
from .signals import period_approved, period_unapproved


def day_ensure_plausible(*, day: date | None, field: str = "date") -> None:
    """Refuse a day before ``EARLIEST_DAY`` (a mistyped year)."""
    if day and day < EARLIEST_DAY:
        raise ValidationError(
            {
                field: _("%(date)s is before %(year)s: check the year.")
                % {"date": short_date(day), "year": EARLIEST_DAY.year}
            }
        )


def day_ensure_happened(*, day: date | None, field: str = "date") -> None:
    """The one rule for the day of something that happened (a meeting, a centre
    visit, attendance, a promoter's start): not before ``EARLIEST_DAY``, not after
    today."""
    day_ensure_plausible(day=day, field=field)
    if day and day > timezone.localdate():
        raise ValidationError(
            {field: _("The date is in the future. Record it after it happens.")}
        )


def period_bounds(*, kind: str, year: int, number: int) -> tuple[date, date]:
    """First and last day of month ``number`` (1–12) or quarter ``number`` (1–4)."""
    if kind == PeriodApproval.Kind.MONTH and 1 <= number <= 12:
        first_month = last_month = number
    elif kind == PeriodApproval.Kind.QUARTER and 1 <= number <= 4:
        first_month, last_month = 3 * number - 2, 3 * number
    else:
        raise ValidationError(
            _("Choose a month from 1 to 12 or a quarter from 1 to 4.")
        )
    last_day = calendar.monthrange(year, last_month)[1]
    return date(year, first_month, 1), date(year, last_month, last_day)


def _active() -> QuerySet[PeriodApproval]:
    return PeriodApproval.objects.filter(revoked_at__isnull=True).select_related(
        "district"
    )


def period_refusal(approval: PeriodApproval) -> ValidationError:
    """The error a write in ``approval``'s period is refused with: it names the
    district and the period, and says what to do."""
    return ValidationError(
        _(
            "The data of %(district)s for %(period)s is approved, so it cannot "
            "change. Ask a manager to un-approve the period first."
        )
        % {"district": approval.district.name, "period": approval.label},
        code="period_approved",
    )


def _refuse(approval: PeriodApproval | None) -> None:
    if approval is not None:
        raise period_refusal(approval)


def period_ensure_open(
    *, district, day: date | None, until: date | None = None
) -> None:
    """Refuse a change dated ``day`` (or from ``day`` to ``until``) in ``district``
    (a district or its id) when an approved period covers it."""
    if district is None or day is None:
        return
    _refuse(
        _active()
        .filter(
            district_id=getattr(district, "pk", district),
            starts_on__lte=until or day,
            ends_on__gte=day,
        )
        .order_by("starts_on")
        .first()
    )


def period_approvals_touching(
    rows: QuerySet, *, district: str, starts: str, ends: str | None = None, key="pk"
) -> dict:
    """{row's ``key``: an approved period it falls in} for the rows of ``rows`` that
    fall in one. A row's district is the lookup ``district``; its dates run from the
    date lookup ``starts`` to ``ends`` (or that one day). Two queries, however many
    rows."""
    covering = (
        PeriodApproval.objects.filter(
            revoked_at__isnull=True,
            district=OuterRef(district),
            starts_on__lte=OuterRef(ends or starts),
            ends_on__gte=OuterRef(starts),
        )
        .order_by("starts_on")
        .values("pk")[:1]
    )
    found = dict(
        rows.annotate(period_approval=Subquery(covering))
        .filter(period_approval__isnull=False)
        .values_list(key, "period_approval")
    )
    approvals = _active().in_bulk(set(found.values()))
    return {row: approvals[approval] for row, approval in found.items()}


def period_ensure_open_for(
    rows: QuerySet, *, district: str, starts: str, ends: str | None = None
) -> None:
    """Refuse when any of ``rows`` falls in an approved period (the lookups as in
    ``period_approvals_touching``)."""
    touching = period_approvals_touching(
        rows, district=district, starts=starts, ends=ends
    )
    if touching:
        _refuse(min(touching.values(), key=lambda approval: approval.starts_on))


@transaction.atomic
def period_approve(
    *, district, kind: str, year: int, number: int, by
) -> PeriodApproval:
    starts_on, ends_on = period_bounds(kind=kind, year=year, number=number)
    overlapping = PeriodApproval.objects.select_for_update().filter(
        district=district,
        revoked_at__isnull=True,
        starts_on__lte=ends_on,
        ends_on__gte=starts_on,
    )
    existing = overlapping.first()
    if existing is not None:
        raise ValidationError(
            _("%(period)s of %(district)s is already approved.")
            % {"period": existing.label, "district": district.name}
        )
    approval = PeriodApproval.objects.create(
        district=district,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        approved_by=by,
        approved_at=timezone.now(),
    )
    period_approved.send(sender=PeriodApproval, approval=approval, by=by)
    return approval


@transaction.atomic
def period_unapprove(*, approval: PeriodApproval, reason: str, by) -> PeriodApproval:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the period is un-approved; it is kept in the log.")}
        )
    approval = PeriodApproval.objects.select_for_update().get(pk=approval.pk)
    if approval.revoked_at is not None:
        raise ValidationError(_("This period is already un-approved."))
    approval.revoked_at = timezone.now()
    approval.revoked_by = by
    approval.revoke_reason = reason
    approval.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    period_unapproved.send(
        sender=PeriodApproval, approval=approval, by=by, reason=reason
    )
    return approval
