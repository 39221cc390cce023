from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """A place named in Lao script and in the usual English romanisation."""

    name_lo = models.CharField(_("name in Lao"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if get_language() == "en":
            return self.name_en or self.name_lo
        return self.name_lo or self.name_en


class Province(BilingualName):
    code = models.CharField(
        _("code"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^\d{2}$", _("Use the 2-digit province code."))],
    )
    iso = models.CharField(_("ISO 3166-2 code"), max_length=6, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class District(BilingualName):
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("province"),
    )
    code = models.CharField(
        _("code"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("Use the 4-digit district code."))],
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return f"{self.name}, {self.province.name}"


class Village(BilingualName):
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("district"),
    )
    name_en = models.CharField(_("name in English"), max_length=120, blank=True)

    class Meta:
        ordering = ["district__code", "name_lo"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "name_lo"], name="village_unique_name_in_district"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.district.name}"
