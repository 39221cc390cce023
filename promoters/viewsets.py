"""Admin screens of the promoter network, scoped by promoters.selectors.

Every view that opens one object opens it from the user's scope (404 elsewhere);
forms save through promoters.services, whose errors are shown on the form.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import Button

from access.admin import PolicyModelViewSet
from common.admin_views import ScopedObjectMixin, ServiceDeleteMixin
from common.widgets import SearchableSelectMultiple

from . import admin_views
from .filters import CentreVisitFilterSet, MeetingFilterSet, PromoterFilterSet
from .forms import LINKS, CampaignForm, CentreVisitForm, MeetingForm, PromoterForm
from .models import (
    Campaign,
    CentreVisit,
    DistrictOffice,
    FollowUp,
    InformationCentre,
    Promoter,
    Topic,
    VillageMeeting,
)
from .selectors import (
    campaigns_changeable_by,
    campaigns_visible_to,
    centre_visits_changeable_by,
    centre_visits_visible_to,
    centres_changeable_by,
    centres_visible_to,
    follow_up_weeks,
    follow_ups_visible_to,
    follow_ups_with_last_meeting,
    meetings_changeable_by,
    meetings_visible_to,
    office_network,
    offices_changeable_by,
    offices_visible_to,
    promoters_changeable_by,
    promoters_visible_to,
)
from .services import centre_visit_delete, meeting_delete, promoter_delete
from .sheets import user_may_import


def _add_errors(form, error: ValidationError) -> None:
    """Put a service's errors on the form fields they name, the rest on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class ServiceErrorsMixin:
    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            _add_errors(form, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class ListActionsMixin:
    """Export and import buttons above a listing (kind: promoters, meetings, visits)."""

    spreadsheet_kind = None

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        kind = self.spreadsheet_kind
        if kind is None:
            return buttons
        for file_format in ("xlsx", "csv"):
            buttons.append(
                Button(
                    _("Download %(format)s") % {"format": file_format.upper()},
                    url=reverse("promoters_sheets:export", args=[kind, file_format])
                    + admin_views.filter_query(self.request),
                    icon_name="download",
                    priority=50,
                )
            )
        if user_may_import(self.request.user, kind):
            buttons.append(
                Button(
                    _("Import a spreadsheet"),
                    url=reverse("promoters_sheets:import", args=[kind]),
                    icon_name="upload",
                    priority=60,
                )
            )
        return buttons


def scoped_views(visible, changeable, *, kind=None):
    """Index, edit, delete, inspect, history and usage views limited to a scope."""

    class Visible(ScopedObjectMixin):
        def get_scope(self):
            return visible(self.request.user)

    class Changeable(ScopedObjectMixin):
        def get_scope(self):
            return changeable(self.request.user)

    class Index(ListActionsMixin, generic.IndexView):
        spreadsheet_kind = kind

        def get_base_queryset(self):
            return visible(self.request.user)

    class Create(ServiceErrorsMixin, generic.CreateView):
        pass

    class Edit(ServiceErrorsMixin, Changeable, generic.EditView):
        pass

    class Delete(Changeable, generic.DeleteView):
        pass

    class Inspect(Visible, generic.InspectView):
        pass

    class History(Visible, history.HistoryView):
        pass

    class Usage(Visible, usage.UsageView):
        pass

    return {
        "index_view_class": Index,
        "add_view_class": Create,
        "edit_view_class": Edit,
        "delete_view_class": Delete,
        "inspect_view_class": Inspect,
        "history_view_class": History,
        "usage_view_class": Usage,
    }


class ScopedViewSet(PolicyModelViewSet):
    """A viewset whose views come from ``scope_views``, unless the class names its
    own."""

    copy_view_enabled = False
    inspect_view_enabled = True
    scope_views: dict = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, view_class in cls.scope_views.items():
            if name not in cls.__dict__:
                setattr(cls, name, view_class)


def _total(prefix: str, label):
    return Column(
        f"{prefix}_total",
        label=label,
        accessor=lambda obj: getattr(obj, prefix).total,
    )


def _panels(*names: str) -> list[FieldPanel]:
    """The form's fields, then partners, funders and projects as searchable ticks."""
    return [FieldPanel(name) for name in names] + [
        FieldPanel(name, widget=SearchableSelectMultiple) for name in LINKS
    ]


# District offices -------------------------------------------------------------

_office_views = scoped_views(offices_visible_to, offices_changeable_by)


class OfficeNetworkView(_office_views["inspect_view_class"]):
    """The office's network: promoters, their trainings, villages, coverage."""

    template_name = "promoters/admin/office_network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["network"] = office_network(office=self.object)
        return context


class DistrictOfficeViewSet(ScopedViewSet):
    model = DistrictOffice
    name = "district_offices"
    icon = "site"
    menu_label = _("District offices")
    scope_views = _office_views
    inspect_view_class = OfficeNetworkView
    list_display = ["name", "district", "opened_on"]
    list_filter = ["district__province"]
    search_fields = ["name", "district__name_lo", "district__name_en"]
    panels = _panels("district", "name", "opened_on", "officers")


# Promoters ----------------------------------------------------------------------


_promoter_views = scoped_views(
    promoters_visible_to, promoters_changeable_by, kind="promoters"
)


class PromoterDeleteView(ServiceDeleteMixin, _promoter_views["delete_view_class"]):
    def delete_with_service(self):
        promoter_delete(promoter=self.object, user=self.request.user)


class PromoterViewSet(ScopedViewSet):
    model = Promoter
    name = "promoters"
    icon = "user"
    scope_views = _promoter_views
    delete_view_class = PromoterDeleteView
    list_display = ["person", "role", "village", "office", "status", "started_on"]
    filterset_class = PromoterFilterSet
    # By name only: searches travel in the URL, so no phone numbers here.
    search_fields = ["person__full_name", "person__latin_name", "village__name_lo"]
    inspect_view_fields = [
        "person",
        "role",
        "office",
        "village",
        "status",
        "started_on",
        "ended_on",
    ]

    def get_form_class(self, for_update=False):
        return PromoterForm


# Village meetings ---------------------------------------------------------------


_meeting_views = scoped_views(
    meetings_visible_to, meetings_changeable_by, kind="meetings"
)


class MeetingDeleteView(ServiceDeleteMixin, _meeting_views["delete_view_class"]):
    def delete_with_service(self):
        meeting_delete(meeting=self.object, user=self.request.user)


class MeetingIndexView(_meeting_views["index_view_class"]):
    """The activities, with a way to the planned ones (the status filter)."""

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button(
                _("Planned activities"),
                url=reverse("village_meetings:index")
                + f"?status={VillageMeeting.Status.PLANNED}",
                icon_name="date",
                priority=40,
            )
        )
        return buttons


