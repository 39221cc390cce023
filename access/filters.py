"""Filter forms offer only the related objects the user may see (admin and API)."""

import django_filters

from common.filters import AdminFilterSet, FilterSet

from . import policy


class PolicyFilterSetMixin:
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        for name, filter_ in self.filters.items():
            if not isinstance(
                filter_,
                (
                    django_filters.ModelChoiceFilter,
                    django_filters.ModelMultipleChoiceFilter,
                ),
            ):
                continue
            queryset = filter_.queryset
            if queryset is None or callable(queryset):
                related = self._related_model(name, filter_)
            else:
                related = queryset.model
            if related is None or not policy.governs(related):
                continue
            filter_.queryset = policy.visible(user, related)
        self.policy_scoped = True

    def _related_model(self, name, filter_):
        model = self._meta.model
        try:
            field = model._meta.get_field(filter_.field_name.split("__")[0])
        except Exception:  # noqa: BLE001 — a computed filter has no model field
            return None
        for part in filter_.field_name.split("__")[1:]:
            field = field.related_model._meta.get_field(part)
        return field.related_model


class PolicyFilterSet(PolicyFilterSetMixin, FilterSet):
    """Base of every API filter set (and of those DRF builds for `filterset_fields`)."""


class PolicyWagtailFilterSet(PolicyFilterSetMixin, AdminFilterSet):
    """Base of every admin list filter set."""
