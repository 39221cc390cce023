"""Wagtail API v2 at /api/v2/: published pages, with materials' topics and files.

Only the pages endpoint is exposed: Wagtail's documents and images endpoints do not
know about page privacy. Pages under a view restriction the caller does not pass
(anonymous callers pass none) are left out by Wagtail's ``get_public_pages_queryset``.
"""

from rest_framework.permissions import AllowAny
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet


class PublicPagesAPIViewSet(PagesAPIViewSet):
    # The project's DRF default asks for a signed-in user; published pages are public.
    permission_classes = [AllowAny]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
