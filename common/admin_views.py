"""Row-level scoping for Wagtail's generic admin views.

Wagtail checks model permissions only; these views open an object only from the
queryset the user may see, so anything outside it answers 404 on every route.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from wagtail.log_actions import log


class ScopedObjectMixin:
    def get_scope(self):
        raise NotImplementedError

    def get_object(self, queryset=None):
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        return get_object_or_404(self.get_scope(), pk=pk)


class ServiceDeleteMixin:
    """Delete through a service; its refusal is shown on the object's edit page."""

    def delete_with_service(self):
        raise NotImplementedError

    def delete_action(self):
        # Logged as Wagtail's own delete action does, so the audit trail keeps it.
        with transaction.atomic():
            log(
                instance=self.object,
                action="wagtail.delete",
                user=self.request.user,
                deleted=True,
            )
            self.delete_with_service()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return redirect(self.edit_url_name, self.object.pk)


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its fields where the form has them,
    else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class ServiceFormMixin:
    """A refusal raised while saving (by a service) is shown on the form, never as
    a server error; the save's transaction is rolled back."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_service_error(form, error)
            # Wagtail's generic views say "could not be saved" from these (and fail
            # without them, since the form itself was valid).
            if hasattr(self, "get_error_message"):
                self.produced_error_code = "validation_error"
                self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
