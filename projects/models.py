"""Projects: what a donor funds and a partner carries out (e.g. LAO226-EU), and
what the programme's activities are linked to for the donor's report."""

import datetime

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from promoters.models import ActivityKind
from trainings.models import Course


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


class Figure(models.TextChoices):
    """The figures of the reports an indicator can follow (``reports.results``
    computes each from the report's own selector)."""

    PEOPLE_TRAINED = "people_trained", _("People trained")
    WOMEN_TRAINED = "women_trained", _("Women trained")
    TOT_GRADUATES = "tot_graduates", _("Training of Trainers graduates")
    CASCADE_REACH = "cascade_reach", _("Trained by them in turn (cascade)")
    MEETINGS = "meetings", _("Outreach activities done")
    TURNOUT = "turnout", _("Village meeting turnout")
    REGISTRATIONS = "registrations", _("Registered at village meetings")
    REGISTRATION_RATE = "registration_rate", _("Registration rate (%)")
    CENTRES_OPENED = "centres_opened", _("Information centres opened")
    CENTRE_VISITORS = "centre_visitors", _("Information centre visitors")
    OFFICES_OPENED = "offices_opened", _("District offices opened")
    MATERIALS_PUBLISHED = "materials_published", _("Materials published")
    MATERIALS_DOWNLOADED = "materials_downloaded", _("Downloads of materials")


# Counts of people: their actual is the five-count gender block.
PEOPLE_FIGURES = (
    Figure.PEOPLE_TRAINED,
    Figure.TOT_GRADUATES,
    Figure.CASCADE_REACH,
    Figure.TURNOUT,
    Figure.REGISTRATIONS,
    Figure.CENTRE_VISITORS,
)
# Rates: their baseline and targets are percentages.
RATE_FIGURES = (Figure.REGISTRATION_RATE,)
# The fixed filters each kind of figure can apply (the others are refused).
TRAINING_FIGURES = (
    Figure.PEOPLE_TRAINED,
    Figure.WOMEN_TRAINED,
    Figure.TOT_GRADUATES,
    Figure.CASCADE_REACH,
)
OUTREACH_FIGURES = (
    Figure.MEETINGS,
    Figure.TURNOUT,
    Figure.REGISTRATIONS,
    Figure.REGISTRATION_RATE,
)
# Materials belong to no place.
PLACELESS_FIGURES = (Figure.MATERIALS_PUBLISHED,)


def _place_errors(*, province, district, within=None) -> dict:
    """A district must lie in the province named with it, and in ``within`` (the
    indicator whose target this is) when that names a place."""
    errors = {}
    if province is not None and district is not None:
        if district.province_id != province.pk:
            errors["district"] = _("This district is not in the province chosen.")
    if within is not None and within.district_id is not None:
        if district is not None and district.pk != within.district_id:
            errors["district"] = _(
                "The indicator counts %(place)s only: a target can be for that "
                "district only."
            ) % {"place": within.district.name}
        if province is not None and province.pk != within.district.province_id:
            errors["province"] = _("Leave the province empty: the district says it.")
    elif within is not None and within.province_id is not None:
        place = district.province_id if district is not None else None
        place = province.pk if province is not None else place
        if place is not None and place != within.province_id:
            errors["district" if district is not None else "province"] = _(
                "The indicator counts %(place)s only: a target must be there."
            ) % {"place": within.province.name}
    return errors


