"""Form widgets shared by the admin's forms."""

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class SearchableSelectMultiple(forms.CheckboxSelectMultiple):
    """Many choices from a long list: ticks in a scrolling box with a search
    field above it that hides the choices not matching what is typed (the choices
    are the field's own queryset, scoped by the policy). Without JavaScript it is
    a plain list of ticks; never a Ctrl-click list."""

    class Media:
        js = ["js/searchable-select.js"]
        css = {"all": ["css/searchable-select.css"]}

    def render(self, name, value, attrs=None, renderer=None):
        choices = super().render(name, value, attrs, renderer)
        return format_html(
            '<div class="suksa-pick" data-searchable-select>'
            '<input type="search" class="suksa-pick__search" placeholder="{}" '
            'aria-label="{}" autocomplete="off" hidden>'
            '<p class="suksa-pick__count" aria-live="polite"></p>'
            '<div class="suksa-pick__options">{}</div></div>',
            _("Search"),
            _("Search the list"),
            choices,
        )
