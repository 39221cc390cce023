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
from wagtail.admin.filters import WagtailFilterSet

from .numbers import ascii_digits

# The largest integer column (a big auto primary key) on SQLite and PostgreSQL.
DATABASE_INTEGER_MAX = 2**63 - 1
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


class IntegerKeysMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several records chosen by key; a key no database integer holds is refused
    as an invalid choice before it reaches the query (an ``__in`` lookup passes it
    to SQLite as it is, and SQLite cannot bind it)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        column = self.queryset.model._meta.get_field(
            self.queryset.model._meta.pk.name if key == "pk" else key
        )
        if isinstance(column, INTEGER_COLUMNS):
            for typed in value:
                try:
                    number = int(ascii_digits(str(typed)))
                except ValueError:
                    number = None
                if number is None or abs(number) > DATABASE_INTEGER_MAX:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": typed},
                    )
        return super()._check_values(value)


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = IntegerKeysMultipleChoiceField


def _filter_defaults(defaults: dict) -> dict:
    """django-filter's defaults with integers read by ``IntegerFilter`` and
    several records chosen through ``ModelMultipleChoiceFilter``."""
    bounded = dict(defaults)
    for column in INTEGER_COLUMNS:
        bounded[column] = {"filter_class": IntegerFilter}
    for relation, default in defaults.items():
        if default.get("filter_class") is django_filters.ModelMultipleChoiceFilter:
            bounded[relation] = {**default, "filter_class": ModelMultipleChoiceFilter}
    return bounded


class FilterSet(RestFilterSet):
    """The base of every API filterset."""

    FILTER_DEFAULTS = _filter_defaults(RestFilterSet.FILTER_DEFAULTS)


class AdminFilterSet(WagtailFilterSet):
    """The base of every admin listing's filterset."""

    FILTER_DEFAULTS = _filter_defaults(WagtailFilterSet.FILTER_DEFAULTS)


class FilterBackend(DjangoFilterBackend):
    """The API's filter backend: ``filterset_fields`` become a ``FilterSet``."""

    filterset_base = FilterSet
