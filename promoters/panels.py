"""The follow-up panel on a district officer's admin home page."""

from wagtail.admin.ui.components import Component

from .models import FollowUp
from .selectors import (
    follow_up_weeks,
    follow_ups_visible_to,
    follow_ups_with_last_meeting,
)


class FollowUpPanel(Component):
    name = "promoter_follow_ups"
    template_name = "promoters/admin/follow_up_panel.html"
    order = 60

    def __init__(self, follow_ups):
        self.follow_ups = follow_ups

    def get_context_data(self, parent_context):
        return {"follow_ups": self.follow_ups, "request": parent_context["request"]}


def follow_up_panel_for(user) -> FollowUpPanel | None:
    """The panel when the user has open follow-ups; nothing otherwise."""
    follow_ups = list(
        follow_ups_with_last_meeting(follow_ups_visible_to(user))
        .filter(status=FollowUp.Status.OPEN)
        .select_related("promoter__village")[:20]
    )
    for follow_up in follow_ups:
        follow_up.gap_weeks = follow_up_weeks(follow_up)
    return FollowUpPanel(follow_ups) if follow_ups else None
