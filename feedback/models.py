"""Participants' feedback on a session: a short standard form, anonymous.

A ``FeedbackLink`` is the session's unguessable token for the public form reached by
QR code; a ``Feedback`` is one filled form, from a phone or typed in from paper."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from trainings.models import Session

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class FeedbackLink(models.Model):
    session = models.OneToOneField(
        Session,
        on_delete=models.CASCADE,
        related_name="feedback_link",
        verbose_name=_("session"),
    )
    token = models.CharField(_("token"), max_length=40, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")

    def __str__(self) -> str:
        return str(self.session)


class Feedback(models.Model):
    class Source(models.TextChoices):
        PHONE = "phone", _("Phone (QR code)")
        PAPER = "paper", _("Paper form")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("session"),
    )
    relevance = models.PositiveSmallIntegerField(_("relevance"), validators=RATING)
    trainer = models.PositiveSmallIntegerField(_("trainer"), validators=RATING)
    materials = models.PositiveSmallIntegerField(_("materials"), validators=RATING)
    improve = models.TextField(_("what to improve"), blank=True, max_length=2000)
    recommend = models.BooleanField(_("would recommend"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.PHONE
    )
    # Who typed a paper form in; the participant stays anonymous.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(relevance__gte=1, relevance__lte=5)
                & models.Q(trainer__gte=1, trainer__lte=5)
                & models.Q(materials__gte=1, materials__lte=5),
                name="feedback_ratings_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.get_source_display()}"
