from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .panels import trainer_home_panel_for
from .viewsets import TrainingsViewSetGroup, person_chooser_viewset


@hooks.register("register_admin_viewset")
def register_trainings_viewsets():
    return [TrainingsViewSetGroup(), person_chooser_viewset]


class MySessionsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("trainings.change_session")


@hooks.register("register_admin_menu_item")
def register_my_sessions_menu_item():
    return MySessionsMenuItem(
        _("My sessions"),
        reverse("sessions:index") + "?mine=true",
        icon_name="user",
        order=90,
    )


@hooks.register("construct_homepage_panels")
def add_trainer_home_panel(request, panels):
    panel = trainer_home_panel_for(request.user)
    if panel is not None:
        panels.insert(0, panel)