class Indicator(ClusterableModel):
    """What a project measures itself by: one of the reports' figures, counted
    for the project's activities within fixed filters, with a baseline and targets
    per period."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("project"),
    )
    code = models.CharField(
        _("code"), max_length=40, help_text=_("Unique in the project, e.g. 1.1.")
    )
    title_lo = models.CharField(
        pgettext_lazy("an indicator", "title in Lao"), max_length=300
    )
    title_en = models.CharField(
        pgettext_lazy("an indicator", "title in English"), max_length=300
    )
    figure = models.CharField(
        _("figure"),
        max_length=30,
        choices=Figure.choices,
        help_text=_(
            "What is counted, as the Reports page counts it, for this project's "
            "activities only."
        ),
    )
    course_kind = models.CharField(
        _("course kind"),
        max_length=20,
        choices=Course.Kind.choices,
        blank=True,
        help_text=_("Trainings only: count this kind of course only."),
    )
    kind = models.CharField(
        _("kind of activity"),
        max_length=20,
        choices=ActivityKind.choices,
        blank=True,
        help_text=_("Outreach only: count this kind of activity only."),
    )
    campaign = models.ForeignKey(
        "promoters.Campaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("campaign"),
        help_text=_("Outreach only: count this campaign's activities only."),
    )
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("district"),
    )
    baseline = models.DecimalField(
        _("baseline"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Where the project started from; a percentage for a rate."),
    )

    class Meta:
        ordering = ["project__code", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "code"],
                name="indicator_code_unique_in_project",
                violation_error_message=_(
                    "The project already has an indicator with this code."
                ),
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
    def counts_people(self) -> bool:
        return self.figure in PEOPLE_FIGURES

    @property
    def is_rate(self) -> bool:
        return self.figure in RATE_FIGURES

    def clean(self):
        errors = _place_errors(province=self.province, district=self.district)
        if self.course_kind and self.figure not in TRAINING_FIGURES:
            errors["course_kind"] = _("A course kind narrows trainings only.")
        if self.figure not in OUTREACH_FIGURES:
            if self.kind:
                errors["kind"] = _("A kind of activity narrows outreach only.")
            if self.campaign_id is not None:
                errors["campaign"] = _("A campaign narrows outreach only.")
        if self.figure in PLACELESS_FIGURES and (self.province or self.district):
            errors["province"] = _("Materials belong to no place: leave it empty.")
        if self.is_rate and self.baseline is not None and self.baseline > 100:
            errors["baseline"] = _("A rate is at most 100 %.")
        if errors:
            raise ValidationError(errors)


class IndicatorTarget(models.Model):
    """The value an indicator should reach in a year or between two dates, for
    the whole indicator or for one province or district."""

    indicator = ParentalKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("A whole year; or leave it empty and give the dates."),
    )
    date_from = models.DateField(_("from"), null=True, blank=True)
    date_to = models.DateField(_("to"), null=True, blank=True)
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_targets",
        verbose_name=_("district"),
    )
    value = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text=_("A percentage for a rate."),
    )

    class Meta:
        ordering = ["year", "date_from", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.period_label}"

    @property
    def starts_on(self) -> datetime.date | None:
        return datetime.date(self.year, 1, 1) if self.year else self.date_from

    @property
    def ends_on(self) -> datetime.date | None:
        return datetime.date(self.year, 12, 31) if self.year else self.date_to

    @property
    def period_label(self) -> str:
        if self.year:
            return str(self.year)
        return f"{self.date_from:%d/%m/%Y} – {self.date_to:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.year and (self.date_from or self.date_to):
            errors["year"] = _("Give a year or two dates, not both.")
        elif not self.year and not (self.date_from and self.date_to):
            errors["year"] = _("Give the year, or the first and the last day.")
        elif self.date_from and self.date_to and self.date_to < self.date_from:
            errors["date_to"] = _("The end of the period is before its start.")
        try:
            indicator = self.indicator
        except ObjectDoesNotExist:
            indicator = None  # a new target of a new indicator: checked with it
        errors.update(
            _place_errors(
                province=self.province, district=self.district, within=indicator
            )
        )
        if indicator is not None:
            if indicator.figure in PLACELESS_FIGURES and (
                self.province or self.district
            ):
                errors["province"] = _("Materials belong to no place: leave it empty.")
            if indicator.is_rate and self.value is not None and self.value > 100:
                errors["value"] = _("A rate is at most 100 %.")
        if not errors and self.indicator_id and self._same_period_and_place():
            errors["year"] = _(
                "This indicator already has a target for this period and place."
            )
        if errors:
            raise ValidationError(errors)

    def _same_period_and_place(self) -> bool:
        return (
            IndicatorTarget.objects.filter(
                indicator_id=self.indicator_id,
                year=self.year,
                date_from=self.date_from,
                date_to=self.date_to,
                province=self.province,
                district=self.district,
            )
            .exclude(pk=self.pk)
            .exists()
        )
