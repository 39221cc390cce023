"""The promoter network: district offices, promoters, village meetings, information
centres and their visits, and the follow-up notices for district officers.

Head counts by gender are stored as four integer columns each (women, men, other, not
recorded), named like the fields of ``people.counts.GenderCounts``, so reports add
them up in SQL.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from people.counts import GenderCounts
from periods.models import EARLIEST_DAY

GENDER_FIELDS = ("women", "men", "other", "not_recorded")
GENDER_LABELS = {
    "women": _("Women"),
    "men": _("Men"),
    "other": _("Other"),
    "not_recorded": _("Not recorded"),
}


def _count_field(prefix_label, gender: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name=format_lazy("{}: {}", prefix_label, GENDER_LABELS[gender]),
        default=0,
    )


# No head count of one meeting or visit comes near this: the database refuses more,
# so the reports' sums cannot overflow. The plausibility caps people meet first are
# settings below it (SUKSA_MAX_MEETING_TURNOUT, SUKSA_MAX_CENTRE_VISITORS).
COUNT_CEILING = 1_000_000


def _counts_ceiling(prefix: str, model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(
            **{f"{prefix}_{gender}__lte": COUNT_CEILING for gender in GENDER_FIELDS}
        ),
        name=f"{model}_{prefix}_ceiling",
        violation_error_message=_("A head count is far too large. Check the numbers."),
    )


def _date_plausible(model: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(date__gte=EARLIEST_DAY),
        name=f"{model}_date_plausible",
        violation_error_message=_("The date is before 1975: check the year."),
    )


def sheet_photo_path(instance, filename: str) -> str:
    """An unguessable name: the photo shows people's names and signatures."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"promoters/sheets/{uuid.uuid4().hex}{suffix}"


def _counts(instance, prefix: str) -> GenderCounts:
    return GenderCounts(
        **{gender: getattr(instance, f"{prefix}_{gender}") for gender in GENDER_FIELDS}
    )


def _organisations(related_name: str, label) -> models.ManyToManyField:
    """Partners or funders of an activity (``people.Organisation``)."""
    return models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name=related_name,
        verbose_name=label,
    )


def _projects(related_name: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name=related_name,
        verbose_name=_("projects"),
    )


