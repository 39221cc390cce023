"""Every door asks ``access.policy``: a new admin viewset, form field, inline, filter,
API view or serializer field that does not, fails here.

Two kinds of tests, in the spirit of ``tests/test_routes.py``:

* structural: every project admin viewset, API view and serializer with a writable
  relation is built on the policy's classes, and every model it shows has a rule;
* per role, with objects in and out of each user's scope: every related field of
  every admin add form (inlines included), every admin list filter, every API
  serializer and every API filter offers exactly what the policy allows.
"""

import inspect
import sys

import pytest
from django import forms
from django.test import RequestFactory
from django.urls import NoReverseMatch, get_resolver, reverse
from rest_framework import serializers
from rest_framework.request import Request
from wagtail.admin.viewsets import viewsets as admin_viewsets
from wagtail.admin.viewsets.model import ModelViewSet

from access import policy
from access.admin import PolicyViewSetMixin
from access.api import PolicyFilterBackend, PolicyPermission, PolicySerializerMixin
from config.api import router
from promoters.models import InformationCentre
from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    VillageFactory,
    enrol,
    record_meeting,
)

pytestmark = pytest.mark.django_db

PROJECT_APPS = {
    "accounts",
    "access",
    "audit",
    "certificates",
    "cms",
    "feedback",
    "materials",
    "people",
    "periods",
    "places",
    "promoters",
    "reports",
    "trainings",
}
ROLES = ["admin", "trainer", "trainer2", "manager", "officer", "promoter", "editor"]


def _project(cls) -> bool:
    return cls.__module__.split(".")[0] in PROJECT_APPS


def project_admin_viewsets():
    _ = get_resolver().url_patterns  # Wagtail registers its viewsets with the URLs
    return [
        viewset
        for viewset in admin_viewsets.viewsets
        if isinstance(viewset, ModelViewSet) and _project(type(viewset))
    ]


def project_serializers():
    _ = get_resolver().url_patterns
    found = set()
    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "") or ""
        if name.split(".")[0] not in PROJECT_APPS:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, serializers.ModelSerializer)
                and _project(cls)
                and getattr(getattr(cls, "Meta", None), "model", None) is not None
            ):
                found.add(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


# Structure ---------------------------------------------------------------------------


def test_every_admin_viewset_asks_the_policy():
    viewsets = project_admin_viewsets()
    assert len(viewsets) > 15
    assert [
        type(v).__name__ for v in viewsets if not isinstance(v, PolicyViewSetMixin)
    ] == []
    assert [v.model.__name__ for v in viewsets if not policy.governs(v.model)] == []


def test_every_api_view_asks_the_policy():
    offenders = []
    for prefix, viewset, _basename in router.registry:
        if not any(issubclass(p, PolicyPermission) for p in viewset.permission_classes):
            offenders.append(prefix)
        for extra in viewset.get_extra_actions():
            classes = extra.kwargs.get("permission_classes")
            if classes is not None and not any(
                issubclass(p, PolicyPermission) for p in classes
            ):
                offenders.append(f"{prefix}/{extra.url_path}")
    assert offenders == []


def test_every_serializer_with_a_writable_relation_asks_the_policy():
    offenders = []
    for cls in project_serializers():
        fields = cls(context={}).get_fields()
        writable = [
            name
            for name, field in fields.items()
            if not field.read_only
            and isinstance(
                getattr(field, "child_relation", field), serializers.RelatedField
            )
        ]
        if writable and not issubclass(cls, PolicySerializerMixin):
            offenders.append(f"{cls.__name__}: {writable}")
    assert offenders == []


# A world with objects in and out of each user's scope ---------------------------------


@pytest.fixture
def world(make_user, admin_user):
    users = {name: make_user(name) for name in ROLES[1:]}
    users["admin"] = admin_user
    mine = SessionFactory(created_by=users["trainer"])
    theirs = SessionFactory(created_by=users["trainer2"])
    enrol(mine, PersonFactory(created_by=users["trainer"]))
    enrol(theirs, PersonFactory(created_by=users["trainer2"]))
    PersonFactory()  # nobody's
    office = DistrictOfficeFactory(officers=[users["officer"]])
    elsewhere = DistrictOfficeFactory()
    promoter = PromoterFactory(
        person=PersonFactory(user=users["promoter"]), office=office
    )
    other = PromoterFactory(office=elsewhere)
    VillageFactory(district=office.district)
    VillageFactory(district=elsewhere.district)
    record_meeting(promoter, user=users["promoter"])
    record_meeting(other)
    for district in (office.district, elsewhere.district):
        InformationCentre.objects.create(
            name=f"Centre {district.pk}", host_organisation="LSSO", district=district
        )
    return users


def _pks(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def _check(field, *, user, model, name, everything, where, problems):
    """``field`` offers what the policy allows, no more, no less."""
    related = field.queryset.model
    allowed = policy.choosable(user, model, name, related)
    if allowed is None:
        return
    offered = _pks(field.queryset)
    expected = everything & _pks(allowed)
    if offered != expected:
        problems.append(
            f"{where} {model.__name__}.{name} as {user.username}: "
            f"offers {sorted(offered)}, policy {sorted(expected)}"
        )


def _model_choice_fields(form):
    """(model, name, field) of a form and of its inline formsets' forms (their own
    id is limited to the parent's rows by the formset itself)."""
    if getattr(form, "_meta", None) is None:
        return  # not a model form (Wagtail's API token form: the user is checked)
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            yield form._meta.model, name, field
    for formset in getattr(form, "formsets", {}).values():
        for child in [*formset.forms, formset.empty_form]:
            for name, field in child.fields.items():
                if name == formset.model._meta.pk.name:
                    continue
                if isinstance(field, forms.ModelChoiceField):
                    yield formset.model, name, field


def _admin_forms(client, viewset):
    response = client.get(reverse(viewset.get_url_name("add")))
    if response.status_code != 200:
        return None
    return response.context["form"]


def test_admin_forms_offer_exactly_the_policys_choices(client, world):
    problems, checked = [], 0
    for viewset in project_admin_viewsets():
        if not viewset.add_view_class:
            continue
        client.force_login(world["admin"])
        form = _admin_forms(client, viewset)
        if form is None:
            continue
        everything = {
            (model, name): _pks(field.queryset)
            for model, name, field in _model_choice_fields(form)
        }
        for role in ROLES[1:]:
            user = world[role]
            client.force_login(user)
            form = _admin_forms(client, viewset)
            if form is None:
                continue
            for model, name, field in _model_choice_fields(form):
                checked += 1
                _check(
                    field,
                    user=user,
                    model=model,
                    name=name,
                    everything=everything[(model, name)],
                    where=f"admin {viewset.name} add",
                    problems=problems,
                )
    assert checked > 20
    assert problems == []


def _check_filters(filterset, user, problems, *, where: str) -> int:
    """A filter set's related choices are within what the user sees; returns how
    many it checked."""
    checked = 0
    for name, field in filterset.form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        related = field.queryset.model
        if not policy.governs(related):
            continue
        checked += 1
        if not _pks(field.queryset) <= _pks(policy.visible(user, related)):
            problems.append(where.format(name=name))
    return checked


def test_admin_list_filters_offer_only_what_the_user_sees(client, world):
    problems, checked = [], 0
    for viewset in project_admin_viewsets():
        for role in ROLES[1:]:
            user = world[role]
            client.force_login(user)
            try:
                url = reverse(viewset.get_url_name("index"))
            except NoReverseMatch:
                continue
            response = client.get(url)
            if response.status_code != 200 or not response.context.get("filters"):
                continue
            checked += _check_filters(
                response.context["filters"],
                user,
                problems,
                where=f"{viewset.name} filter {{name}} as {role}",
            )
    assert checked > 5
    assert problems == []


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return Request(request)


def test_api_serializers_offer_exactly_the_policys_choices(world):
    problems, checked = [], 0
    for cls in project_serializers():
        model = getattr(getattr(cls, "Meta", None), "model", None)
        admin_fields = cls(context={"request": _request(world["admin"])}).fields
        for role in ROLES[1:]:
            user = world[role]
            fields = cls(context={"request": _request(user)}).fields
            for name, field in fields.items():
                relation = getattr(field, "child_relation", field)
                if field.read_only or not isinstance(
                    relation, serializers.RelatedField
                ):
                    continue
                checked += 1
                admin_relation = getattr(
                    admin_fields[name], "child_relation", admin_fields[name]
                )
                _check(
                    relation,
                    user=user,
                    model=model,
                    name=name,
                    everything=_pks(admin_relation.queryset),
                    where=f"API {cls.__name__}",
                    problems=problems,
                )
    assert checked > 20
    assert problems == []


def test_api_filters_offer_only_what_the_user_sees(world):
    problems, checked = [], 0
    backend = PolicyFilterBackend()
    for prefix, viewset_class, _basename in router.registry:
        for role in ROLES[1:]:
            user = world[role]
            view = viewset_class(
                request=_request(user), action="list", format_kwarg=None, kwargs={}
            )
            try:
                queryset = view.get_queryset()
            except Exception:  # noqa: BLE001 — a viewset listing nothing by design
                continue
            filterset = backend.get_filterset(view.request, queryset, view)
            if filterset is None:
                continue
            checked += _check_filters(
                filterset, user, problems, where=f"{prefix} ?{{name}}= as {role}"
            )
    assert checked > 3
    assert problems == []
