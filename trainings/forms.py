from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from common.admin_views import add_service_error
from places.countries import LAOS

from .models import (
    Course,
    HistoricalTraining,
    Session,
    StudyStatus,
    TraineeFollowUp,
    TrainerQualification,
)
from .selectors import people_qualified_for, qualifications_current
from .services import (
    COURSE_FIELDS,
    HISTORICAL_FIELDS,
    course_ensure_open,
    course_qualifies_for_set,
    course_save,
    enrolment_ensure_status_allowed,
    historical_training_record,
    historical_training_update,
    qualification_save,
    session_ensure_days_movable,
    session_ensure_open,
    session_ensure_status_allowed,
    session_save,
    trainee_follow_up_ensure_recordable,
    trainee_follow_up_record,
)


class CourseForm(WagtailAdminModelForm):
    """Admin form for a course; saves through trainings.services, and says on the
    form when an approved period keeps its kind or completion rule."""

    class Meta:
        model = Course
        fields = [*COURSE_FIELDS, "qualifies_for"]
        widgets = {"qualifies_for": forms.CheckboxSelectMultiple}

    def _post_clean(self):
        super()._post_clean()
        try:
            course_ensure_open(course=self.instance)
        except ValidationError as error:
            self.add_error(None, error)

    @transaction.atomic
    def save(self, commit=True):
        course = course_save(course=self.instance)
        course_qualifies_for_set(
            course=course, courses=self.cleaned_data.get("qualifies_for") or []
        )
        return course


