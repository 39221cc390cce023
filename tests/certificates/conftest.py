import datetime

import pytest

from people.models import Gender
from tests.factories import PersonFactory, SessionFactory, enrol
from trainings.services import attendance_record_day, session_complete


def complete(session, present, absent=()):
    """Enrol people, mark `present` every day and `absent` never, complete."""
    enrolments = enrol(session, *present, *absent)
    attending = {e.pk for e in enrolments[: len(present)]}
    for day in session.days.all():
        attendance_record_day(
            day=day,
            statuses={
                e.pk: "present" if e.pk in attending else "absent" for e in enrolments
            },
        )
    session_complete(session=session, today=datetime.date(2030, 1, 1))
    return enrolments


@pytest.fixture
def graduates(make_user):
    """A ToT created by `trainer`: two women completed it, one man did not."""
    session = SessionFactory(created_by=make_user("trainer"))
    people = [
        PersonFactory(
            full_name="ນາງ ບົວພັນ ສີສຸກ",
            latin_name="Bouaphanh Sisouk",
            gender=Gender.WOMAN,
            phone="020 5551 2345",
        ),
        PersonFactory(full_name="ນາງ ມະນີວອນ ພົມມະຈັນ", gender=Gender.WOMAN),
    ]
    absent = [PersonFactory(full_name="ທ້າວ ສົມພອນ", gender=Gender.MAN)]
    enrolments = complete(session, people, absent)
    return session, enrolments


def make_image(title: str, color: str, size=(240, 160)):
    """A small PNG in Wagtail's image library."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as Picture
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    Picture.new("RGBA", size, color).save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title}.png")
    )


@pytest.fixture
def official_template(db):
    """The default template with the LSSO logo, two partners, a seal and two
    signatories with their signatures."""
    from certificates.models import CertificateTemplate, PartnerLogo, Signatory

    template = CertificateTemplate.objects.create(
        name="LSSO default",
        logo=make_image("lsso-logo", "#1b4f8a"),
        seal=make_image("lsso-seal", "#c81e1e", (200, 200)),
    )
    for order, (name, color) in enumerate((("ILO", "#0055aa"), ("GIZ", "#cc0000"))):
        PartnerLogo.objects.create(
            template=template,
            sort_order=order,
            name=name,
            image=make_image(name, color),
        )
    for order, (name, title_lo, title_en) in enumerate(
        (
            ("ທ່ານ ສຸລິຍາ ວົງສາ", "ຫົວໜ້າອົງການປະກັນສັງຄົມແຫ່ງຊາດ", "Director General, LSSO"),
            ("ທ່ານ ນາງ ຄຳແພງ ສີຫາລາດ", "ຫົວໜ້າພະແນກຝຶກອົບຮົມ", "Head of Training"),
        )
    ):
        Signatory.objects.create(
            template=template,
            sort_order=order,
            name=name,
            title_lo=title_lo,
            title_en=title_en,
            signature=make_image(f"signature-{order}", f"#14{order}c8c", (300, 100)),
        )
    return template
