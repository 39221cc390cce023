"""Row-level scoping for Wagtail's generic admin views.

Wagtail checks model permissions only; these views open an object only from the
queryset the user may see, so anything outside it answers 404 on every route.
"""

from django.contrib.admin.utils import unquote
from django.shortcuts import get_object_or_404


class ScopedObjectMixin:
    def get_scope(self):
        raise NotImplementedError

    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(self.get_scope(), pk=pk)
