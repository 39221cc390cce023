import datetime
from unittest import mock

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.files.storage import default_storage
from django.test import RequestFactory
from django.utils import timezone

from common.previews import (
    PREVIEW_LIFETIME,
    preview_keep,
    preview_take,
    previews_purge,
)

FOLDER = "test-previews"


@pytest.fixture
def request_with_session(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    request = RequestFactory().post("/")
    request.session = SessionStore()
    return request


def keep(request, scope=7, content=b"a,b\n"):
    return preview_keep(
        request,
        folder=FOLDER,
        session_key="imports",
        scope=scope,
        content=content,
        filename="Sheet.CSV",
    )


def take(request, token, scope=7):
    request.POST = {"token": token}
    return preview_take(request, folder=FOLDER, session_key="imports", scope=scope)


def test_a_kept_preview_is_taken_once_and_removed(request_with_session):
    token = keep(request_with_session)

    content, name = take(request_with_session, token)

    assert (content, name) == (b"a,b\n", f"{FOLDER}/{token}.csv")
    assert not default_storage.exists(name)
    assert take(request_with_session, token) is None


def test_a_preview_of_another_scope_or_an_unknown_token_is_refused(
    request_with_session,
):
    token = keep(request_with_session, scope=7)

    assert take(request_with_session, token, scope=8) is None
    assert take(request_with_session, "not-a-token") is None


def test_previews_older_than_a_day_are_purged(request_with_session):
    old = keep(request_with_session)
    fresh = keep(request_with_session)
    later = timezone.now() + PREVIEW_LIFETIME + datetime.timedelta(minutes=1)
    real_modified = default_storage.get_modified_time

    def modified(path):
        return (
            real_modified(path) - (later - timezone.now())
            if old in path
            else (real_modified(path))
        )

    with mock.patch.object(default_storage, "get_modified_time", modified):
        previews_purge(folder=FOLDER)

    assert not default_storage.exists(f"{FOLDER}/{old}.csv")
    assert default_storage.exists(f"{FOLDER}/{fresh}.csv")
