from wagtail import hooks

from .viewsets import PlacesViewSetGroup


@hooks.register("register_admin_viewset")
def register_places_viewsets():
    return PlacesViewSetGroup()
