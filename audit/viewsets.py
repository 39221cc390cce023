import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from config.filters import AdminFilterSet

from .actions import ACTIONS, action_label
from .models import AuditEvent


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The trail is written by the system only: no one adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


class AuditEventFilterSet(AdminFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("action"), choices=sorted(ACTIONS.items())
    )
    at = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )
    actor = django_filters.CharFilter(label=_("who"), lookup_expr="icontains")
    object_type = django_filters.CharFilter(
        label=_("record type"), lookup_expr="icontains"
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "at", "actor", "object_type"]


class ActionColumn(Column):
    def get_value(self, instance):
        return action_label(instance.action)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    name = "audit"
    icon = "history"
    menu_label = _("Audit trail")
    add_to_admin_menu = True
    menu_order = 9000
    inspect_view_enabled = True
    filterset_class = AuditEventFilterSet
    list_display = [
        "at",
        "actor",
        ActionColumn("action", label=_("action")),
        "object_type",
        "object_id",
        "summary",
        "address",
    ]
    list_per_page = 50
    search_fields = ["actor", "object_id", "summary", "address"]
    search_backend_name = None
    ordering = ["-at", "-pk"]
    copy_view_enabled = False
    # Required by ModelViewSet; the policy lets no one reach the add or edit form.
    form_fields = ["summary"]
    inspect_view_fields = [
        "at",
        "actor",
        "user",
        "action",
        "object_type",
        "object_id",
        "summary",
        "address",
    ]
