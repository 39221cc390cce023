"""Wagtail's site history, kept to those who see the site's history.

Wagtail shows it to every user with admin access, listing the names on certificates
and people edited in every scope. ``site_history_urls`` go before Wagtail's admin URLs
(config/urls.py), at the same addresses, so its links and menu keep working."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.defaults import permission_denied
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import LogEntriesView

from access.policy import sees_site_history


class SiteHistoryView(LogEntriesView):
    def dispatch(self, request, *args, **kwargs):
        # A plain 403: Wagtail turns PermissionDenied into a redirect to the dashboard.
        if not sees_site_history(request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)


def _guarded(view):
    return never_cache(require_admin_access(view))


site_history_urls = [
    path("admin/reports/site-history/", _guarded(SiteHistoryView.as_view())),
    path(
        "admin/reports/site-history/results/",
        _guarded(SiteHistoryView.as_view(results_only=True)),
    ),
]
