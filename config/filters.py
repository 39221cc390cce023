"""Filters of every API listing: a number in a query parameter is a number the
database can hold, or the answer is 400.

``?district=99999999999999999999`` used to reach SQLite as a Python int it cannot
bind (500) through django-filter's ``NumberFilter``, which reads a decimal. Every
filterset derives from ``FilterSet`` below (the API's filter backend builds the
generated ones from it too), and an integer parameter is an ``IntegerFilter``.
"""

import django_filters
from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.rest_framework import FilterSet as RestFilterSet

from .numbers import ascii_digits

# The largest integer column (a big auto primary key) on SQLite and PostgreSQL.
DATABASE_INTEGER_MAX = 2**63 - 1


class IntegerField(forms.IntegerField):
    """A whole number, in ASCII or Lao digits, that fits the database's integers."""

    default_error_messages = {
        "invalid": _("Write a whole number."),
        "max_value": _("The number is too large."),
        "min_value": _("The number is too small."),
    }

    def __init__(self, *, max_value=None, min_value=None, **kwargs):
        super().__init__(
            max_value=DATABASE_INTEGER_MAX if max_value is None else max_value,
            min_value=-DATABASE_INTEGER_MAX if min_value is None else min_value,
            **kwargs,
        )

    def to_python(self, value):
        return super().to_python(ascii_digits(value))


class IntegerFilter(django_filters.NumberFilter):
    field_class = IntegerField


INTEGER_COLUMNS = (
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
)


class FilterSet(RestFilterSet):
    FILTER_DEFAULTS = {
        **RestFilterSet.FILTER_DEFAULTS,
        **{column: {"filter_class": IntegerFilter} for column in INTEGER_COLUMNS},
    }


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: ``filterset_fields`` become a ``FilterSet``."""

    filterset_base = FilterSet
