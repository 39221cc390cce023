"""A person's certificates in their data copy and their erasure
(``people.signals``): people asks, certificates answers, so people imports nothing
of certificates."""

from django.contrib.contenttypes.models import ContentType
from django.dispatch import receiver
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry

from people.signals import ErasedElsewhere, person_data_requested, person_erasing

from .models import Certificate
from .selectors import certificates_of_person
from .services import certificate_jobs_forget, certificates_holder_erase


@receiver(person_data_requested, dispatch_uid="certificates_in_data_copy")
def certificates_in_data_copy(sender, person, **kwargs) -> dict:
    return {
        "certificates": [
            {
                "number": certificate.number,
                "course": certificate.enrolment.session.course.title_en,
                "status": certificate.get_status_display(),
                "issued_on": (
                    certificate.issued_on.isoformat() if certificate.issued_on else None
                ),
                "holder_name": certificate.holder_name,
            }
            for certificate in certificates_of_person(person=person)
        ]
    }


@receiver(person_erasing, dispatch_uid="certificates_of_erased_person")
def certificates_of_erased_person(sender, person, by, **kwargs) -> ErasedElsewhere:
    """Revoke the certificates and remove the name from them, from their history's
    labels (the number names them instead) and from their sessions' print files."""
    revoked = certificates_holder_erase(
        person=person, by=by, reason=_("Holder's data erased")
    )
    certificates = list(certificates_of_person(person=person))
    content_type = ContentType.objects.get_for_model(Certificate)
    for certificate in certificates:
        ModelLogEntry.objects.filter(
            content_type=content_type, object_id=str(certificate.pk)
        ).update(label=certificate.number)
    certificate_jobs_forget(person=person)
    return ErasedElsewhere(
        records=tuple(certificates), summary=f"{revoked} certificate(s) revoked"
    )
