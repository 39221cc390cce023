from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from access import policy
from trainings import hooks as training_hooks

from . import job_views, views
from .filters import user_reads_reports
from .panels import DashboardPanel
from .selectors import sessions_impact, trainers_reach

# The session page, the session API and the trainer roster show these figures.
hooks.register(training_hooks.SESSIONS_IMPACT, sessions_impact)
hooks.register(training_hooks.TRAINERS_REACH, trainers_reach)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/", views.ReportView.as_view(), name="reports_index"),
        path(
            "reports/export.<str:fmt>",
            views.report_export,
            name="reports_export",
        ),
        path("reports/people.<str:fmt>", views.people_export, name="reports_people"),
        path("reports/dhis2.<str:fmt>", views.dhis2_export, name="reports_dhis2"),
        path("reports/results/", views.ResultsView.as_view(), name="reports_results"),
        path(
            "reports/results.<str:fmt>",
            views.results_export,
            name="reports_results_export",
        ),
        path(
            "reports/outcome/",
            views.OutcomeReportView.as_view(),
            name="reports_outcome",
        ),
        path(
            "reports/downloads/",
            job_views.export_job_start_view,
            name="reports_export_job_start",
        ),
        path(
            "reports/downloads/<int:job_id>/",
            job_views.ExportJobView.as_view(),
            name="reports_export_job",
        ),
        path(
            "reports/downloads/<int:job_id>/status/",
            job_views.export_job_status,
            name="reports_export_job_status",
        ),
        path(
            "reports/downloads/<int:job_id>/file/",
            job_views.export_job_download,
            name="reports_export_job_download",
        ),
        path(
            "reports/approvals/",
            views.ApprovalListView.as_view(),
            name="reports_approvals",
        ),
        path(
            "reports/approvals/<int:pk>/unapprove/",
            views.UnapproveView.as_view(),
            name="reports_unapprove",
        ),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return user_reads_reports(request.user)


# First in Wagtail's own "Reports" menu, so that the admin has one Reports menu.
@hooks.register("register_reports_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Figures and exports"), reverse("reports_index"), icon_name="table", order=1
    )


@hooks.register("register_reports_menu_item")
def register_outcome_menu_item():
    return ReportsMenuItem(
        _("Outcome report"), reverse("reports_outcome"), icon_name="doc-full", order=2
    )


@hooks.register("register_reports_menu_item")
def register_results_menu_item():
    return ReportsMenuItem(
        _("Results"), reverse("reports_results"), icon_name="tasks", order=3
    )


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if policy.sees_dashboard(request.user):
        panels.insert(0, DashboardPanel())


@hooks.register("register_log_actions")
def register_period_log_actions(actions):
    actions.register_action(
        "suksa.period.approve", _("Approve period"), _("Period approved")
    )
    actions.register_action(
        "suksa.period.unapprove", _("Un-approve period"), _("Period un-approved")
    )
