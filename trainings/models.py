from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from people.counts import GenderCounts
from places.countries import LAOS, Country

# The most participants a session may take.
SESSION_CAPACITY_MAX = 10_000

SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class Course(models.Model):
    class Kind(models.TextChoices):
        TOT = "tot", _("Training of Trainers")
        SHORT_COURSE = "short_course", _("Short course")
        ORIENTATION = "orientation", _("Orientation")
        LONG_PROGRAMME = "long_programme", _("Long programme")

    # Session codes start with these, e.g. TOT-2022-001.
    CODE_PREFIXES = {
        Kind.TOT: "TOT",
        Kind.SHORT_COURSE: "SC",
        Kind.ORIENTATION: "OR",
        Kind.LONG_PROGRAMME: "LP",
    }

    title_lo = models.CharField(_("title in Lao"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    objectives = models.TextField(_("learning objectives"), blank=True)
    hours = models.PositiveSmallIntegerField(
        _("hours"), null=True, blank=True, help_text=_("Shown on certificates.")
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the session's days a participant must attend."),
    )
    min_post_score = models.DecimalField(
        _("minimum post-test score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
        help_text=_("Leave empty if the course has no post-test requirement."),
    )
    qualifies_for = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="qualified_by",
        verbose_name=_("qualifies to train"),
        help_text=_(
            "For a Training of Trainers: the courses its graduates may then lead. "
            "They are added to the trainer roster when the session is completed."
        ),
    )

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "en":
            return self.title_en or self.title_lo
        return self.title_lo or self.title_en

    @property
    def code_prefix(self) -> str:
        return self.CODE_PREFIXES[self.kind]


class Session(ClusterableModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("course"),
    )
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    # Empty only for a session abroad (a check constraint): a Lao district counts
    # it in that district's figures; abroad it is a line of its own in the reports.
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("district"),
    )
    village = models.ForeignKey(
        "places.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_sessions",
        verbose_name=_("village"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # A plausible bound (issue 14): no training room holds more; the API schema
    # then names the same maximum on every database.
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(SESSION_CAPACITY_MAX)],
    )
    partners = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="partnered_sessions",
        verbose_name=_("partners"),
    )
    funders = models.ManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="funded_sessions",
        verbose_name=_("funders"),
    )
    projects = models.ManyToManyField(
        "projects.Project",
        blank=True,
        related_name="sessions",
        verbose_name=_("projects"),
    )
    led_by = models.ManyToManyField(
        "people.Person",
        blank=True,
        related_name="sessions_led",
        verbose_name=_("led by"),
    )
    # Long and external programmes (a Master's abroad): where and until when.
    institution = models.CharField(
        _("institution"),
        max_length=200,
        blank=True,
        help_text=_("The university or institute that runs the programme."),
    )
    country = models.CharField(
        _("country"),
        max_length=2,
        choices=Country.choices,
        default=LAOS,
        help_text=_("A session abroad has no Lao district."),
    )
    expected_end_on = models.DateField(
        _("expected end"),
        null=True,
        blank=True,
        help_text=_("When the programme is planned to end, for long programmes."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_sessions_created",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=models.Q(district__isnull=False) | ~models.Q(country=LAOS),
                name="session_in_laos_has_district",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.course.title}"

    def clean(self):
        super().clean()
        if self.abroad and self.district_id:
            raise ValidationError(
                {"district": _("A session abroad has no Lao district: leave it empty.")}
            )
        if not self.abroad and not self.district_id:
            raise ValidationError(
                {
                    "district": _(
                        "Choose the district where the session is held, or a "
                        "country other than Laos for a programme abroad."
                    )
                }
            )

    @property
    def abroad(self) -> bool:
        return self.country != LAOS

    @property
    def external(self) -> bool:
        """A long programme or a session abroad: it has an institution and a
        country, and its participants a study status and a return to post."""
        return self.abroad or self.course.kind == Course.Kind.LONG_PROGRAMME


class SessionDay(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("session"),
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("session day")
        verbose_name_plural = _("session days")
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="one_day_per_date")
        ]

    def __str__(self) -> str:
        return self.date.isoformat()


class EnrolmentQuerySet(models.QuerySet):
    def trained(self) -> "EnrolmentQuerySet":
        """Who counts as trained: a participant who completed (not a trainer,
        facilitator or observer; not withdrawn). The one definition: the selectors
        filter with it, and the reports' facts compile its SQL (reports.facts)."""
        return self.filter(
            role=Enrolment.Role.PARTICIPANT, status=Enrolment.Status.COMPLETED
        )


