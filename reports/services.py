"""Writing reports data: approving a district's period and un-approving it."""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from audit.services import audit_record

from .models import PeriodApproval


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


def _district_id(district) -> int:
    return getattr(district, "pk", district)


def period_ensure_open(*, district, day: date, until: date | None = None) -> None:
    """Refuse a change dated ``day`` (or from ``day`` to ``until``) in ``district``
    when an approved period covers it."""
    if district is None or day is None:
        return
    approval = (
        PeriodApproval.objects.filter(
            district_id=_district_id(district),
            revoked_at__isnull=True,
            starts_on__lte=until or day,
            ends_on__gte=day,
        )
        .order_by("starts_on")
        .first()
    )
    if approval is not None:
        raise ValidationError(
            _(
                "The data of %(district)s for %(period)s is approved, so it cannot "
                "change. Ask a manager to un-approve the period first."
            )
            % {"district": approval.district.name, "period": approval.label}
        )


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
    log(approval, "suksa.period.approve", user=by, data={"period": approval.label})
    audit_record(action="approve", user=by, obj=approval, summary=approval.label)
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
    log(
        approval,
        "suksa.period.unapprove",
        user=by,
        data={"period": approval.label, "reason": reason},
    )
    audit_record(action="unapprove", user=by, obj=approval, summary=approval.label)
    return approval
