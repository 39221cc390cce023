"""Method × role × model: every API write needs the admin's model permission.

The expectation comes from the roles table (``accounts/roles.py``), not from the
policy: a role without ``<app>.<action>_<model>`` gets 403 on that write, whatever the
payload; a role with it gets past the permission (an empty payload then answers 400,
an object outside their scope 404). A viewset without a write method answers 405.
"""

import pytest

from accounts import roles
from certificates.models import Certificate, CertificateJob
from config.api import router
from people.models import Person
from places.models import District, Province
from projects.models import Project
from promoters.models import (
    CentreVisit,
    DistrictOffice,
    InformationCentre,
    Promoter,
    VillageMeeting,
)
from tests.factories import (
    DistrictOfficeFactory,
    PersonFactory,
    PromoterFactory,
    SessionFactory,
    enrol,
    record_meeting,
)
from trainings.models import Attendance, Course, Enrolment, Session

pytestmark = pytest.mark.django_db

ROLES = {
    "trainer": roles.TRAINERS,
    "manager": roles.MANAGERS,
    "officer": roles.DISTRICT_OFFICERS,
    "promoter": roles.PROMOTERS,
    "editor": roles.EDITORS,
}
METHODS = {"post": "add", "patch": "change", "put": "change", "delete": "delete"}
# Promoters record their own meetings in the portal and the API without an admin
# permission (the policy's one exception, DESIGN §2).
EXCEPTIONS = {(roles.PROMOTERS, "promoters.add_villagemeeting")}


def _granted(role: str, permission: str) -> bool:
    return permission in roles.ROLE_PERMISSIONS[role] or (role, permission) in (
        EXCEPTIONS
    )


@pytest.fixture
def objects(make_user):
    users = {name: make_user(name) for name in ROLES}
    session = SessionFactory(created_by=users["trainer"])
    (enrolment,) = enrol(session, PersonFactory(created_by=users["trainer"]))
    office = DistrictOfficeFactory(officers=[users["officer"]])
    promoter = PromoterFactory(
        person=PersonFactory(user=users["promoter"]), office=office
    )
    meeting = record_meeting(promoter, user=users["promoter"])
    return users, {
        "person": enrolment.person,
        "course": session.course,
        "session": session,
        "enrolment": enrolment,
        "promoter": promoter,
        "office": office,
        "meeting": meeting,
    }


# The model each API route writes (written out: the test does not ask the code).
MODELS = {
    "province": Province,
    "district": District,
    "person": Person,
    "course": Course,
    "session": Session,
    "enrolment": Enrolment,
    "attendance": Attendance,
    "certificate": Certificate,
    "job": CertificateJob,
    "promoter": Promoter,
    "office": DistrictOffice,
    "meeting": VillageMeeting,
    "centre": InformationCentre,
    "centre-visit": CentreVisit,
    "project": Project,
}


def _routes():
    for prefix, viewset, basename in router.registry:
        yield prefix, viewset, basename, MODELS[basename]


def test_every_write_needs_the_model_permission(client, objects):
    users, subjects = objects
    problems, checked = [], 0
    for prefix, viewset, basename, _model in _routes():
        for role, group in ROLES.items():
            client.force_login(users[role])
            view = viewset()
            for method, action in METHODS.items():
                detail = method != "post"
                subject = subjects.get(basename)
                if detail and subject is None:
                    continue
                url = f"/api/v1/{prefix}/" + (f"{subject.pk}/" if detail else "")
                response = getattr(client, method)(
                    url, {}, content_type="application/json"
                )
                handler = {"post": "create", "patch": "partial_update"}.get(
                    method, {"put": "update", "delete": "destroy"}.get(method)
                )
                if not hasattr(view, handler):
                    checked += 1
                    # 405, or 404 where the viewset has no such route at all
                    if response.status_code not in (404, 405):
                        problems.append(f"{method} {url} as {role}: not 405")
                    continue
                meta = MODELS[basename]._meta
                permission = f"{meta.app_label}.{action}_{meta.model_name}"
                checked += 1
                denied = response.status_code == 403
                granted = _granted(group, permission)
                if granted == denied:
                    problems.append(
                        f"{method} {url} as {role}: {response.status_code}, but "
                        f"{permission} is {'granted' if granted else 'not granted'}"
                    )
    assert checked > 100
    assert problems == [], "\n".join(problems)


def test_listings_are_open_to_every_signed_in_role(client, objects):
    """Reading needs no model permission: what a listing holds is the user's scope
    (jobs have no listing: one is followed by its id)."""
    users, _subjects = objects
    for prefix, viewset, _basename, _model in _routes():
        if not hasattr(viewset, "list"):
            continue
        for role in ROLES:
            client.force_login(users[role])
            response = client.get(f"/api/v1/{prefix}/")
            assert response.status_code == 200, (prefix, role)
