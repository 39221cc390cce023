import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from people.models import Gender, Organisation, Person
from people.services import person_create
from places.models import District, Province, Village
from projects.models import Project
from trainings.models import Course, Enrolment, HistoricalTraining, Session
from trainings.services import enrolment_add, session_create


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = "16"
    iso = "LA-CH"
    name_lo = "ຈຳປາສັກ"
    name_en = "Champasak"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("code",)

    province = factory.SubFactory(ProvinceFactory)
    code = factory.Sequence(lambda n: f"16{n % 100:02d}")
    name_lo = factory.Sequence(lambda n: f"ເມືອງ {n}")
    name_en = factory.Sequence(lambda n: f"District {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    district = factory.SubFactory(DistrictFactory)
    name_lo = factory.Sequence(lambda n: f"ບ້ານ {n}")
    name_en = factory.Sequence(lambda n: f"Village {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.GOVERNMENT


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LAO{n:03d}-EU")
    title_lo = factory.Sequence(lambda n: f"ໂຄງການ {n}")
    title_en = factory.Sequence(lambda n: f"Project {n}")
    outcome_code = "LAO226"
    tags = "SDG 8, 8.2.1"


class PersonFactory(factory.Factory):
    """People are created through people.services, as the application does."""

    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"ສົມພອນ {n}")
    gender = Gender.WOMAN

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return person_create(**kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title_lo = "ການຝຶກອົບຮົມຄູຝຶກ ດ້ານການປົກປ້ອງສັງຄົມຂັ້ນພື້ນຖານ"
    title_en = "Training of Trainers on basic social protection"
    kind = Course.Kind.TOT
    min_attendance_percent = 80


class SessionFactory(factory.Factory):
    """Sessions are created through trainings.services (code, days)."""

    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_on = datetime.date(2022, 6, 14)
    ends_on = datetime.date(2022, 6, 16)
    district = factory.SubFactory(DistrictFactory)
    venue = "LSSO, Vientiane"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return session_create(**kwargs)


class HistoricalTrainingFactory(factory.django.DjangoModelFactory):
    """A past training known only as totals (written directly: tests of the
    service build their own)."""

    class Meta:
        model = HistoricalTraining

    title = "Social security orientation (paper register)"
    starts_on = datetime.date(2019, 3, 5)
    ends_on = datetime.date(2019, 3, 6)
    district = factory.SubFactory(DistrictFactory)
    women = 12
    men = 18
    source = "LSSO training register 2019, page 14"


def enrol(session, *people, role=Enrolment.Role.PARTICIPANT):
    return [
        enrolment_add(session=session, person=person, role=role)[0] for person in people
    ]


class DistrictOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "promoters.DistrictOffice"
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"District Social Security Office {n}")
    opened_on = datetime.date(2023, 5, 2)

    @factory.post_generation
    def officers(office, create, extracted, **kwargs):
        if create and extracted:
            office.officers.add(*extracted)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "promoters.Campaign"
        skip_postgeneration_save = True

    name_lo = factory.Sequence(lambda n: f"ການໂຄສະນາ {n}")
    name_en = factory.Sequence(lambda n: f"Campaign {n}")
    kind = "mobile_drive"
    starts_on = datetime.date(2023, 5, 1)

    @factory.post_generation
    def districts(campaign, create, extracted, **kwargs):
        if create and extracted:
            campaign.districts.add(*extracted)


class PromoterFactory(factory.django.DjangoModelFactory):
    """Promoters are created through promoters.services (the rules apply)."""

    class Meta:
        model = "promoters.Promoter"

    person = factory.SubFactory(PersonFactory)
    role = "village_chief"
    office = factory.SubFactory(DistrictOfficeFactory)
    village = factory.LazyAttribute(
        lambda promoter: VillageFactory(district=promoter.office.district)
    )
    started_on = datetime.date(2022, 7, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from promoters.services import promoter_create

        return promoter_create(**kwargs)


def record_meeting(promoter, *, user=None, **fields):
    """A village meeting led by ``promoter`` through promoters.services."""
    import uuid

    from promoters.services import meeting_record

    values = {
        "user": user or promoter.person.user or UserFactory(is_superuser=True),
        "client_uuid": uuid.uuid4(),
        "date": datetime.date(2023, 6, 1),
        "village": promoter.village,
        "led_by": [promoter],
        "turnout": {"women": 10, "men": 8},
        "registrations": {"women": 3, "men": 2},
    }
    values.update(fields)
    return meeting_record(**values)[0]


def mark_completed(enrolment):
    """Present every day, then "completed" through the service (which applies the
    course's completion rule, as it does for every caller)."""
    from trainings.models import Enrolment
    from trainings.services import attendance_record_day, enrolment_update

    for day in enrolment.session.days.all():
        attendance_record_day(day=day, statuses={enrolment.pk: "present"})
    return enrolment_update(enrolment=enrolment, status=Enrolment.Status.COMPLETED)


def end_promoter(*, promoter, ended_on, user=None):
    """An inactive promoter from ``ended_on``, through the service the admin uses."""
    from promoters.models import Promoter
    from promoters.services import promoter_update

    return promoter_update(
        promoter=promoter,
        user=user,
        status=Promoter.Status.INACTIVE,
        ended_on=ended_on,
    )


def abroad_session(*, people=(), created_by=None, completed=True, **fields):
    """A Master's at Mahidol University (Thailand): a long programme abroad, no Lao
    district, its participants graduated (completed) unless ``completed`` is off."""
    from trainings.services import enrolment_update

    values = {
        "course": CourseFactory(
            kind=Course.Kind.LONG_PROGRAMME,
            title_en="Master's degree in social health protection",
            min_attendance_percent=0,
        ),
        "starts_on": datetime.date(2021, 9, 1),
        "ends_on": datetime.date(2023, 8, 31),
        "district": None,
        "institution": "Mahidol University",
        "country": "TH",
        "created_by": created_by,
        **fields,
    }
    session = SessionFactory(**values)
    for enrolment in enrol(session, *people):
        if completed:
            enrolment_update(enrolment=enrolment, status=Enrolment.Status.COMPLETED)
    return session
