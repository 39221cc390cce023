from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The earliest day anything recorded here can have happened on: the programme's
# records start decades later, so an earlier year (0001-01-01) is a typing mistake.
EARLIEST_DAY = date(1975, 1, 1)


class PeriodApproval(models.Model):
    """A manager's approval of one district's data for a month or a quarter.

    While an approval is active (not revoked), nothing that changes the district's
    figures for that period is written (``periods.services.period_ensure_open``)
    until a manager un-approves it. Revoking keeps the row, with who, when and
    why, so the approval history stays readable.
    """

    class Kind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="period_approvals",
        verbose_name=_("district"),
    )
    kind = models.CharField(_("period"), max_length=8, choices=Kind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"))
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("un-approved by"),
    )
    revoked_at = models.DateTimeField(_("un-approved at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for un-approval"), blank=True)

    class Meta:
        # The table it had in ``reports``, kept when the model moved here.
        db_table = "reports_periodapproval"
        ordering = ["-starts_on", "district__code"]
        verbose_name = _("period approval")
        verbose_name_plural = _("period approvals")
        indexes = [
            models.Index(
                fields=["district", "starts_on", "ends_on"],
                condition=models.Q(revoked_at__isnull=True),
                name="period_approval_active",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "kind", "starts_on"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_approval_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="period_approval_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} · {self.label}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def label(self) -> str:
        if self.kind == self.Kind.QUARTER:
            quarter = (self.starts_on.month - 1) // 3 + 1
            return f"{self.starts_on.year} Q{quarter}"
        return self.starts_on.strftime("%Y-%m")
