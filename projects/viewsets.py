"""The projects screen in the admin: administrators change, other staff read."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column

from access.admin import PolicyModelViewSet
from common.widgets import SearchableSelectMultiple

from .models import Project


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
