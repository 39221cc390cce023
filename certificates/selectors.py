from django.db.models import Q, QuerySet
from django.utils import timezone

from access import policy

from .codes import TYPED_MAX_LENGTH, code_read, number_read, old_code_read
from .models import Certificate, CertificateJob


def certificate_typed(typed: str) -> Certificate | None:
    """The certificate whose verification code or printed number a person typed.

    A new code is read whatever the case, look-alikes and separators; a number
    whatever the case; an old code exactly, or else whatever the case."""
    if len(typed) > TYPED_MAX_LENGTH:
        return None
    code, old_code, number = code_read(typed), old_code_read(typed), number_read(typed)
    readings = Q(pk__in=[])
    if code:
        readings |= Q(code=code)
    if old_code:
        readings |= Q(code__iexact=old_code)
    if number:
        readings |= Q(number__iexact=number)
    found = Certificate.objects.filter(readings).select_related(
        "enrolment__session__course", "enrolment__person", "replaced_by"
    )

    def closeness(certificate: Certificate) -> int:
        # The exact code first: an old code differs from another only by case.
        if certificate.code in (code, old_code):
            return 0
        return 1 if certificate.number.upper() == number else 2

    return min(found[:3], key=closeness, default=None)


def certificate_public_facts(*, typed: str) -> dict | None:
    """What anyone may learn from a code or a printed number: holder, course, dates,
    issuer and status."""
    certificate = certificate_typed(typed)
    if certificate is None:
        return None
    session = certificate.enrolment.session
    from .rendering import template_for

    template = template_for(session.course)
    facts = {
        "status": certificate.status,
        "number": certificate.number,
        "holder": certificate.holder_name,
        "holder_latin": certificate.holder_latin_name,
        "course_lo": session.course.title_lo,
        "course_en": session.course.title_en,
        "starts_on": session.starts_on,
        "ends_on": session.ends_on,
        "issued_on": certificate.issued_on,
        "issuer_lo": template.issuer_lo,
        "issuer_en": template.issuer_en,
        "revoked_on": (
            timezone.localdate(certificate.revoked_at)
            if certificate.revoked_at
            else None
        ),
        "replaced_by_code": None,
        # The holder asked for their data to be erased: say so, and show no name.
        "holder_erased": certificate.enrolment.person.erased_at is not None,
    }
    if facts["holder_erased"]:
        facts["holder"] = facts["holder_latin"] = ""
    if certificate.status == Certificate.Status.REPLACED:
        replacement = getattr(certificate, "replaced_by", None)
        facts["replaced_by_code"] = replacement.code if replacement else None
    return facts


def certificates_of_person(*, person) -> QuerySet[Certificate]:
    """Every certificate ever issued to a person, whatever its status."""
    return (
        Certificate.objects.filter(enrolment__person=person)
        .select_related("enrolment__session__course")
        .order_by("issued_at", "pk")
    )


# Who sees what is access.policy's; these names stay for the callers.
certificates_visible_to = policy.certificates_of_visible_sessions
certificates_readable_by = policy.certificates_visible


def certificates_of_holder(user) -> QuerySet[Certificate]:
    """A person with an account (a promoter) sees their own certificates."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(enrolment__person__user=user).select_related(
        "enrolment__session__course"
    )


def job_visible_to(user, job_id: int) -> CertificateJob | None:
    """A job's owner and those who follow every job may follow it."""
    try:
        return policy.certificate_jobs_visible(user).filter(pk=int(job_id)).first()
    except (TypeError, ValueError):
        return None