class HistoricalTrainingForm(WagtailAdminModelForm):
    """A past training known only as totals; saved through trainings.services (the
    period lock and the checks say what is wrong on the form)."""

    class Meta:
        model = HistoricalTraining
        fields = list(HISTORICAL_FIELDS)

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
    """Admin form for a session and its enrolments; saves through trainings.services.

    The led-by list puts the trainers qualified for the session's course (any
    course, for a new session) first, marked; choosing someone else is allowed,
    with a warning (``leader_warnings``) shown after saving."""

    class Media:
        js = ["js/session-form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.leader_warnings: list[str] = []
        if "country" in self.fields:
            # Most sessions are in Laos: left out, the country is Laos.
            self.fields["country"].required = False
            self.fields["country"].widget.attrs["data-laos"] = LAOS
        if "course" in self.fields:
            # The courses whose sessions have an institution and an expected end
            # whatever the country: static/js/session-form.js shows that panel for
            # them and for a session abroad.
            long_courses = Course.objects.filter(kind=Course.Kind.LONG_PROGRAMME)
            self.fields["course"].widget.attrs["data-long-programmes"] = " ".join(
                str(pk) for pk in long_courses.values_list("pk", flat=True)
            )
        field = self.fields.get("led_by")
        if field is None:
            return
        course = getattr(self.instance, "course", None) if self.instance.pk else None
        if course is not None:
            qualified = people_qualified_for(course=course)
        else:
            qualified = set(
                qualifications_current().values_list("person_id", flat=True)
            )
        field.queryset = field.queryset.annotate(
            qualified=Case(
                When(pk__in=qualified, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("qualified", "full_name")
        mark = gettext("qualified trainer")
        field.label_from_instance = lambda person: (
            f"{person} ({mark})" if person.pk in qualified else str(person)
        )
        field.help_text = _(
            "Qualified trainers (on the trainer roster) come first. Someone not "
            "qualified for the course can still lead it; you will be warned."
        )

    def _check_leaders(self, cleaned) -> None:
        course, leaders = cleaned.get("course"), cleaned.get("led_by")
        if course is None or not leaders:
            return
        qualified = people_qualified_for(
            course=course, on=cleaned.get("starts_on") or None
        )
        others = [str(person) for person in leaders if person.pk not in qualified]
        if others:
            self.leader_warnings.append(
                gettext(
                    "Not on the trainer roster for %(course)s: %(people)s. The "
                    "session is saved; check that they can lead it."
                )
                % {"course": course, "people": ", ".join(others)}
            )

    def clean_country(self):
        return self.cleaned_data.get("country") or LAOS

    def clean(self):
        cleaned = super().clean()
        self._check_leaders(cleaned)
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


class TrainerQualificationForm(WagtailAdminModelForm):
    """An administrator adds a trainer to the roster, or ends or corrects a row. A
    row that came from a Training of Trainers keeps its person, course and date."""

    class Meta:
        model = TrainerQualification
        fields = ["person", "course", "qualified_on", "until", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.session_id:
            for name in ("person", "course", "qualified_on"):
                self.fields[name].disabled = True

    def save(self, commit=True):
        return qualification_save(qualification=self.instance)


class StudyRecordForm(forms.Form):
    """One participant of a long or external programme: study status, end of
    studies and return to post (``study_records_save``)."""

    enrolment = forms.IntegerField(widget=forms.HiddenInput)
    study_status = forms.ChoiceField(
        label=_("Study status"), choices=StudyStatus.choices
    )
    study_ended_on = forms.DateField(
        label=_("Studies ended on"), required=False, widget=AdminDateInput
    )
    returned_on = forms.DateField(
        label=_("Returned to post on"), required=False, widget=AdminDateInput
    )
    return_position = forms.CharField(
        label=_("Position on return"), max_length=200, required=False
    )


StudyRecordFormSet = forms.formset_factory(StudyRecordForm, extra=0)


FOLLOW_UP_FIELDS = [
    "status",
    "used_learning",
    "people_trained",
    "meetings_led",
    "people_registered",
    "comment",
]


FOLLOW_UP_COUNTS = ["people_trained", "meetings_led", "people_registered"]
# Catches a typo (1200 for 12) before it reaches the reports.
FOLLOW_UP_MOST_PEOPLE = 5000


class FollowUpAnswersMixin:
    """What a trainee did since the session; saved by ``trainee_follow_up_record``
    (who, when, the period lock). The same questions in the admin and the portal."""

    def __init__(self, *args, recorded_by=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.recorded_by = recorded_by
        if "status" in self.fields:
            self._status_field(self.fields["status"])
        self.fields["used_learning"].widget = forms.RadioSelect(
            choices=TraineeFollowUp.Use.choices
        )
        self.fields["comment"].widget = forms.Textarea(attrs={"rows": 3})
        for name in FOLLOW_UP_COUNTS:
            field = self.fields[name]
            field.min_value, field.max_value = 0, FOLLOW_UP_MOST_PEOPLE
            field.validators = [
                MinValueValidator(0),
                MaxValueValidator(FOLLOW_UP_MOST_PEOPLE),
            ]
            field.widget.attrs.update({"inputmode": "numeric", "min": 0})
            field.error_messages.update(
                invalid=_("Write a number in digits, for example 12."),
                min_value=_("The number cannot be below 0."),
                max_value=_("That is more than %(limit_value)s: check the number."),
            )
        self.fields["used_learning"].error_messages["invalid_choice"] = _(
            "Choose yes, partly or no."
        )

    def _status_field(self, field) -> None:
        """Recording says what happened: done, or nobody could reach them."""
        field.choices = [
            (value, label)
            for value, label in field.choices
            if value != TraineeFollowUp.Status.DUE
        ]
        field.widget = forms.RadioSelect(choices=field.choices)
        field.error_messages["required"] = _("Choose what happened.")
        if self.instance.status == TraineeFollowUp.Status.DUE:
            self.initial["status"] = TraineeFollowUp.Status.DONE

    def _post_clean(self):
        # The service's rules (and the period lock) answer on the form.
        data = self.cleaned_data
        try:
            trainee_follow_up_ensure_recordable(
                follow_up=self.instance,
                status=data.get("status", TraineeFollowUp.Status.DONE),
                used_learning=data.get("used_learning", ""),
            )
        except ValidationError as error:
            add_service_error(self, error)

    def save(self, commit=True):
        answers = {"status": TraineeFollowUp.Status.DONE, **self.cleaned_data}
        self.instance = trainee_follow_up_record(
            follow_up=self.instance, by=self.recorded_by, **answers
        )
        return self.instance


class TraineeFollowUpForm(FollowUpAnswersMixin, WagtailAdminModelForm):
    class Meta:
        model = TraineeFollowUp
        fields = FOLLOW_UP_FIELDS

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, recorded_by=for_user, **kwargs)
