from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .viewsets import PeopleViewSetGroup


@hooks.register("register_admin_viewset")
def register_people_viewsets():
    return PeopleViewSetGroup()


@hooks.register("register_log_actions")
def register_people_log_actions(actions):
    actions.register_action(
        "suksa.person.export", _("Export personal data"), _("Personal data exported")
    )
    actions.register_action(
        "suksa.person.erase", _("Erase personal data"), _("Personal data erased")
    )
