"""No admin form answers 500 to a change the services refuse (issue 15, item 5).

Every project admin add and edit form is posted back as the page offers it, then
with values the services refuse where they can be built here: a session moved away
from its attendance, changes in an approved period, "completed" typed by hand. Each
answer is the form again with its error (or a redirect), never a server error.
"""

import datetime

import pytest
from django import forms
from django.urls import NoReverseMatch, reverse

from periods.models import PeriodApproval
from periods.services import period_approve
from tests.access.test_doors import project_admin_viewsets
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.models import Session
from trainings.services import attendance_record_day

pytestmark = pytest.mark.django_db


def _value(value):
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def form_data(form) -> dict:
    """What the browser posts for ``form`` as the page shows it (inlines too)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[form.add_prefix(name)] = "on"
            continue
        if isinstance(field, forms.FileField):
            continue
        data[form.add_prefix(name)] = _value(value)
    for formset in getattr(form, "formsets", {}).values():
        data.update(form_data(formset.management_form))
        for inline in formset.forms:
            data.update(form_data(inline))
    return data


@pytest.fixture
def session_with_attendance(admin_user):
    session = SessionFactory(created_by=admin_user)
    (enrolment,) = enrol(session, PersonFactory())
    last_day = session.days.order_by("date").last()
    attendance_record_day(day=last_day, statuses={enrolment.pk: "present"})
    return session


def _edit_form(client, session) -> dict:
    response = client.get(reverse("sessions:edit", args=[session.pk]))
    assert response.status_code == 200
    return form_data(response.context["form"])


def _assert_refused(response, *, text: str):
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    assert text in content


def test_moving_a_session_away_from_its_attendance_is_an_error_on_the_form(
    client_in_english, session_with_attendance
):
    client = client_in_english("admin")
    data = _edit_form(client, session_with_attendance)
    data.update(starts_on="2022-06-14", ends_on="2022-06-15")

    response = client.post(
        reverse("sessions:edit", args=[session_with_attendance.pk]), data
    )

    _assert_refused(response, text="Clear that attendance first.")
    form = response.context["form"]
    assert "ends_on" in form.errors
    session_with_attendance.refresh_from_db()
    assert session_with_attendance.ends_on == datetime.date(2022, 6, 16)
    assert session_with_attendance.days.count() == 3


def test_moving_a_session_away_from_its_attendance_by_the_api_is_a_400(
    client_as, session_with_attendance
):
    response = client_as("admin").patch(
        f"/api/v1/sessions/{session_with_attendance.pk}/",
        {"ends_on": "2022-06-15"},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "ends_on" in response.json()
    session_with_attendance.refresh_from_db()
    assert session_with_attendance.ends_on == datetime.date(2022, 6, 16)


def test_typing_completed_by_hand_is_an_error_on_the_form(
    client_in_english, session_with_attendance
):
    client = client_in_english("admin")
    data = _edit_form(client, session_with_attendance)
    data["status"] = Session.Status.COMPLETED

    response = client.post(
        reverse("sessions:edit", args=[session_with_attendance.pk]), data
    )

    assert response.status_code == 200
    assert "status" in response.context["form"].errors
    session_with_attendance.refresh_from_db()
    assert session_with_attendance.status != Session.Status.COMPLETED


@pytest.fixture
def approved_june_2022(session_with_attendance, make_user):
    return period_approve(
        district=session_with_attendance.district,
        kind=PeriodApproval.Kind.MONTH,
        year=2022,
        number=6,
        by=make_user("manager"),
    )


def test_changing_a_session_in_an_approved_period_is_an_error_on_the_form(
    client_in_english, session_with_attendance, approved_june_2022
):
    client = client_in_english("admin")
    data = _edit_form(client, session_with_attendance)
    data["venue"] = "Elsewhere"

    response = client.post(
        reverse("sessions:edit", args=[session_with_attendance.pk]), data
    )

    _assert_refused(response, text="cannot change")
    session_with_attendance.refresh_from_db()
    assert session_with_attendance.venue != "Elsewhere"


def test_changing_a_course_used_in_an_approved_period_is_an_error_on_the_form(
    client_in_english, session_with_attendance, approved_june_2022
):
    client = client_in_english("admin")
    course = session_with_attendance.course
    response = client.get(reverse("courses:edit", args=[course.pk]))
    data = form_data(response.context["form"])
    data["min_attendance_percent"] = "10"

    response = client.post(reverse("courses:edit", args=[course.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors
    course.refresh_from_db()
    assert course.min_attendance_percent == 80


def _edit_url(viewset, model):
    instance = model.objects.order_by("pk").first()
    if instance is None:
        return None
    try:
        return reverse(viewset.get_url_name("edit"), args=[instance.pk])
    except NoReverseMatch:
        return None


def test_no_admin_form_answers_500(
    client, admin_user, session_with_attendance, approved_june_2022
):
    """Every project add and edit form, posted back as shown, then emptied, then
    (sessions and courses) with refused values: never a server error."""
    client.force_login(admin_user)
    client.raise_request_exception = False
    posted, failures = 0, []
    for viewset in project_admin_viewsets():
        urls = []
        if viewset.add_view_class:
            urls.append(reverse(viewset.get_url_name("add")))
        if viewset.edit_view_class and (url := _edit_url(viewset, viewset.model)):
            urls.append(url)
        for url in urls:
            page = client.get(url)
            if page.status_code != 200 or "form" not in (page.context or {}):
                continue
            shown = form_data(page.context["form"])
            refused = {**shown, "starts_on": "2030-01-01", "ends_on": "2022-01-01"}
            if "status" in shown:
                refused["status"] = Session.Status.COMPLETED
            for data in (shown, {}, refused):
                posted += 1
                response = client.post(url, data)
                if response.status_code >= 500:
                    failures.append(f"{url} {sorted(data)[:5]}")
    assert posted > 20
    assert failures == []
