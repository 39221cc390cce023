import copy

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSetGroup

from access.admin import PolicyModelViewSet
from common.admin_views import ScopedObjectMixin, ServiceDeleteMixin
from common.filters import AdminFilterSet
from common.numbers import short_date
from common.widgets import SearchableSelectMultiple
from people.forms import PersonQuickForm
from people.models import Person
from places.models import District

from . import hooks, views
from .forms import (
    FOLLOW_UP_FIELDS,
    CourseForm,
    HistoricalTrainingForm,
    SessionForm,
    TraineeFollowUpForm,
    TrainerQualificationForm,
)
from .models import (
    Course,
    HistoricalTraining,
    Session,
    TraineeFollowUp,
    TrainerQualification,
)
from .selectors import (
    people_found_for,
    people_visible_to,
    qualifications_current,
    sessions_changeable_by,
    sessions_visible_to,
    trainee_follow_ups_in_order,
)
from .services import HISTORICAL_FIELDS, historical_training_delete, session_delete


class PersonChooserFilterForm(BaseFilterForm):
    """One search box: name in Lao or Latin letters, organisation, and phone number
    for those who may see phone numbers (``people_found_for``)."""

    q = forms.CharField(
        label=_("Name, organisation or phone number"),
        widget=forms.TextInput(attrs={"placeholder": _("Search"), "type": "search"}),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, objects):
        if not self.is_valid():
            return objects
        self.search_query = self.cleaned_data["q"].strip()
        self.is_searching = bool(self.search_query)
        if not self.is_searching:
            return objects
        return people_found_for(
            user=self.user, query=self.search_query, queryset=objects
        )


