"""Reading projects: who sees which is ``access.policy``'s; these are the lists."""

from django.db.models import QuerySet

from access import policy

from .models import Project


def projects_visible_to(user) -> QuerySet[Project]:
    return policy.projects_visible(user).prefetch_related(
        "funders", "partners", "provinces", "districts"
    )
