from django.conf import settings
from django.db import models
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

NATIONAL_HEADER_LO = "ສາທາລະນະລັດ ປະຊາທິປະໄຕ ປະຊາຊົນລາວ"
NATIONAL_MOTTO_LO = "ສັນຕິພາບ ເອກະລາດ ປະຊາທິປະໄຕ ເອກະພາບ ວັດທະນະຖາວອນ"


class CertificateTemplate(ClusterableModel):
    """What a certificate says and shows, edited by staff; per course or default:
    the national header and motto, wording, issuer, logos, seal and signatories."""

    national_header_lo = models.CharField(
        _("national header in Lao"),
        max_length=120,
        blank=True,
        default=NATIONAL_HEADER_LO,
        help_text=_("Printed at the top centre. Leave empty to print no header."),
    )
    national_header_en = models.CharField(
        _("national header in English"),
        max_length=120,
        blank=True,
        default="Lao People's Democratic Republic",
    )
    motto_lo = models.CharField(
        _("national motto in Lao"),
        max_length=160,
        blank=True,
        default=NATIONAL_MOTTO_LO,
    )
    motto_en = models.CharField(
        _("national motto in English"),
        max_length=160,
        blank=True,
        default="Peace Independence Democracy Unity Prosperity",
    )

    name = models.CharField(_("name"), max_length=100)
    course = models.OneToOneField(
        "trainings.Course",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_template",
        verbose_name=_("course"),
        help_text=_("Leave empty for the default template used by other courses."),
    )
    heading_lo = models.CharField(
        _("heading in Lao"), max_length=120, default="ໃບຢັ້ງຢືນການຝຶກອົບຮົມ"
    )
    heading_en = models.CharField(
        _("heading in English"), max_length=120, default="Certificate of completion"
    )
    statement_lo = models.CharField(
        _("statement in Lao"), max_length=300, default="ໄດ້ເຂົ້າຮ່ວມ ແລະ ສຳເລັດການຝຶກອົບຮົມ"
    )
    statement_en = models.CharField(
        _("statement in English"),
        max_length=300,
        default="has taken part in and successfully completed",
    )
    issuer_lo = models.CharField(
        _("issuing organisation in Lao"), max_length=200, default="ອົງການປະກັນສັງຄົມແຫ່ງຊາດ"
    )
    issuer_en = models.CharField(
        _("issuing organisation in English"),
        max_length=200,
        default="Lao Social Security Organisation",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("The LSSO emblem or logo, printed top left beside the issuer."),
    )
    seal = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seal"),
        help_text=_(
            "The organisation's seal, printed over the first signature: a PNG with "
            "a transparent background looks best."
        ),
    )
    place_lo = models.CharField(
        _("place of issue in Lao"),
        max_length=120,
        blank=True,
        default="ນະຄອນຫຼວງວຽງຈັນ",
        help_text=_("Printed before the issue date, above the signatures."),
    )
    place_en = models.CharField(
        _("place of issue in English"),
        max_length=120,
        blank=True,
        default="Vientiane Capital",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name


class PartnerLogo(Orderable):
    """A partner's logo printed top right (a development partner, a ministry)."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="partner_logos"
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("logo"),
    )
    name = models.CharField(
        _("partner"),
        max_length=120,
        help_text=_(
            "The partner's name, read out instead of the logo by screen readers."
        ),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("partner logo")
        verbose_name_plural = _("partner logos")

    def __str__(self) -> str:
        return self.name


class Signatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120)
    title_lo = models.CharField(_("title in Lao"), max_length=160)
    title_en = models.CharField(_("title in English"), max_length=160)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature image"),
    )

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        REPLACED = "replaced", _("Replaced")

    enrolment = models.ForeignKey(
        "trainings.Enrolment",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrolment"),
    )
    number = models.CharField(_("number"), max_length=40, unique=True, editable=False)
    code = models.CharField(
        _("verification code"), max_length=40, unique=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.VALID
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # The date that counts (reports, verification, the PDF): a certificate for a
    # training that ended before it was issued is dated the training's last day.
    issued_on = models.DateField(_("issue date"))
    # Certificates made before issue dates existed print the day they were made; set
    # only where that differs from ``issued_on``, cleared when the date is corrected.
    printed_on = models.DateField(null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    # What the certificate says, fixed when it is issued (a re-issue takes new values).
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_latin_name = models.CharField(
        _("holder in Latin letters"), max_length=200, blank=True
    )
    pdf = models.FileField(_("PDF"), upload_to="certificates/%Y/", blank=True)
    pdf_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate_per_enrolment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name}"

    @property
    def session(self):
        return self.enrolment.session

    @property
    def date_printed(self):
        return self.printed_on or self.issued_on


class CertificateJob(models.Model):
    """A bulk issue running in the background, with its progress and results."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    session = models.ForeignKey(
        "trainings.Session", on_delete=models.CASCADE, related_name="certificate_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # What went wrong, for administrators (the log has the details); never shown raw.
    error = models.CharField(max_length=500, blank=True)
    combined_pdf = models.FileField(upload_to="certificate-jobs/", blank=True)
    archive = models.FileField(upload_to="certificate-jobs/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.session.code} · {self.get_state_display()}"

    @property
    def message(self) -> str:
        """The job's state in words, in the reader's language."""
        if self.state == self.State.DONE:
            return ngettext(
                "%(count)s certificate ready.",
                "%(count)s certificates ready.",
                self.done,
            ) % {"count": self.done}
        if self.state == self.State.FAILED:
            return gettext(
                "Issuing failed. Try again, or ask an administrator to look at the job."
            )
        if self.state == self.State.RUNNING:
            return gettext("%(done)s of %(total)s issued…") % {
                "done": self.done,
                "total": self.total,
            }
        return gettext("Waiting for a worker to start…")

    @property
    def progress(self) -> int:
        """Issuing is the first 90 %; rendering and packing the files the rest."""
        if self.state == self.State.DONE:
            return 100
        return round(90 * min(self.done, self.total) / self.total) if self.total else 0