class ScopedPersonChooserMixin:
    """The person chooser lists, and hands back, only the people the user may see
    (``people_visible_to``); users without the people permission get 403. A new
    person is registered through ``PersonQuickForm`` (the duplicate check)."""

    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("people.view_person"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_object_list(self):
        return people_visible_to(self.request.user).select_related("organisation")

    def get_object(self, pk):
        return people_visible_to(self.request.user).get(pk=pk)

    def get_objects(self, pks):
        return people_visible_to(self.request.user).filter(pk__in=pks)

    def get_filter_form(self):
        return PersonChooserFilterForm(self.request.GET, user=self.request.user)

    def get_creation_form_kwargs(self):
        kwargs = super().get_creation_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    @property
    def columns(self):
        name, *others = super().columns
        name.label = _("Name")
        return [
            name,
            *others,
            Column("organisation", label=_("Organisation"), accessor="organisation"),
        ]


class PersonNameColumnMixin:
    """The chooser's list heads its column "Name", not Wagtail's "Title"."""

    @property
    def title_column(self):
        column = super().title_column
        column.label = _("Name")
        return column


class PersonChooseView(
    ScopedPersonChooserMixin, PersonNameColumnMixin, chooser_views.ChooseView
):
    pass


class PersonChooseResultsView(
    ScopedPersonChooserMixin, PersonNameColumnMixin, chooser_views.ChooseResultsView
):
    pass


class PersonChosenView(ScopedPersonChooserMixin, chooser_views.ChosenView):
    pass


class PersonChosenMultipleView(
    ScopedPersonChooserMixin, chooser_views.ChosenMultipleView
):
    pass


class PersonCreateView(ScopedPersonChooserMixin, chooser_views.CreateView):
    pass


class PersonChooserViewSet(ChooserViewSet):
    model = Person
    choose_view_class = PersonChooseView
    choose_results_view_class = PersonChooseResultsView
    chosen_view_class = PersonChosenView
    chosen_multiple_view_class = PersonChosenMultipleView
    create_view_class = PersonCreateView
    creation_form_class = PersonQuickForm
    icon = "user"
    choose_one_text = _("Choose a person")
    choose_another_text = _("Choose another person")
    edit_item_text = _("Edit this person")
    creation_tab_label = _("New person")
    create_action_label = _("Register")


person_chooser_viewset = PersonChooserViewSet("person_chooser")


class CourseViewSet(PolicyModelViewSet):
    model = Course
    name = "courses"
    icon = "doc-full"
    list_display = ["title_lo", "title_en", "kind", "min_attendance_percent"]
    list_filter = ["kind"]
    search_fields = ["title_lo", "title_en"]
    list_export = ["title_lo", "title_en", "kind", "min_attendance_percent"]

    def get_form_class(self, for_update=False):
        return CourseForm


class SessionFilterSet(AdminFilterSet):
    mine = django_filters.BooleanFilter(
        label=_("My sessions"),
        method="filter_mine",
        widget=django_filters.widgets.BooleanWidget(),
    )
    starts_on = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Session
        fields = ["status", "course", "course__kind", "district", "starts_on"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        user = self.request.user
        return queryset.filter(created_by=user) | queryset.filter(led_by__user=user)


class ChangeableSessionMixin(ScopedObjectMixin):
    def get_scope(self):
        return sessions_changeable_by(self.request.user)


class VisibleSessionMixin(ScopedObjectMixin):
    def get_scope(self):
        return sessions_visible_to(self.request.user)


class ReturnToSessionMixin:
    """Saving a session returns to its page, where the next step is."""

    def get_success_url(self):
        return reverse("sessions:inspect", args=[quote(self.object.pk)])


class LeaderWarningsMixin:
    """After a save, the form's warnings about leaders not on the trainer roster
    (``SessionForm.leader_warnings``): a warning, never a refusal."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            for warning in form.leader_warnings:
                messages.warning(self.request, warning)
        return response


class SessionCreateView(LeaderWarningsMixin, ReturnToSessionMixin, generic.CreateView):
    pass


class SessionEditView(
    LeaderWarningsMixin, ReturnToSessionMixin, ChangeableSessionMixin, generic.EditView
):
    pass


class SessionDeleteView(ServiceDeleteMixin, ChangeableSessionMixin, generic.DeleteView):
    """Deletes through ``session_delete``; a refusal (an approved period) is shown
    as an error message on the session's edit page."""

    def delete_with_service(self):
        session_delete(session=self.object)


class SessionHistoryView(VisibleSessionMixin, history.HistoryView):
    pass


class SessionUsageView(VisibleSessionMixin, usage.UsageView):
    pass


class SessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return sessions_visible_to(self.request.user)


class SessionViewSet(PolicyModelViewSet):
    model = Session
    name = "sessions"
    icon = "date"
    menu_order = 100
    index_view_class = SessionIndexView
    add_view_class = SessionCreateView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
    inspect_view_class = views.SessionDetailView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = SessionFilterSet
    list_display = ["code", "course", "starts_on", "ends_on", "district", "status"]
    list_export = [
        "code",
        "course",
        "starts_on",
        "ends_on",
        "venue",
        "district",
        "institution",
        "country",
        "status",
    ]
    search_fields = ["code", "venue", "course__title_lo", "course__title_en"]
    ordering = ["-starts_on"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("course"),
                    FieldPanel("starts_on"),
                    FieldPanel("ends_on"),
                    FieldPanel("status"),
                    FieldPanel("capacity"),
                ],
                heading=_("Session"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("venue"),
                    FieldPanel("district"),
                    FieldPanel("village"),
                    FieldPanel("country"),
                ],
                heading=_("Place"),
            ),
            # Shown only for a long programme or a session abroad
            # (static/js/session-form.js); without JavaScript, always.
            MultiFieldPanel(
                [FieldPanel("institution"), FieldPanel("expected_end_on")],
                heading=_("Long programme or abroad"),
                help_text=_(
                    "For a long programme (a degree) or a training abroad: who runs "
                    "it and when it should end."
                ),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("led_by", widget=SearchableSelectMultiple),
                    FieldPanel("partners", widget=SearchableSelectMultiple),
                    FieldPanel("funders", widget=SearchableSelectMultiple),
                    FieldPanel("projects", widget=SearchableSelectMultiple),
                ],
                heading=_("People and organisations"),
            ),
            InlinePanel(
                "enrolments",
                heading=_("Enrolments"),
                label=_("Enrolment"),
                panels=[
                    FieldPanel("person", widget=person_chooser_viewset.widget_class),
                    FieldPanel("role"),
                    FieldPanel("status"),
                    FieldPanel("pre_score"),
                    FieldPanel("post_score"),
                ],
            ),
        ],
        base_form_class=SessionForm,
    )

    def get_queryset(self, request):
        return sessions_visible_to(request.user)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "<str:pk>/attendance/",
                views.AttendanceGridView.as_view(),
                name="attendance",
            ),
            path("<str:pk>/scores/", views.ScoreGridView.as_view(), name="scores"),
            path("<str:pk>/study/", views.StudyRecordsView.as_view(), name="study"),
            path("<str:pk>/import/", views.SheetImportView.as_view(), name="import"),
            path("<str:pk>/paste/", views.PasteRowsView.as_view(), name="paste"),
            path(
                "<str:pk>/participants/",
                views.AddParticipantsView.as_view(),
                name="participants",
            ),
            path(
                "<str:pk>/complete/",
                views.SessionCompleteView.as_view(),
                name="complete",
            ),
            path(
                "<str:pk>/sheet.<str:file_format>", views.sheet_download, name="sheet"
            ),
        ]


