"""The demo of DESIGN §1: users for every role and the programme's reference data."""

from django.db import transaction

from accounts import roles
from accounts.services import roles_ensure, user_ensure
from certificates.demo import certificates_demo_seed
from cms.services import site_ensure_home_pages
from feedback.demo import feedback_demo_seed
from materials.demo import materials_demo_seed
from people.models import Organisation
from people.services import organisation_get_or_create
from places.models import District
from places.services import places_load, places_read
from projects.demo import projects_demo_seed
from promoters.demo import promoters_demo_seed
from trainings.demo import trainings_demo_seed

DEMO_USERS = [
    ("admin", roles.ADMINISTRATORS, {"first_name": "Admin", "last_name": "LSSO"}),
    ("editor", roles.EDITORS, {"first_name": "Manivone", "last_name": "Editor"}),
    ("trainer", roles.TRAINERS, {"first_name": "Khamla", "last_name": "Trainer"}),
    ("trainer2", roles.TRAINERS, {"first_name": "Somchai", "last_name": "Trainer"}),
    ("manager", roles.MANAGERS, {"first_name": "Viengkham", "last_name": "Manager"}),
    (
        "officer",
        roles.DISTRICT_OFFICERS,
        {"first_name": "Bounmy", "last_name": "Officer"},
    ),
    ("promoter", roles.PROMOTERS, {"first_name": "Phet", "last_name": "Promoter"}),
]

DEMO_ORGANISATIONS = [
    ("Lao Social Security Organisation (LSSO)", Organisation.Kind.LSSO),
    ("Ministry of Labour and Social Welfare", Organisation.Kind.GOVERNMENT),
    ("International Labour Organization (ILO)", Organisation.Kind.INTERNATIONAL),
    ("Oxfam", Organisation.Kind.CIVIL_SOCIETY),
    (
        "Lao National Chamber of Commerce and Industry",
        Organisation.Kind.EMPLOYER_ASSOCIATION,
    ),
    ("Lao Federation of Trade Unions", Organisation.Kind.TRADE_UNION),
]


@transaction.atomic
def demo_seed(*, password: str) -> None:
    roles_ensure()
    if not District.objects.exists():
        places_load(rows=places_read())
    site_ensure_home_pages()
    for name, kind in DEMO_ORGANISATIONS:
        organisation_get_or_create(name=name, kind=kind)
    for username, role, fields in DEMO_USERS:
        user_ensure(
            username=username,
            password=password,
            role=role,
            email=f"{username}@suksa.example",
            **fields,
        )
    trainings_demo_seed()
    feedback_demo_seed()
    certificates_demo_seed()
    promoters_demo_seed()
    materials_demo_seed()
    projects_demo_seed()
