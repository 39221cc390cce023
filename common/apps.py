from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "common"
    verbose_name = _("Shared helpers")

    def ready(self):
        # Admin listings export people's names: none may carry a live formula.
        from .wagtail_export import protect_admin_exports

        protect_admin_exports()
