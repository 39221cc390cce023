from wagtail import hooks

from .viewsets import IndicatorViewSet, ProjectViewSet


@hooks.register("register_admin_viewset")
def register_project_viewset():
    return ProjectViewSet()


@hooks.register("register_admin_viewset")
def register_indicator_viewset():
    return IndicatorViewSet()
