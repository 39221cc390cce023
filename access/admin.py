"""The admin's doors ask the policy: lists, inspect, history and usage show what the
user may see; edit and delete open what they may change; every form field and
inline offers and accepts only the policy's choices; list filters likewise.

Every ``ModelViewSet`` of the project derives from ``PolicyModelViewSet`` (a test
walks the admin and fails on one that does not).
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from common.admin_views import ServiceFormMixin

from . import policy
from .filters import PolicyFilterSetMixin, PolicyWagtailFilterSet
from .forms import PolicyFormMixin

_FORMS: dict = {}
_FILTERSETS: dict = {}


def policy_form(form_class):
    """``form_class`` with its related fields scoped (cached per class)."""
    if form_class is None or issubclass(form_class, PolicyFormMixin):
        return form_class
    if form_class not in _FORMS:
        _FORMS[form_class] = type(
            form_class.__name__, (PolicyFormMixin, form_class), {}
        )
    return _FORMS[form_class]


def policy_filterset(filterset_class):
    if filterset_class is None or issubclass(filterset_class, PolicyFilterSetMixin):
        return filterset_class
    if filterset_class not in _FILTERSETS:
        _FILTERSETS[filterset_class] = type(
            filterset_class.__name__, (PolicyFilterSetMixin, filterset_class), {}
        )
    return _FILTERSETS[filterset_class]


class _Scoped:
    """Opens an object only from the policy's queryset: 404 outside it."""

    policy_scope = "visible"

    def get_object(self, queryset=None):
        if not policy.scoped_by_row(self.model):
            # All or nothing by model permission: Wagtail's own check answers.
            return super().get_object()
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        user = self.request.user
        scope = getattr(policy, self.policy_scope)(user, self.model)
        found = scope.filter(pk=pk).first()
        if found is not None:
            return found
        # Seen but not theirs to change: refused; outside what they see: missing.
        if policy.visible(user, self.model).filter(pk=pk).exists():
            raise PermissionDenied
        raise Http404


class _ScopedIndex:
    """Lists (and exports) only what the user may see."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        return queryset.filter(
            pk__in=policy.visible(self.request.user, self.model).values("pk")
        )


class _FormForUser(ServiceFormMixin):
    """Every add and edit form is built for the user (scoped related fields), and
    shows a service's refusal on the form."""

    def get_form_class(self):
        return policy_form(super().get_form_class())

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs


def _scoped_view(view_class, scope: str):
    if scope == "index":
        return type(view_class.__name__, (_ScopedIndex, view_class), {})
    if scope == "add":
        return type(view_class.__name__, (_FormForUser, view_class), {})
    if scope == "deletable":
        return type(
            view_class.__name__, (_Scoped, view_class), {"policy_scope": "changeable"}
        )
    if scope == "changeable":
        return type(
            view_class.__name__,
            (_FormForUser, _Scoped, view_class),
            {"policy_scope": scope},
        )
    return type(view_class.__name__, (_Scoped, view_class), {"policy_scope": scope})


class PolicyViewSetMixin:
    """Makes a Wagtail model (or snippet) viewset ask ``access.policy`` in every
    view."""

    def get_form_class(self, for_update=False):
        return policy_form(super().get_form_class(for_update))

    def get_index_view_kwargs(self, **kwargs):
        view_kwargs = super().get_index_view_kwargs(**kwargs)
        view_kwargs["base_filterset_class"] = PolicyWagtailFilterSet
        if isinstance(self.filterset_class, type):
            view_kwargs["filterset_class"] = policy_filterset(self.filterset_class)
        return view_kwargs

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, scope in (
            ("index", "index"),
            ("add", "add"),
            ("edit", "changeable"),
            ("delete", "deletable"),
            ("inspect", "visible"),
            ("history", "visible"),
            ("usage", "visible"),
            ("copy", "visible"),
        ):
            view_class = getattr(self, f"{name}_view_class", None)
            if view_class is not None and not issubclass(
                view_class, (_Scoped, _ScopedIndex, _FormForUser)
            ):
                setattr(self, f"{name}_view_class", _scoped_view(view_class, scope))


class PolicyModelViewSet(PolicyViewSetMixin, ModelViewSet):
    """A Wagtail model viewset whose every view asks ``access.policy``."""


class PolicySnippetViewSet(PolicyViewSetMixin, SnippetViewSet):
    """A snippet viewset whose every view asks ``access.policy``."""
