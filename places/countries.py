"""Countries where LSSO staff study or train, by ISO 3166-1 alpha-2 code.

A session is held in Laos (``LAOS``) unless it says otherwise; a session abroad has
no Lao district. The list is short on purpose: the countries the partners' long
programmes and study visits go to, in English with Lao translations.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

LAOS = "LA"


class Country(models.TextChoices):
    LA = "LA", _("Laos")
    TH = "TH", _("Thailand")
    VN = "VN", _("Viet Nam")
    KH = "KH", _("Cambodia")
    MM = "MM", _("Myanmar")
    CN = "CN", _("China")
    MY = "MY", _("Malaysia")
    SG = "SG", _("Singapore")
    PH = "PH", _("Philippines")
    ID = "ID", _("Indonesia")
    JP = "JP", _("Japan")
    KR = "KR", _("Republic of Korea")
    IN = "IN", _("India")
    AU = "AU", _("Australia")
    NZ = "NZ", _("New Zealand")
    FR = "FR", _("France")
    DE = "DE", _("Germany")
    NL = "NL", _("Netherlands")
    BE = "BE", _("Belgium")
    CH = "CH", _("Switzerland")
    GB = "GB", _("United Kingdom")
    US = "US", _("United States")
