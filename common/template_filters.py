"""Filters every template has without ``{% load %}`` (``TEMPLATES`` builtins)."""

from django import template

from common.numbers import number as _number

register = template.Library()


@register.filter
def number(value) -> str:
    """``{{ score|number }}``: 1,240, 72.5 or 80, as ``common.numbers.number``."""
    return _number(value)
