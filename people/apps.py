from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        # Admin listings export people's names: none may carry a live formula.
        from common.sheets import protect_admin_exports

        protect_admin_exports()