class Enrolment(models.Model):
    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        TRAINER = "trainer", _("Trainer")
        FACILITATOR = "facilitator", _("Facilitator")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Did not complete")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    session = ParentalKey(
        Session,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("session"),
    )
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("person"),
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    status = models.CharField(
        _("status"), max_length=14, choices=Status.choices, default=Status.ENROLLED
    )
    pre_score = models.DecimalField(
        _("pre-test score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    post_score = models.DecimalField(
        _("post-test score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=SCORE_VALIDATORS,
    )
    # Why completing the session decided the status, as codes (trainings/completion.py)
    # shown in the reader's language; the note is free text (older or typed ones).
    completion_reasons = models.JSONField(
        _("completion reasons"), default=list, blank=True, editable=False
    )
    completion_note = models.CharField(_("completion note"), max_length=300, blank=True)
    # Long and external programmes: when the participant's studies ended and their
    # return to post. The study status is the enrolment's status (``study_status``).
    study_ended_on = models.DateField(_("studies ended on"), null=True, blank=True)
    returned_on = models.DateField(_("returned to post on"), null=True, blank=True)
    return_position = models.CharField(
        _("position on return"), max_length=200, blank=True
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["session", "person__full_name"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_enrolment_per_person"
            )
        ]

    def __str__(self) -> str:
        return self.name_of(self.person, self.session.code)

    @staticmethod
    def name_of(person, session_code: str) -> str:
        """The name of an enrolment of ``person`` (or their name) in the session
        of that code: imports name thousands without building them."""
        return f"{person} · {session_code}"

    @property
    def study_status(self) -> str:
        """The status in a long programme's words: enrolled, graduated, withdrawn
        (or did not graduate)."""
        return StudyStatus.of(self.status)

    @property
    def completion_reason(self) -> str:
        """Why the person completed or not, in the active language, and the note."""
        from .completion import reasons_text

        return "; ".join(
            filter(None, [reasons_text(self.completion_reasons), self.completion_note])
        )


class StudyStatus(models.TextChoices):
    """A long programme's participant, said as the enrolment's status: graduated is
    completed, so a graduate counts as trained like any other."""

    ENROLLED = "enrolled", _("Studying")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_GRADUATED = "not_graduated", _("Did not graduate")

    @classmethod
    def of(cls, enrolment_status: str) -> str:
        return cls(STUDY_STATUS_OF[enrolment_status])

    @classmethod
    def enrolment_status(cls, study_status: str) -> str:
        return {value: key for key, value in STUDY_STATUS_OF.items()}[study_status]


STUDY_STATUS_OF = {
    Enrolment.Status.ENROLLED: StudyStatus.ENROLLED,
    Enrolment.Status.COMPLETED: StudyStatus.GRADUATED,
    Enrolment.Status.WITHDRAWN: StudyStatus.WITHDRAWN,
    Enrolment.Status.NOT_COMPLETED: StudyStatus.NOT_GRADUATED,
}


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    # Days that count as attended for the completion rule.
    ATTENDED = (Status.PRESENT, Status.LATE)

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("enrolment"),
    )
    day = models.ForeignKey(
        SessionDay,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("day"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"], name="one_attendance_per_day"
            )
        ]

    def __str__(self) -> str:
        return self.name_of(self.enrolment, self.day, self.status)

    @classmethod
    def name_of(cls, enrolment, day, status: str, labels=None) -> str:
        """The name of an attendance of ``enrolment`` (or its name) on ``day``
        (or its name): imports name thousands without building them, with the
        ``status_labels()`` they read once."""
        labels = labels if labels is not None else cls.status_labels()
        return f"{enrolment} · {day} · {labels.get(status, status)}"

    # {language: {status: its label in that language}}: translated once per
    # language, not once per name (get_status_display() even rebuilds its table of
    # choices on every call).
    _labels_by_language: dict[str | None, dict[str, str]] = {}

    @classmethod
    def status_labels(cls) -> dict[str, str]:
        language = get_language()
        labels = cls._labels_by_language.get(language)
        if labels is None:
            labels = cls._labels_by_language[language] = {
                value: str(label) for value, label in cls.Status.choices
            }
        return labels


class CodeSequence(models.Model):
    """Last number used per code prefix and year; locked while a code is taken."""

    key = models.CharField(max_length=40, unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}: {self.last}"


class TrainerQualification(models.Model):
    """A person qualified to lead sessions of a course: from a completed Training of
    Trainers (``session``) or entered by an administrator."""

    class Source(models.TextChoices):
        TOT = "tot", _("Training of Trainers")
        ADMINISTRATOR = "administrator", _("Entered by an administrator")

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        related_name="trainer_qualifications",
        verbose_name=_("person"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        related_name="trainer_qualifications",
        verbose_name=_("course"),
    )
    qualified_on = models.DateField(_("qualified on"))
    until = models.DateField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("Leave empty while the qualification holds."),
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.ADMINISTRATOR
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="trainer_qualifications",
        verbose_name=_("Training of Trainers session"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["person__full_name", "course__title_en", "-qualified_on"]
        verbose_name = _("trainer qualification")
        verbose_name_plural = _("trainer roster")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "course", "session"],
                condition=models.Q(session__isnull=False),
                name="one_qualification_per_tot",
            ),
            models.CheckConstraint(
                condition=models.Q(until__isnull=True)
                | models.Q(until__gte=models.F("qualified_on")),
                name="qualification_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.course}"


class TraineeFollowUp(models.Model):
    """A follow-up of a trainee: what a participant who completed a session did in
    the months after it (at 3 and at 6 months). Not ``promoters.FollowUp``, which is
    a notice about a promoter holding no meetings."""

    MONTHS = (3, 6)

    class Status(models.TextChoices):
        DUE = "due", _("To do")
        DONE = "done", _("Done")
        UNREACHABLE = "unreachable", _("Could not be reached")

    class Use(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("enrolment"),
    )
    months = models.PositiveSmallIntegerField(
        _("months after the session"), choices=[(n, str(n)) for n in MONTHS]
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DUE
    )
    used_learning = models.CharField(
        _("used what they learned"), max_length=8, choices=Use.choices, blank=True
    )
    people_trained = models.PositiveIntegerField(
        _("people they trained"), null=True, blank=True
    )
    meetings_led = models.PositiveIntegerField(
        _("meetings they led"), null=True, blank=True
    )
    people_registered = models.PositiveIntegerField(
        _("people they registered"), null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trainee_follow_ups_recorded",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "enrolment__person__full_name"]
        verbose_name = _("follow-up of a trainee")
        verbose_name_plural = _("follow-ups of trainees")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "months"],
                name="trainee_follow_up_one_per_enrolment_and_months",
            )
        ]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return _("%(enrolment)s · after %(months)s months") % {
            "enrolment": self.enrolment,
            "months": self.months,
        }


