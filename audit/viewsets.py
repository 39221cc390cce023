import django_filters
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.permission_policies import ModelPermissionPolicy

from access.admin import PolicyModelViewSet
from access.policy import sees_site_history
from common.filters import AdminFilterSet

from .actions import ACTIONS, action_label
from .history import history_models
from .models import AuditEvent


class ReadOnlyPolicy(ModelPermissionPolicy):
    """The trails are written by the system only: no one adds, edits or deletes,
    and only those who see the site's history read them."""

    def user_has_permission(self, user, action):
        return action == "view" and sees_site_history(user)


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


class AuditEventViewSet(PolicyModelViewSet):
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


# Field history ----------------------------------------------------------------------

HISTORY_ACTIONS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
}


def _model_label(content_type: ContentType) -> str:
    model = content_type.model_class()
    return capfirst(model._meta.verbose_name) if model else content_type.model


def _record_type_choices():
    types = ContentType.objects.get_for_models(*history_models()).values()
    return sorted(((t.pk, _model_label(t)) for t in types), key=lambda c: str(c[1]))


def _actors(request):
    return get_user_model().objects.filter(
        pk__in=LogEntry.objects.exclude(actor=None).values("actor")
    )


class FieldHistoryFilterSet(AdminFilterSet):
    content_type = django_filters.ChoiceFilter(
        label=_("record type"), choices=_record_type_choices
    )
    object_pk = django_filters.CharFilter(label=_("record id"))
    actor = django_filters.ModelChoiceFilter(label=_("who"), queryset=_actors)
    action = django_filters.ChoiceFilter(
        label=_("action"), choices=list(HISTORY_ACTIONS.items())
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=_("Period"), widget=DateRangePickerWidget
    )

    class Meta:
        model = LogEntry
        fields = ["content_type", "object_pk", "actor", "action", "timestamp"]


class HistoryActionColumn(Column):
    def get_value(self, instance):
        return HISTORY_ACTIONS.get(instance.action, instance.action)


class RecordTypeColumn(Column):
    def get_value(self, instance):
        return _model_label(instance.content_type)


def _shown(value) -> str:
    return "—" if value in (None, "None", "") else str(value)


class ChangesColumn(Column):
    """Each changed field by its name in the reader's language: old → new."""

    def get_value(self, instance):
        model = instance.content_type.model_class()
        lines = []
        for name, values in (instance.changes_dict or {}).items():
            label = name
            if model is not None:
                try:
                    label = capfirst(model._meta.get_field(name).verbose_name)
                except Exception:  # a field since removed keeps its stored name
                    label = name
            if isinstance(values, dict):  # many-to-many: added or removed
                lines.append(
                    f"{label}: {values.get('operation', '')} "
                    f"{', '.join(map(str, values.get('objects', [])))}"
                )
            else:
                old, new = (_shown(value) for value in (list(values) + ["", ""])[:2])
                lines.append(f"{label}: {old} → {new}")
        return "; ".join(lines)


class FieldHistoryIndexView(IndexView):
    page_title = _("Field history")

    def get_base_queryset(self):
        followed = ContentType.objects.get_for_models(*history_models()).values()
        return LogEntry.objects.select_related("actor", "content_type").filter(
            content_type__in=followed
        )


class FieldHistoryViewSet(PolicyModelViewSet):
    """Which fields of which record changed, from what to what, by whom and when."""

    model = LogEntry
    name = "field_history"
    url_prefix = "field-history"
    icon = "history"
    menu_label = _("Field history")
    add_to_admin_menu = True
    menu_order = 9010
    inspect_view_enabled = False
    copy_view_enabled = False
    filterset_class = FieldHistoryFilterSet
    index_view_class = FieldHistoryIndexView
    index_results_template_name = "audit/field_history_results.html"
    list_display = [
        Column("timestamp", label=_("when")),
        Column("actor", label=_("who")),
        HistoryActionColumn("action", label=_("action")),
        RecordTypeColumn("content_type", label=_("record type")),
        Column("object_pk", label=_("record id")),
        Column("object_repr", label=_("record")),
        ChangesColumn("changes", label=_("changes")),
    ]
    list_per_page = 50
    search_fields = ["object_repr"]
    search_backend_name = None
    ordering = ["-timestamp", "-pk"]
    # Required by ModelViewSet; the policy lets no one reach the add or edit form.
    form_fields = ["object_repr"]
