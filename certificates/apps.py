from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # Register the tasks the services send by name (certificates.services._task).
        from . import tasks  # noqa: F401
