"""The projects and indicators screens in the admin: administrators change,
other staff read. The results table is the Reports area's (``reports_results``):
projects link to it by URL name, they do not import reports."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.widgets import HeaderButton, ListingButton

from access.admin import PolicyModelViewSet
from common.widgets import SearchableSelectMultiple

from .models import Indicator, Project

RESULTS_LABEL = _("Results")


def results_url(project_id: int) -> str:
    return f"{reverse('reports_results')}?project={project_id}"


class ProjectIndexView(generic.IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                RESULTS_LABEL, url=results_url(instance.pk), icon_name="tasks"
            ),
        ]


class ProjectInspectView(generic.InspectView):
    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                RESULTS_LABEL, url=results_url(self.object.pk), icon_name="tasks"
            ),
        ]


def _ticks(name: str) -> FieldPanel:
    return FieldPanel(name, widget=SearchableSelectMultiple)


class ProjectViewSet(PolicyModelViewSet):
    model = Project
    name = "projects"
    icon = "folder-open-inverse"
    menu_label = _("Projects")
    menu_order = 150
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ProjectIndexView
    inspect_view_class = ProjectInspectView
    list_display = [
        "code",
        # The title in the user's language (``Project.title``).
        Column("title", label=pgettext_lazy("a project", "title")),
        "outcome_code",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["funders", "partners", "provinces"]
    search_fields = ["code", "title_lo", "title_en", "outcome_code", "tags"]
    ordering = ["code"]
    inspect_view_fields = [
        "code",
        "title_lo",
        "title_en",
        "funders",
        "partners",
        "starts_on",
        "ends_on",
        "provinces",
        "districts",
        "outcome_code",
        "tags",
        "description",
    ]
    panels = [
        FieldPanel("code"),
        FieldPanel("title_lo"),
        FieldPanel("title_en"),
        MultiFieldPanel(
            [_ticks("funders"), _ticks("partners")],
            heading=_("Funders and partners"),
        ),
        FieldRowPanel(
            [FieldPanel("starts_on"), FieldPanel("ends_on")], heading=_("Period")
        ),
        MultiFieldPanel(
            [_ticks("provinces"), _ticks("districts")],
            heading=_("Target areas"),
        ),
        FieldPanel("outcome_code"),
        FieldPanel("tags"),
        FieldPanel("description"),
    ]


class IndicatorViewSet(PolicyModelViewSet):
    """A project's indicators, each with its targets per period and place."""

    model = Indicator
    name = "indicators"
    icon = "tasks"
    menu_label = _("Indicators")
    menu_order = 151
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = [
        "project",
        "code",
        Column("title", label=pgettext_lazy("an indicator", "title")),
        "figure",
        "baseline",
    ]
    list_filter = ["project", "figure"]
    search_fields = ["code", "title_lo", "title_en"]
    ordering = ["project__code", "code"]
    inspect_view_fields = [
        "project",
        "code",
        "title_lo",
        "title_en",
        "figure",
        "course_kind",
        "kind",
        "campaign",
        "province",
        "district",
        "baseline",
    ]
    panels = [
        FieldPanel("project"),
        FieldPanel("code"),
        FieldPanel("title_lo"),
        FieldPanel("title_en"),
        FieldPanel("figure"),
        MultiFieldPanel(
            [
                FieldPanel("course_kind"),
                FieldPanel("kind"),
                FieldPanel("campaign"),
                FieldRowPanel([FieldPanel("province"), FieldPanel("district")]),
            ],
            heading=_("Count only"),
            help_text=_("Leave empty to count all of the project's activities."),
        ),
        FieldPanel("baseline"),
        InlinePanel(
            "targets",
            heading=_("Targets"),
            label=_("Target"),
            panels=[
                FieldRowPanel(
                    [
                        FieldPanel("year"),
                        FieldPanel("date_from"),
                        FieldPanel("date_to"),
                    ]
                ),
                FieldRowPanel([FieldPanel("province"), FieldPanel("district")]),
                FieldPanel("value"),
            ],
        ),
    ]
