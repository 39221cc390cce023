"""The API's doors ask the policy: model permissions (the admin's) for every write,
the object within the user's changeable scope, related fields offering and accepting
only the policy's choices, and filter choices scoped.

Every viewset of the API lists ``PolicyPermission``; every serializer with a
writable related field derives from ``PolicySerializerMixin`` (a test walks the
router and fails on one that does not).
"""

from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission

from common.filters import FilterBackend

from . import policy
from .admin import policy_filterset
from .filters import PolicyFilterSet

METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def policy_model(view):
    model = getattr(view, "policy_model", None)
    if model is not None:
        return model
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        queryset = view.get_queryset()
    return queryset.model


def policy_action(request, view) -> tuple[str, type]:
    """The permission a request needs: a view names it for its own actions in
    ``policy_actions`` ({"complete": ("change", Session)}), else the method's."""
    declared = getattr(view, "policy_actions", {}).get(getattr(view, "action", None))
    if declared is not None:
        return declared
    action = METHOD_ACTIONS[request.method]
    if action == "add" and getattr(view, "detail", False):
        # A POST to one object's action ("…/{id}/complete/") changes that object.
        action = "change"
    return action, policy_model(view)


class PolicyPermission(BasePermission):
    """Reading: anyone signed in (querysets scope what they see). Writing: the
    model permission, and an existing object only within the changeable scope."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 Method Not Allowed
        action, model = policy_action(request, view)
        return action == "view" or policy.may(request.user, action, model)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        action, _model = policy_action(request, view)
        if action == "view":
            return True
        return policy.changeable(request.user, type(obj)).filter(pk=obj.pk).exists()


class PolicySerializerMixin:
    """Related fields offer and accept only what the policy lets the user choose;
    an id outside it is refused as if it did not exist."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            relation = getattr(field, "child_relation", field)
            if field.read_only or not isinstance(relation, serializers.RelatedField):
                continue
            if relation.queryset is None:
                continue
            allowed = policy.choosable(user, model, name, relation.queryset.model)
            if allowed is not None:
                relation.queryset = relation.queryset.filter(
                    pk__in=allowed.values("pk")
                )
        return fields


class PolicyModelSerializer(PolicySerializerMixin, serializers.ModelSerializer):
    pass


class PolicyFilterBackend(FilterBackend):
    """Filter choices (``?session=``, ``?course=`` …) are the policy's too."""

    filterset_base = PolicyFilterSet

    def get_filterset_class(self, view, queryset=None):
        return policy_filterset(super().get_filterset_class(view, queryset))
