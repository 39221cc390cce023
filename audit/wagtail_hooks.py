from auditlog.models import LogEntry
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from access.policy import sees_site_history

from .models import AuditEvent
from .viewsets import AuditEventViewSet, FieldHistoryViewSet, ReadOnlyPolicy

register_permission_policy(AuditEvent, ReadOnlyPolicy(AuditEvent))
register_permission_policy(LogEntry, ReadOnlyPolicy(LogEntry))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet()


@hooks.register("register_admin_viewset")
def register_field_history_viewset():
    return FieldHistoryViewSet()


@hooks.register("construct_reports_menu")
def hide_site_history(request, menu_items):
    """Wagtail's site history names people from every scope (config/urls.py guards
    the view itself)."""
    if not sees_site_history(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "site-history"]
