"""Filters of the admin listings; exports apply the same ones."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget

from common.filters import AdminFilterSet

from .models import CentreVisit, Promoter, VillageMeeting


class PromoterFilterSet(AdminFilterSet):
    class Meta:
        model = Promoter
        fields = ["status", "role", "office", "office__district__province"]


class MeetingFilterSet(AdminFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = VillageMeeting
        fields = [
            "date",
            "kind",
            "status",
            "campaign",
            "village__district",
            "topics",
            "partners",
            "led_by__office",
        ]


class CentreVisitFilterSet(AdminFilterSet):
    date = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = CentreVisit
        fields = ["centre", "date", "topics"]
