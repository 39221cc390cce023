"""The load benchmark's requests, against the application in process: each kind of
request it sends succeeds on the demo (sign-in through the real forms, signed-in
pages, meetings and their replays), and its report counts errors and duplicates.
The run itself (gunicorn, 50 clients) is ``python benchmarks/load.py``."""

import datetime
import email.message
import time

import pytest
from django.test import Client

from benchmarks import load
from operations.demo import demo_seed
from promoters.models import VillageMeeting

# Seeding the demo takes seconds: `-m "not slow"` leaves this out of a quick run.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _through_django(port, method, path, body=None, headers=None):
    """``load._request`` without a server: the same request through Django's test
    client, with CSRF checks on, cookies only from the ``Cookie`` header."""
    headers = dict(headers or {})
    extra = {}
    if "Cookie" in headers:
        extra["HTTP_COOKIE"] = headers.pop("Cookie")
    content_type = headers.pop("Content-Type", "application/octet-stream")
    response = Client(enforce_csrf_checks=True).generic(
        method,
        path,
        data=body or "",
        content_type=content_type,
        headers=headers,
        **extra,
    )
    message = email.message.Message()
    for name, value in response.items():
        message[name] = value
    for morsel in response.cookies.values():
        message["Set-Cookie"] = morsel.OutputString()
    return load.Answer(response.status_code, message, response.content)


def test_each_kind_of_request_succeeds_and_the_report_counts_duplicates(
    monkeypatch, settings, capsys
):
    """One test, one demo seed (seconds): the floor, a stale session, a short run
    with replays, and the report."""
    settings.SUKSA_VERIFY_RATE_PER_MINUTE = 10**9
    demo_seed(password=load.PASSWORD)
    monkeypatch.setattr(load, "_request", _through_django)
    monkeypatch.setattr(load, "FLOOR_SAMPLES", 1)
    demo = load._targets()

    floors = load._floor(0, demo)  # raises on any error
    assert set(floors) == {*load.MIX, "sign-in"}
    assert all(seconds > 0 for seconds in floors.values())

    # A signed-in page answered by the sign-in page is an error, not a success.
    _elapsed, error = load._page(0, "portal", demo["portal"], {"sessionid": "stale"})
    assert error and "/portal/login/" in error

    results = load.Results()
    load._client(0, demo, results, time.monotonic() + 2)
    today = datetime.date.today().isoformat()
    load._meeting(0, demo, results, today)
    monkeypatch.setattr(load.random, "random", lambda: 0.0)  # replays from now on
    for _ in range(3):
        load._meeting(0, demo, results, today)
    load._report(results, 2.0, floors, "test", (0.0, 0.0, 0.0))

    output = capsys.readouterr().out
    assert sum(results.errors.values()) == 0, results.error_examples
    assert "sign-in" in results.latencies or "portal" not in results.latencies
    unique = set(results.sent)
    assert len(results.sent) >= len(unique) + 3
    assert VillageMeeting.objects.filter(client_uuid__in=unique).count() == len(unique)
    assert "0 stored twice, 0 answered 201 twice; 0 lost" in output
    assert "goal: 0 errors (0), 0 duplicates (0): met" in output
