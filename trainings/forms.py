from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .services import session_save


class SessionForm(WagtailAdminModelForm):
    """Admin form for a session and its enrolments; saves through trainings.services."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("enrolments")
        if formset is not None:
            seen = set()
            for form in formset.forms:
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                person = form.cleaned_data.get("person")
                if person is not None and person.pk in seen:
                    raise forms.ValidationError(
                        _("%(person)s is enrolled twice. Remove one of the rows.")
                        % {"person": person}
                    )
                if person is not None:
                    seen.add(person.pk)
        return cleaned

    def save(self, commit=True):
        session = super().save(commit=False)
        return session_save(
            session=session, created_by=self.for_user, save_related=self.save_m2m
        )


class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled sign-in sheet"),
        help_text=_("The session's template, filled in: .xlsx or .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
