from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LSSO = "lsso", _("LSSO")
        GOVERNMENT = "government", _("Government")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        EMPLOYER_ASSOCIATION = "employer_association", _("Employer association")
        TRADE_UNION = "trade_union", _("Trade union")
        VILLAGE_ADMINISTRATION = "village_administration", _("Village administration")
        PRODUCER_GROUP = "producer_group", _("Producer group")
        INTERNATIONAL = "international", _("International organisation")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("Other")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class ConsentMethod(models.TextChoices):
    PAPER_FORM = "paper_form", _("Paper form")
    VERBAL = "verbal", _("Verbal")
    ONLINE = "online", _("Online")


class Person(models.Model):
    """Anyone Suksa counts: participants, trainers, promoters. Most have no account."""

    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As the person writes it, usually in Lao script."),
    )
    latin_name = models.CharField(
        _("name in Latin letters"), max_length=200, blank=True
    )
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.NOT_RECORDED
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("district"),
    )
    village = models.ForeignKey(
        "places.Village",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("village"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
        help_text=_("For trainers and promoters who sign in; most people have none."),
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_method = models.CharField(
        _("how consent was given"),
        max_length=100,
        blank=True,
        choices=ConsentMethod.choices,
    )
    consent_notice_version = models.CharField(
        _("privacy notice version"),
        max_length=20,
        blank=True,
        help_text=_("The version of the privacy notice the person was told about."),
    )
    # Set when the person's data was erased: the record stays, anonymised, so that
    # every count (gender, enrolments, attendance) stays the same.
    erased_at = models.DateTimeField(
        _("data erased on"), null=True, blank=True, editable=False
    )
    # Set when the record was made although someone outside the registering user's
    # scope matched it (the same phone, or name, year and district): the match is
    # neither shown to that user nor adopted; an administrator merges or clears it.
    possible_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("possible duplicate of"),
        editable=False,
    )
    # Keys for duplicate detection, kept by people.services on every write.
    name_key = models.CharField(max_length=200, editable=False, db_index=True)
    phone_key = models.CharField(max_length=32, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        if self.latin_name:
            return f"{self.full_name} ({self.latin_name})"
        return self.full_name