class VillageMeetingViewSet(ScopedViewSet):
    model = VillageMeeting
    name = "village_meetings"
    icon = "group"
    scope_views = _meeting_views
    index_view_class = MeetingIndexView
    delete_view_class = MeetingDeleteView
    list_display = [
        "date",
        "village",
        "kind",
        "status",
        _total("turnout", _("Turnout")),
        _total("registrations", _("Registrations")),
    ]
    filterset_class = MeetingFilterSet
    search_fields = ["village__name_lo", "village__name_en", "notes"]
    ordering = ["-date"]
    inspect_view_fields = [
        "kind",
        "status",
        "date",
        "village",
        "campaign",
        "led_by",
        "led_by_office",
        "led_by_team",
        *LINKS,
        "turnout_women",
        "turnout_men",
        "turnout_other",
        "turnout_not_recorded",
        "registrations_women",
        "registrations_men",
        "registrations_other",
        "registrations_not_recorded",
        "contributions_lak",
        "contributions_people",
        "topics",
        "materials",
        "notes",
        "photo",
        "recorded_by",
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return MeetingForm


# Campaigns ------------------------------------------------------------------------


class CampaignViewSet(ScopedViewSet):
    model = Campaign
    name = "campaigns"
    icon = "pick"
    menu_label = _("Campaigns")
    scope_views = scoped_views(campaigns_visible_to, campaigns_changeable_by)
    list_display = ["name", "kind", "starts_on", "ends_on", "lead_office"]
    list_filter = ["kind"]
    search_fields = ["name_lo", "name_en", "description"]
    ordering = ["-starts_on"]
    inspect_view_fields = [
        "name_lo",
        "name_en",
        "kind",
        "description",
        "starts_on",
        "ends_on",
        "districts",
        "villages",
        "lead_office",
    ]

    def get_form_class(self, for_update=False):
        return CampaignForm


# Information centres and their visits -------------------------------------------


class InformationCentreViewSet(ScopedViewSet):
    model = InformationCentre
    name = "information_centres"
    icon = "home"
    scope_views = scoped_views(centres_visible_to, centres_changeable_by)
    list_display = ["name", "host_organisation", "host_kind", "district", "opened_on"]
    list_filter = ["host_kind", "district__province"]
    search_fields = ["name", "host_organisation"]
    panels = _panels("name", "host_organisation", "host_kind", "district", "opened_on")


_visit_views = scoped_views(
    centre_visits_visible_to, centre_visits_changeable_by, kind="visits"
)


class CentreVisitDeleteView(ServiceDeleteMixin, _visit_views["delete_view_class"]):
    def delete_with_service(self):
        centre_visit_delete(visit=self.object, user=self.request.user)


class CentreVisitViewSet(ScopedViewSet):
    model = CentreVisit
    name = "centre_visits"
    icon = "list-ul"
    scope_views = _visit_views
    delete_view_class = CentreVisitDeleteView
    list_display = ["date", "centre", _total("visitors", _("Visitors"))]
    filterset_class = CentreVisitFilterSet
    search_fields = ["centre__name", "notes"]
    ordering = ["-date"]

    def get_form_class(self, for_update=False):
        return CentreVisitForm


# Follow-ups and topics ------------------------------------------------------------


class FollowUpAddView(generic.CreateView):
    """Follow-ups are made by the weekly check only: no add form (it could not
    know the week or the gap, and answered 500)."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


_follow_up_views = scoped_views(follow_ups_visible_to, follow_ups_visible_to)


class FollowUpIndexView(_follow_up_views["index_view_class"]):
    """The last meeting and the gap as they are today, as on the office page."""

    def get_base_queryset(self):
        return follow_ups_with_last_meeting(super().get_base_queryset())


class FollowUpViewSet(ScopedViewSet):
    model = FollowUp
    name = "follow_ups"
    icon = "warning"
    scope_views = _follow_up_views
    index_view_class = FollowUpIndexView
    add_view_class = FollowUpAddView

    def get_index_view_kwargs(self, **kwargs):
        return {**super().get_index_view_kwargs(**kwargs), "add_url_name": None}

    list_display = [
        "promoter",
        "office",
        Column(
            "latest_meeting_on",
            label=_("last meeting"),
            accessor=lambda follow_up: follow_up.latest_meeting_on or "—",
        ),
        Column("gap", label=_("weeks without a meeting"), accessor=follow_up_weeks),
        "status",
    ]
    list_filter = ["status", "office"]
    search_fields = ["promoter__person__full_name"]
    form_fields = ["status"]


class TopicViewSet(PolicyModelViewSet):
    model = Topic
    name = "promoter_topics"
    icon = "tag"
    menu_label = _("Topics")
    list_display = ["name_lo", "name_en", "code"]
    search_fields = ["name_lo", "name_en"]
    form_fields = ["code", "name_lo", "name_en"]
    copy_view_enabled = False


class PromotersViewSetGroup(ModelViewSetGroup):
    menu_label = _("Promoters")
    menu_icon = "group"
    menu_order = 140
    items = (
        PromoterViewSet,
        VillageMeetingViewSet,
        CampaignViewSet,
        DistrictOfficeViewSet,
        InformationCentreViewSet,
        CentreVisitViewSet,
        FollowUpViewSet,
        TopicViewSet,
    )


def sheet_urlpatterns():
    return [
        path(
            "<str:kind>/export.<str:file_format>",
            admin_views.export_view,
            name="export",
        ),
        path("<str:kind>/import/", admin_views.ImportView.as_view(), name="import"),
        path(
            "meetings/<int:pk>/photo/",
            admin_views.meeting_photo,
            name="meeting_photo",
        ),
    ]
