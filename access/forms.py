"""Form fields that pick a related object offer, and accept, only what the policy
allows: one function used by every admin form (inlines included) and filter form."""

from django import forms
from django.db.models import Q
from permissionedforms import PermissionedForm

from . import policy


def _current_ids(form, name) -> list:
    """Objects already linked stay choosable, so that editing a record does not
    drop a link the user did not make."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return []
    value = form.initial.get(name)
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [getattr(item, "pk", item) for item in value]
    if hasattr(value, "values_list"):
        # A page's ParentalManyToManyField gives modelcluster's FakeQuerySet, which
        # knows fields by name only ("id", not "pk").
        return list(value.values_list(value.model._meta.pk.name, flat=True))
    return [getattr(value, "pk", value)]


def scope_fields(fields, *, user, model, form=None) -> None:
    """Narrow every ``ModelChoiceField`` in ``fields`` to the policy's choices."""
    for name, field in fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        related = field.queryset.model
        allowed = policy.choosable(user, model, name, related)
        if allowed is None:
            continue
        keep = _current_ids(form, name) if form is not None else []
        match = Q(pk__in=allowed.values("pk"))
        if keep:
            match |= Q(pk__in=keep)
        field.queryset = field.queryset.filter(match)


def scope_form(form, user) -> None:
    """A model form and its inline formsets (Wagtail's ``ClusterForm``)."""
    meta = getattr(form, "_meta", None)
    if meta is None or getattr(meta, "model", None) is None:
        return
    model = meta.model
    scope_fields(form.fields, user=user, model=model, form=form)
    for formset in getattr(form, "formsets", {}).values():
        child_model = formset.model
        for child in formset.forms:
            scope_fields(child.fields, user=user, model=child_model, form=child)
        # The blank form the page copies for "add another" offers the same choices.
        formset.form = _scoped_form_class(formset.form, user, child_model)


def _scoped_form_class(form_class, user, model):
    class Scoped(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            scope_fields(self.fields, user=user, model=model, form=self)

    Scoped.__name__ = form_class.__name__
    return Scoped


class PolicyFormMixin:
    """A model form built with ``for_user`` (as the admin's views build them)."""

    def __init__(self, *args, **kwargs):
        user = kwargs.get("for_user")
        if not isinstance(self, PermissionedForm):
            kwargs.pop("for_user", None)
        super().__init__(*args, **kwargs)
        self.for_user = user or getattr(self, "for_user", None)
        scope_form(self, self.for_user)
        self.policy_scoped = True
