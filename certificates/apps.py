from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # Register the tasks the services send by name (certificates.services._task),
        # and connect the receivers of people's signals.
        from . import (
            receivers,  # noqa: F401
            tasks,  # noqa: F401
        )