# No one training on paper came near this many people: a typo, not a record.
HISTORICAL_COUNT_MAX = 100_000


def _head_count(label) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label, default=0, validators=[MaxValueValidator(HISTORICAL_COUNT_MAX)]
    )


class HistoricalTraining(models.Model):
    """A past training known only as totals by gender (older paper records): no
    names, no enrolments. Counted in the reports' totals of people trained, and
    always shown as "from aggregate records", never as people."""

    course = models.ForeignKey(
        Course,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="historical_trainings",
        verbose_name=_("course"),
    )
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_(
            "As the record names the training, when it is none of the courses."
        ),
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        related_name="historical_trainings",
        verbose_name=_("district"),
    )
    women = _head_count(_("women trained"))
    men = _head_count(_("men trained"))
    other = _head_count(_("other gender trained"))
    not_recorded = _head_count(_("gender not recorded"))
    source = models.CharField(
        _("source document"),
        max_length=300,
        help_text=_(
            "Where the numbers come from, so anyone can find the paper: for example "
            '"Training register 2019, LSSO Champasak, page 14".'
        ),
    )
    note = models.TextField(_("note"), blank=True)
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

    class Meta:
        ordering = ["-ends_on", "-pk"]
        verbose_name = _("historical training (totals only)")
        verbose_name_plural = _("historical trainings (totals only)")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="historical_training_dates_in_order",
                violation_error_message=_("The last day is before the first day."),
            )
        ]
        indexes = [models.Index(fields=["ends_on", "district"])]

    def __str__(self) -> str:
        return f"{self.name} · {self.starts_on:%d/%m/%Y}"

    @property
    def name(self) -> str:
        return str(self.course) if self.course_id else self.title

    @property
    def counts(self) -> GenderCounts:
        return GenderCounts(self.women, self.men, self.other, self.not_recorded)
