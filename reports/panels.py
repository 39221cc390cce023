"""The dashboard panel on the Wagtail admin home page (managers, administrators)."""

from datetime import date
from urllib.parse import urlencode

from django.utils import timezone
from wagtail.admin.ui.components import Component

from .charts import bar_chart
from .filters import ReportFilters, scoped
from .report import report_build
from .sentences import number


class DashboardPanel(Component):
    name = "suksa_dashboard"
    template_name = "reports/admin/dashboard_panel.html"
    order = 50

    class Media:
        css = {"all": ["css/admin-reports.css"]}

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        year = timezone.localdate().year
        filters = scoped(
            ReportFilters(date_from=date(year, 1, 1), date_to=date(year, 12, 31)),
            request.user,
        )
        # Only what the panel shows: the Reports page has the rest.
        report = report_build(filters, breakdowns=["course_kind"], totals_only=True)
        by_kind = report.breakdowns[0]
        return {
            "request": request,
            "year": year,
            "report": report,
            "chart": bar_chart(
                title=by_kind.title, rows=by_kind.rows, value_format=number
            ),
            "by_kind": by_kind,
            "query": urlencode({"year": year}),
        }