# Trainer roster ---------------------------------------------------------------------


class PhoneListMixin:
    """A listing readable on a 360 px phone: the columns named in ``wide_only`` are
    left out below 40rem and the others wrap (static/css/admin-lists.css), so that
    nothing runs off the right edge of the screen; a laptop shows every column."""

    wide_only: tuple[str, ...] = ()

    @cached_property
    def columns(self):
        columns = []
        for column in super().columns:
            # A field with choices is named after its get_FOO_display; its sort key
            # is the field's name.
            if {column.name, column.sort_key} & set(self.wide_only):
                column = copy.copy(column)
                column.classname = " ".join(
                    filter(None, [column.classname, "suksa-wide-only"])
                )
                column.header = type(column.header)(column)  # it names its column
            columns.append(column)
        return columns

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["media"] = context.get("media", Media()) + Media(
            css={"all": ["css/admin-lists.css"]}
        )
        return context


class TrainerRosterFilterSet(AdminFilterSet):
    current = django_filters.BooleanFilter(
        label=_("Qualified today"),
        method="filter_current",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = TrainerQualification
        fields = ["course", "person__district__province", "source", "current"]

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = queryset.filter(pk__in=qualifications_current().values("pk"))
        return current if value else queryset.exclude(pk__in=current.values("pk"))


class TrainerRosterIndexView(PhoneListMixin, generic.IndexView):
    """Each row with the sessions its trainer led and the people they trained (the
    cascade), counted for the whole page at once. On a phone: the trainer, the course,
    until when, and the people they trained."""

    wide_only = ("qualified_on", "source", "sessions_led")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trainers_reach = hooks.provider(hooks.TRAINERS_REACH)
        rows = list(context["object_list"])
        reach = trainers_reach(people={row.person_id for row in rows})
        for row in rows:
            row.sessions_led, row.people_trained = reach[row.person_id]
        return context


def _people_trained(row) -> str:
    counts = getattr(row, "people_trained", None)
    if counts is None or not counts.total:
        return "0"
    return f"{counts.total} ({counts.breakdown()})"


class TrainerRosterViewSet(PolicyModelViewSet):
    model = TrainerQualification
    name = "trainer_roster"
    icon = "group"
    menu_label = _("Trainer roster")
    index_view_class = TrainerRosterIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = TrainerRosterFilterSet
    search_fields = ["person__full_name", "person__latin_name"]
    ordering = ["person__full_name", "course__title_en"]
    list_per_page = 25
    list_display = [
        "person",
        "course",
        Column("qualified_on", label=_("since"), accessor="qualified_on"),
        "until",
        "source",
        Column("sessions_led", label=_("sessions led"), accessor="sessions_led"),
        Column(
            "people_trained",
            label=_("people they trained (cascade)"),
            accessor=_people_trained,
        ),
    ]
    inspect_view_fields = [
        "person",
        "course",
        "qualified_on",
        "until",
        "source",
        "session",
        "note",
    ]
    panels = [
        FieldPanel("person", widget=person_chooser_viewset.widget_class),
        FieldPanel("course"),
        FieldPanel("qualified_on"),
        FieldPanel("until"),
        FieldPanel("note"),
    ]

    def get_form_class(self, for_update=False):
        return TrainerQualificationForm


class TraineeFollowUpFilterSet(AdminFilterSet):
    session = django_filters.ModelChoiceFilter(
        label=_("Session"), field_name="enrolment__session", queryset=Session.objects
    )
    course = django_filters.ModelChoiceFilter(
        label=_("Course"),
        field_name="enrolment__session__course",
        queryset=Course.objects,
    )
    district = django_filters.ModelChoiceFilter(
        label=_("District"),
        field_name="enrolment__session__district",
        queryset=District.objects,
    )

    class Meta:
        model = TraineeFollowUp
        fields = ["status", "months", "session", "course", "district"]


class TraineeFollowUpIndexView(PhoneListMixin, generic.IndexView):
    """Overdue first, then those due soon, then those recorded. On a phone: the
    trainee and session, the due date and the status."""

    wide_only = ("months", "used")

    def get_base_queryset(self):
        return trainee_follow_ups_in_order(super().get_base_queryset())


class TraineeFollowUpAddView(generic.CreateView):
    """Follow-ups are made when a session is completed and by the daily task."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


def _follow_up_status(follow_up) -> str:
    if follow_up.status == TraineeFollowUp.Status.DUE and follow_up.due_on <= (
        timezone.localdate()
    ):
        return _("Overdue")
    return follow_up.get_status_display()


class TraineeFollowUpViewSet(PolicyModelViewSet):
    model = TraineeFollowUp
    name = "trainee_follow_ups"
    icon = "tasks"
    menu_label = _("Follow-ups of trainees")
    add_view_class = TraineeFollowUpAddView
    index_view_class = TraineeFollowUpIndexView
    copy_view_enabled = False
    inspect_view_enabled = True
    filterset_class = TraineeFollowUpFilterSet
    list_per_page = 50
    search_fields = ["enrolment__person__full_name", "enrolment__person__latin_name"]
    list_display = [
        "enrolment",  # the trainee and the session, linked to the follow-up
        Column("months", label=_("Months"), accessor="months"),
        Column("due", label=_("Due on"), accessor=lambda f: short_date(f.due_on)),
        Column("state", label=_("Status"), accessor=_follow_up_status),
        Column(
            "used",
            label=_("Used what they learned"),
            accessor="get_used_learning_display",
        ),
    ]
    inspect_view_fields = [
        "enrolment",
        "months",
        "due_on",
        *FOLLOW_UP_FIELDS,
        "recorded_on",
        "recorded_by",
    ]

    def get_index_view_kwargs(self, **kwargs):
        return {**super().get_index_view_kwargs(**kwargs), "add_url_name": None}

    def get_form_class(self, for_update=False):
        return TraineeFollowUpForm


class HistoricalTrainingDeleteView(ServiceDeleteMixin, generic.DeleteView):
    def delete_with_service(self):
        historical_training_delete(training=self.object, user=self.request.user)


class HistoricalTrainingInspectView(generic.InspectView):
    def get_course_display_value(self):
        return self.object.course or "—"  # a title-only record, not "None"


class HistoricalTrainingViewSet(PolicyModelViewSet):
    """Past trainings known only as totals by gender (older paper records)."""

    model = HistoricalTraining
    name = "historical_trainings"
    icon = "history"
    menu_label = _("Historical trainings")
    copy_view_enabled = False
    inspect_view_enabled = True
    delete_view_class = HistoricalTrainingDeleteView
    inspect_view_class = HistoricalTrainingInspectView
    list_display = [
        Column("name", label=_("Training"), accessor="name"),
        "ends_on",
        "district",
        Column("people", label=_("People"), accessor="counts.total"),
        "source",
    ]
    list_filter = ["course", "district__province"]
    search_fields = ["title", "source", "note"]
    ordering = ["-ends_on"]
    list_export = [
        "name",
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
    export_headings = {"name": _("Training")}
    inspect_view_fields = [*HISTORICAL_FIELDS, "recorded_by", "created_at"]

    def get_form_class(self, for_update=False):
        return HistoricalTrainingForm


class TrainingsViewSetGroup(ModelViewSetGroup):
    menu_label = _("Trainings")
    menu_icon = "date"
    menu_order = 100
    items = (
        SessionViewSet,
        CourseViewSet,
        TrainerRosterViewSet,
        TraineeFollowUpViewSet,
        HistoricalTrainingViewSet,
    )