class DistrictOffice(models.Model):
    """A District Social Security Office; its officers look after the promoters and
    meetings of its district."""

    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="social_security_offices",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=200)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="district_offices",
        verbose_name=_("district officers"),
        help_text=_("Users in the district officer role who work at this office."),
    )
    partners = _organisations("partnered_district_offices", _("partners"))
    funders = _organisations("funded_district_offices", _("funders"))
    projects = _projects("district_offices")

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("district office")
        verbose_name_plural = _("district offices")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """What a meeting covered or a centre visitor asked about."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_lo = models.CharField(_("name in Lao"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "en":
            return self.name_en or self.name_lo
        return self.name_lo or self.name_en


class Promoter(models.Model):
    """A person in the promoter network. The portal account is ``person.user``;
    trainings come from the person's enrolments."""

    class Role(models.TextChoices):
        VILLAGE_CHIEF = "village_chief", _("Village chief")
        DEPUTY_VILLAGE_CHIEF = "deputy_village_chief", _("Deputy village chief")
        PRODUCER_GROUP_LEADER = "producer_group_leader", _("Producer-group leader")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="promoter_records",
        verbose_name=_("person"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    office = models.ForeignKey(
        DistrictOffice,
        on_delete=models.PROTECT,
        related_name="promoters",
        verbose_name=_("district office"),
    )
    village = models.ForeignKey(
        "places.Village",
        on_delete=models.PROTECT,
        related_name="promoters",
        verbose_name=_("village"),
        help_text=_("The village the promoter covers, in the office's district."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["person__full_name"]
        verbose_name = _("promoter")
        verbose_name_plural = _("promoters")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="promoter_one_active_per_person",
                violation_error_message=_(
                    "This person is already an active promoter. End that record first."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def user(self):
        return self.person.user

    @property
    def district_id(self) -> int:
        return self.office.district_id


class ActivityKind(models.TextChoices):
    """What an outreach activity (a village meeting) is."""

    DISSEMINATION = "dissemination", _("Dissemination meeting")
    MOBILE_DRIVE = "mobile_drive", _("Mobile registration and payment drive")
    WORKPLACE = "workplace", _("Enterprise or workplace campaign")


class Campaign(models.Model):
    """Outreach activities run together towards one aim, such as the 2023 mobile
    registration and payment pilot in three villages of Vientiane Capital."""

    name_lo = models.CharField(_("name in Lao"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind of activity"),
        max_length=20,
        choices=ActivityKind.choices,
        default=ActivityKind.DISSEMINATION,
    )
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    districts = models.ManyToManyField(
        "places.District",
        blank=True,
        related_name="outreach_campaigns",
        verbose_name=_("districts targeted"),
    )
    villages = models.ManyToManyField(
        "places.Village",
        blank=True,
        related_name="outreach_campaigns",
        verbose_name=_("villages targeted"),
    )
    lead_office = models.ForeignKey(
        DistrictOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("lead office"),
    )

    class Meta:
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if get_language() == "en":
            return self.name_en or self.name_lo
        return self.name_lo or self.name_en


class VillageMeeting(models.Model):
    """An outreach activity in a village: a dissemination meeting, a mobile
    registration and payment drive or a workplace campaign, led by promoters or by
    an LSSO or district team; planned ones count in no figure until done."""

    Kind = ActivityKind

    class Status(models.TextChoices):
        DONE = "done", _("Done")
        PLANNED = "planned", _("Planned")

    date = models.DateField(_("date"))
    kind = models.CharField(
        _("kind of activity"),
        max_length=20,
        choices=ActivityKind.choices,
        default=ActivityKind.DISSEMINATION,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DONE,
        help_text=_(
            "A planned activity may have a future date; it counts in no figure "
            "until its turnout is recorded."
        ),
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("campaign"),
    )
    led_by_office = models.ForeignKey(
        DistrictOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_activities",
        verbose_name=_("led by the team of"),
        help_text=_("A district office whose staff led the activity."),
    )
    led_by_team = models.CharField(
        _("led by an LSSO team"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name of the LSSO team that led it, e.g. mobile registration team."
        ),
    )
    village = models.ForeignKey(
        "places.Village",
        on_delete=models.PROTECT,
        related_name="promoter_meetings",
        verbose_name=_("village"),
    )
    led_by = models.ManyToManyField(
        Promoter, blank=True, related_name="meetings", verbose_name=_("led by")
    )
    partners = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="village_meetings",
        verbose_name=_("partner organisations"),
    )
    funders = _organisations("funded_village_meetings", _("funders"))
    projects = _projects("village_meetings")
    turnout_women = _count_field(_("Turnout"), "women")
    turnout_men = _count_field(_("Turnout"), "men")
    turnout_other = _count_field(_("Turnout"), "other")
    turnout_not_recorded = _count_field(_("Turnout"), "not_recorded")
    registrations_women = _count_field(_("Registrations"), "women")
    registrations_men = _count_field(_("Registrations"), "men")
    registrations_other = _count_field(_("Registrations"), "other")
    registrations_not_recorded = _count_field(_("Registrations"), "not_recorded")
    contributions_lak = models.PositiveBigIntegerField(
        _("contributions collected (LAK)"), default=0
    )
    # A bound of its own, so that the API schema names the same maximum on every
    # database (as the session's capacity does).
    contributions_people = models.PositiveIntegerField(
        _("people who paid contributions"),
        default=0,
        validators=[MaxValueValidator(COUNT_CEILING)],
    )
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="meetings", verbose_name=_("topics")
    )
    materials = models.ManyToManyField(
        "materials.MaterialPage",
        blank=True,
        related_name="village_meetings",
        verbose_name=_("materials used"),
    )
    notes = models.TextField(_("notes"), blank=True)
    photo = models.ImageField(
        _("photo of the signed sheet"),
        upload_to=sheet_photo_path,
        blank=True,
    )
    client_uuid = models.UUIDField(
        _("client identifier"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Sent by the phone with the meeting, so a repeat is not stored."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("village meeting")
        verbose_name_plural = _("village meetings")
        constraints = [
            _counts_ceiling("turnout", "meeting"),
            _counts_ceiling("registrations", "meeting"),
            _date_plausible("meeting"),
            models.CheckConstraint(
                condition=Q(contributions_lak__lte=COUNT_CEILING * 1_000_000),
                name="meeting_contributions_ceiling",
                violation_error_message=_("The amount is far too large. Check it."),
            ),
        ]
        indexes = [
            # A period's turnout and registrations from the index alone (reports).
            models.Index(
                fields=["date"],
                include=[
                    "village",
                    "status",
                    *(
                        f"{kind}_{gender}"
                        for kind in ("turnout", "registrations")
                        for gender in GENDER_FIELDS
                    ),
                ],
                name="meeting_date_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.village.name}, {self.date:%Y-%m-%d}"

    @property
    def turnout(self) -> GenderCounts:
        return _counts(self, "turnout")

    @property
    def registrations(self) -> GenderCounts:
        return _counts(self, "registrations")


class InformationCentre(models.Model):
    """A worker information centre hosted in a government or employer-association
    office."""

    class HostKind(models.TextChoices):
        GOVERNMENT_OFFICE = "government_office", _("Government office")
        EMPLOYER_ASSOCIATION = "employer_association", _("Employer association")

    name = models.CharField(_("name"), max_length=200)
    host_organisation = models.CharField(_("host organisation"), max_length=200)
    host_kind = models.CharField(
        _("kind of host"), max_length=30, choices=HostKind.choices
    )
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="information_centres",
        verbose_name=_("district"),
    )
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    partners = _organisations("partnered_information_centres", _("partners"))
    funders = _organisations("funded_information_centres", _("funders"))
    projects = _projects("information_centres")

    class Meta:
        ordering = ["district__code", "name"]
        verbose_name = _("information centre")
        verbose_name_plural = _("information centres")

    def __str__(self) -> str:
        return self.name


class CentreVisit(models.Model):
    """Visitors to an information centre on one day, counted by gender."""

    centre = models.ForeignKey(
        InformationCentre,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("information centre"),
    )
    date = models.DateField(_("date"))
    visitors_women = _count_field(_("Visitors"), "women")
    visitors_men = _count_field(_("Visitors"), "men")
    visitors_other = _count_field(_("Visitors"), "other")
    visitors_not_recorded = _count_field(_("Visitors"), "not_recorded")
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="centre_visits",
        verbose_name=_("topics asked about"),
    )
    partners = _organisations("partnered_centre_visits", _("partners"))
    funders = _organisations("funded_centre_visits", _("funders"))
    projects = _projects("centre_visits")
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("centre visit")
        verbose_name_plural = _("centre visits")
        constraints = [
            _counts_ceiling("visitors", "centre_visit"),
            _date_plausible("centre_visit"),
        ]
        indexes = [
            models.Index(
                fields=["date"],
                include=["centre", *(f"visitors_{g}" for g in GENDER_FIELDS)],
                name="centre_visit_date_counts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.centre.name}, {self.date:%Y-%m-%d}"

    @property
    def visitors(self) -> GenderCounts:
        return _counts(self, "visitors")


class FollowUp(models.Model):
    """A notice to a district office: a trained promoter held no meeting for a while.

    One per promoter and period (the week the check ran), so running the check twice
    tells nobody twice.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    promoter = models.ForeignKey(
        Promoter,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("promoter"),
    )
    office = models.ForeignKey(
        DistrictOffice,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("district office"),
    )
    period_start = models.DateField(_("week of the check"))
    weeks = models.PositiveSmallIntegerField(_("weeks without a meeting"))
    last_meeting_on = models.DateField(_("last meeting"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "promoter__person__full_name"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["promoter", "period_start"],
                name="followup_one_per_promoter_and_period",
                violation_error_message=_(
                    "This promoter already has a follow-up for this week."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.promoter} ({self.period_start:%Y-%m-%d})"
