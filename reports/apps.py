from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Register the tasks the jobs send by name (reports.jobs._job_send).
        from . import (
            signals,  # noqa: F401  (connects the receivers)
            tasks,  # noqa: F401
        )
