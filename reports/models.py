from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _copied(model: str, *, null: bool = False) -> models.ForeignKey:
    """A key copied from the source rows: no constraint and no index of its own
    (the facts are derived; their composite indexes serve the reports)."""
    return models.ForeignKey(
        model,
        null=null,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


# Columns a period's facts carry in their index so a figure never reads the table.
COVERED = [
    "session",
    "district",
    "province",
    "course",
    "course_kind",
    "organisation_kind",
]


class SessionFacts(models.Model):
    """What both facts tables copy: the person (and their gender and organisation
    kind) and the session (its district, province, course and course kind)."""

    person = _copied("people.Person")
    session = _copied("trainings.Session")
    gender = models.CharField(max_length=12)
    # NULL: a session abroad (no Lao district); reports show it as a line of its own.
    district = _copied("places.District", null=True)
    province = _copied("places.Province", null=True)
    course = _copied("trainings.Course")
    course_kind = models.CharField(max_length=20)
    # NULL: no organisation (as the join it comes from says).
    organisation_kind = models.CharField(max_length=30, null=True)  # noqa: DJ001

    class Meta:
        abstract = True


class TrainedFact(SessionFacts):
    """One participant who completed a session, flattened for the reports.

    The reports count distinct people over millions of enrolments; joining enrolment,
    session, district, course, person and organisation for every figure is what made
    them slow. These rows carry every column a report filters or groups by, so each
    figure reads one narrow table through one index. They are derived data only:
    ``reports.facts`` recomputes a person's rows whenever their enrolments, their
    sessions, their courses or they themselves change (in the same transaction), and
    ``facts_rebuild`` recomputes them all (nightly, and from ``manage.py
    reports_facts``).
    """

    enrolment = models.OneToOneField(
        "trainings.Enrolment",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    ends_on = models.DateField()
    # The person completed a Training of Trainers (any, any date): the cascade walks
    # from leaders to the trainers among the people they trained.
    tot_graduate = models.BooleanField()

    class Meta:
        indexes = [
            # A period's figures read this index alone (PostgreSQL covers the rest).
            models.Index(
                fields=["ends_on", "person", "gender"],
                include=COVERED,
                name="trained_fact_period",
            ),
            models.Index(fields=["person", "gender"], name="trained_fact_person"),
            models.Index(
                fields=["session", "person", "gender"], name="trained_fact_session"
            ),
            models.Index(
                fields=["session", "person"],
                condition=models.Q(tot_graduate=True),
                name="trained_fact_trainers",
            ),
            models.Index(
                fields=["ends_on", "session", "person", "gender"],
                condition=models.Q(course_kind="tot"),
                name="trained_fact_tot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} · {self.session_id}"


class CertificateFact(SessionFacts):
    """One certificate, with its holder's gender and its session's place and course,
    so the certificates issued and revoked in a period are counted from one index.
    Kept with ``TrainedFact`` by ``reports.facts`` (by holder)."""

    certificate = models.OneToOneField(
        "certificates.Certificate",
        on_delete=models.CASCADE,
        primary_key=True,
        db_constraint=False,
        related_name="+",
    )
    # The certificate's issue date (the date that counts), not when it was typed in.
    issued_on = models.DateField()
    revoked_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["issued_on", "gender"],
                include=COVERED,
                name="certificate_fact_issued",
            ),
            models.Index(
                fields=["revoked_at"],
                include=COVERED,
                condition=models.Q(revoked_at__isnull=False),
                name="certificate_fact_revoked",
            ),
            models.Index(fields=["person"], name="certificate_fact_person"),
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}"


class ExportJob(models.Model):
    """A Reports page download made in the background (``reports.jobs``): the same
    file as the direct download, for the user who asked, kept until it expires."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report")
        PEOPLE = "people", _("List of the people trained")
        DHIS2 = "dhis2", _("DHIS2")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file_format = models.CharField(max_length=10)
    # The download's query string (the report filters), as the direct URL has it.
    query = models.TextField(blank=True)
    # The reader's language when they asked: the file's words are in it.
    language = models.CharField(max_length=10)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    progress = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    # Why the file could not be made, in the reader's words (shown to them).
    refusal = models.CharField(max_length=500, blank=True)
    # What went wrong, for administrators (the log has the details); never shown.
    error = models.CharField(max_length=500, blank=True)
    file = models.FileField(upload_to="export-jobs/", blank=True)
    filename = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind}.{self.file_format} · {self.get_state_display()}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class FactsVersion(models.Model):
    """The version of the data the reports' figures are computed from: a row for
    the facts and one for the meetings ToT graduates led, each given a new random
    ``key`` in the same transaction as every write to that data
    (``reports.facts.facts_version_bump``). Cached figures are kept under it, so a
    figure computed before a write is never read after it; a key is never reused,
    not even after a rollback."""

    key = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
