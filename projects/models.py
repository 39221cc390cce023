"""Projects: what a donor funds and a partner carries out (e.g. LAO226-EU), and
what the programme's activities are linked to for the donor's report."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Project(models.Model):
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short and unique, e.g. LAO226-EU."),
    )
    title_lo = models.CharField(
        pgettext_lazy("a project", "title in Lao"), max_length=300
    )
    title_en = models.CharField(
        pgettext_lazy("a project", "title in English"), max_length=300
    )
    funders = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="funded_projects",
        verbose_name=_("funders"),
    )
    partners = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="partnered_projects",
        verbose_name=_("partners"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    provinces = models.ManyToManyField(
        "places.Province",
        blank=True,
        related_name="projects",
        verbose_name=_("target provinces"),
    )
    districts = models.ManyToManyField(
        "places.District",
        blank=True,
        related_name="projects",
        verbose_name=_("target districts"),
    )
    outcome_code = models.CharField(
        _("outcome code"), max_length=40, blank=True, help_text=_("e.g. LAO226.")
    )
    tags = models.CharField(
        _("SDG and indicator tags"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas, e.g. SDG 8, 8.2.1."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_ends_after_start",
                violation_error_message=_("The project ends before it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def title(self) -> str:
        if get_language() == "en":
            return self.title_en or self.title_lo
        return self.title_lo or self.title_en

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]
