"""Demo certificates: the June 2022 ToT graduates, dated the session's last day; one
revoked after its printed copy was lost (and issued again), one re-issued after a
misspelt name."""

from django.contrib.auth import get_user_model

from people.services import person_update
from trainings.models import Session

from .models import Certificate, CertificateTemplate, Signatory
from .services import (
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
    certificates_render,
    session_certificate_eligibility,
)


def certificates_demo_seed() -> None:
    session = Session.objects.filter(code="TOT-2022-001").first()
    if (
        session is None
        or Certificate.objects.filter(enrolment__session=session).exists()
    ):
        return
    _default_template()
    users = {u.username: u for u in get_user_model().objects.all()}
    trainer, manager = users.get("trainer"), users.get("manager")
    issued = [
        certificate_issue(enrolment=e.enrolment, by=trainer)[0]
        for e in session_certificate_eligibility(session=session)
        if e.eligible
    ]
    # The holder completed the ToT and still counts as trained: only the lost paper
    # is withdrawn, and a new certificate (new number and code) takes its place.
    lost = certificate_revoke(
        certificate=issued[-1],
        reason="The holder reported the printed certificate lost: revoked so the "
        "lost copy cannot be used, and a new certificate issued.",
        by=manager,
    )
    certificate_issue(enrolment=lost.enrolment, by=trainer)
    misspelt = issued[0]
    person_update(
        person=misspelt.enrolment.person,
        latin_name=misspelt.enrolment.person.latin_name + " (corrected)",
    )
    certificate_reissue(certificate=misspelt, by=users.get("admin"))
    certificates_render(
        certificates=list(Certificate.objects.filter(enrolment__session=session))
    )


def _default_template() -> CertificateTemplate:
    template, created = CertificateTemplate.objects.get_or_create(
        course=None, defaults={"name": "LSSO default"}
    )
    if created:
        Signatory.objects.create(
            template=template,
            sort_order=0,
            name="ທ່ານ ສຸລິຍາ ວົງສາ",
            title_lo="ຫົວໜ້າອົງການປະກັນສັງຄົມແຫ່ງຊາດ",
            title_en="Director General, LSSO",
        )
        Signatory.objects.create(
            template=template,
            sort_order=1,
            name="Ms. Jane Doe",
            title_lo="ຜູ້ປະສານງານໂຄງການ ອົງການແຮງງານສາກົນ",
            title_en="Programme Coordinator, ILO",
        )
    return template
