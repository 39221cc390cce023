"""Pieces of Wagtail's admin that show English whatever the language, made translatable.

Wagtail's own strings are translated in locale_wagtail/ (see its README); these are the
few places where Wagtail shows text that never goes through gettext.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.active_filters import ActiveFilter, BaseFilterAdapter
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form. Its password field has no label, so Django shows the
    field's name ("Password") untranslated; this one has a translated label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


class BooleanFilterAdapter(BaseFilterAdapter):
    """An active yes/no filter chip reads "My sessions: Yes", not "…: True"."""

    def get_active_filters(self):
        yield ActiveFilter(
            self.bound_field.auto_id,
            self.filter.label,
            str(_("Yes") if self.value else _("No")),
            self.get_url_without_filter_param(self.name),
        )


def boolean_filters_read_yes_or_no() -> None:
    from wagtail.admin.active_filters import register_filter_adapter_class

    register_filter_adapter_class(django_filters.BooleanFilter, BooleanFilterAdapter)
