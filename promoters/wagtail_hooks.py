from django.urls import include, path
from wagtail import hooks

from .panels import follow_up_panel_for
from .viewsets import PromotersViewSetGroup, sheet_urlpatterns


@hooks.register("register_admin_viewset")
def register_promoters_viewsets():
    return PromotersViewSetGroup()


@hooks.register("register_admin_urls")
def register_promoters_sheet_urls():
    return [
        path(
            "promoters-sheets/",
            include((sheet_urlpatterns(), "promoters_sheets")),
        )
    ]


@hooks.register("construct_homepage_panels")
def add_follow_up_panel(request, panels):
    panel = follow_up_panel_for(request.user)
    if panel is not None:
        panels.append(panel)
