from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Course, HistoricalTraining, Session
from .services import (
    COURSE_FIELDS,
    HISTORICAL_FIELDS,
    course_ensure_open,
    course_save,
    enrolment_ensure_status_allowed,
    historical_training_record,
    historical_training_update,
    session_ensure_days_movable,
    session_ensure_open,
    session_ensure_status_allowed,
    session_save,
)


class CourseForm(WagtailAdminModelForm):
    """Admin form for a course; saves through trainings.services, and says on the
    form when an approved period keeps its kind or completion rule."""

    class Meta:
        model = Course
        fields = list(COURSE_FIELDS)

    def _post_clean(self):
        super()._post_clean()
        try:
            course_ensure_open(course=self.instance)
        except ValidationError as error:
            self.add_error(None, error)

    def save(self, commit=True):
        return course_save(course=self.instance)


class HistoricalTrainingForm(WagtailAdminModelForm):
    """A past training known only as totals; saved through trainings.services (the
    period lock and the checks say what is wrong on the form)."""

    class Meta:
        model = HistoricalTraining
        fields = [
            "course",
            "title",
            "starts_on",
            "ends_on",
            "district",
            "women",
            "men",
            "other",
            "not_recorded",
            "source",
            "note",
        ]

    def save(self, commit=True):
        values = {name: self.cleaned_data[name] for name in HISTORICAL_FIELDS}
        if self.instance.pk:
            self.instance = historical_training_update(
                training=self.instance, user=self.for_user, **values
            )
        else:
            self.instance = historical_training_record(user=self.for_user, **values)
        return self.instance


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
                self._ensure_status_allowed(form)
        self._ensure_period_open(cleaned)
        return cleaned

    def _ensure_status_allowed(self, form) -> None:
        """ "Completed" by hand is refused on the row, as the services refuse it."""
        enrolment = form.instance
        enrolment.session = self.instance
        try:
            enrolment_ensure_status_allowed(enrolment=enrolment)
        except ValidationError as error:
            form.add_error("status", error.message_dict.get("status", error.messages))

    def _post_clean(self):
        super()._post_clean()
        try:
            session_ensure_status_allowed(session=self.instance)
        except ValidationError as error:
            self.add_error("status", error.message_dict["status"])
        try:
            session_ensure_days_movable(session=self.instance)
        except ValidationError as error:
            self.add_error(None, error)

    def _ensure_period_open(self, cleaned) -> None:
        """An approved period's sessions change only after un-approval: say so on the
        form rather than fail on save."""
        instance = self.instance
        probe = Session(
            pk=instance.pk,
            district=cleaned.get("district", getattr(instance, "district", None)),
            starts_on=cleaned.get("starts_on", instance.starts_on),
            ends_on=cleaned.get("ends_on", instance.ends_on),
        )
        try:
            session_ensure_open(session=probe)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error

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


class PasteRowsForm(forms.Form):
    rows = forms.CharField(
        label=_("Rows copied from a spreadsheet"),
        help_text=_(
            "One person a line, cells separated by tabs (as Excel and Google Sheets "
            "copy them): name, gender, phone, organisation, position. A header row "
            "is optional; with the template's headers, other columns (village, "
            "scores, days) are read too."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )
