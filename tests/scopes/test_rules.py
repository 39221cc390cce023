"""The per-model rules live in scopes.rules and reach every door through
access.policy's registry (issue 19, item 4)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from wagtail.models import Page

from access import policy
from config.api import router
from scopes import rules
from tests.access.test_doors import project_admin_viewsets
from trainings.models import Session

pytestmark = pytest.mark.django_db


def _api_models():
    return {
        viewset.queryset.model
        for _prefix, viewset, _basename in router.registry
        if getattr(viewset, "queryset", None) is not None
    }


def test_every_model_the_admin_and_the_api_open_has_a_registered_rule():
    registered = policy.rules()
    models = {viewset.model for viewset in project_admin_viewsets()} | _api_models()
    assert len(models) > 15
    missing = [
        model._meta.label
        for model in models
        if model._meta.label not in registered.visible
        and model._meta.label not in registered.reference
    ]
    assert missing == []


def test_the_registry_holds_the_rules_of_scopes_and_nothing_else():
    registered = policy.rules()
    assert registered.visible == {
        model._meta.label: rule for model, rule in rules.VISIBLE.items()
    }
    assert registered.changeable == {
        model._meta.label: rule for model, rule in rules.CHANGEABLE.items()
    }
    assert set(registered.named) == set(rules.NAMED)


def test_every_named_entry_asks_the_rule_of_its_own_model():
    """``policy.sessions_visible`` and the other entries name a registered model:
    each answers a queryset of that model (nobody signed in: an empty one)."""
    entries = {
        name: getattr(policy, name)
        for name in dir(policy)
        if name.endswith(("_visible", "_changeable"))
    }
    assert len(entries) > 40
    for name, entry in entries.items():
        rows = entry(AnonymousUser())
        assert isinstance(rows, QuerySet), name
        assert list(rows) == [], name
        kind = "visible" if name.endswith("_visible") else "changeable"
        registered = getattr(policy.rules(), kind)[rows.model._meta.label]
        assert registered(AnonymousUser()).model is rows.model, name


def test_a_model_or_label_gives_the_same_rows(make_user):
    trainer = make_user("trainer")
    assert str(policy.visible(trainer, Session).query) == str(
        policy.visible(trainer, "trainings.Session").query
    )


def test_asking_for_a_model_without_a_rule_raises(admin_user):
    with pytest.raises(LookupError, match="wagtailcore.Page"):
        policy.visible(admin_user, Page)
    with pytest.raises(LookupError, match="wagtailcore.Page"):
        policy.changeable(admin_user, Page)
    with pytest.raises(LookupError, match="nowhere.Nothing"):
        policy.visible(admin_user, "nowhere.Nothing")
    assert not policy.governs(Page)


def test_asking_before_the_rules_are_registered_raises(monkeypatch, admin_user):
    monkeypatch.setattr(policy, "_registered", [])
    with pytest.raises(ImproperlyConfigured, match="no rules yet"):
        policy.sessions_visible(admin_user)
    with pytest.raises(ImproperlyConfigured):
        policy.visible(admin_user, Session)
    with pytest.raises(ImproperlyConfigured):
        policy.promoter_of(admin_user)
    with pytest.raises(ImproperlyConfigured):
        policy.may(admin_user, "view", Session)
