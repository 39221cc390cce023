"""The trainer's panel on the admin home page: what to do next, each a link."""

from wagtail.admin.ui.components import Component

from access import policy

from .selectors import TrainerHome, trainer_home


class TrainerHomePanel(Component):
    name = "trainer_home"
    template_name = "trainings/admin/trainer_home_panel.html"
    order = 50

    def __init__(self, home: TrainerHome):
        self.home = home

    def get_context_data(self, parent_context):
        return {"home": self.home, "request": parent_context["request"]}


def trainer_home_panel_for(user) -> TrainerHomePanel | None:
    """The panel for those who run trainings and have sessions; nothing otherwise."""
    if not policy.runs_trainings(user):
        return None
    if not policy.sessions_changeable(user).exists():
        return None
    return TrainerHomePanel(trainer_home(user=user))
