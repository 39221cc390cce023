"""A person's rights over their data: a copy on request, erasure, and retention.

Erasure anonymises rather than deletes: the record keeps its gender, organisation,
district, enrolments and attendance, so every count (trained people by gender, place,
organisation kind…) is the same before and after, while nothing left identifies the
person. Their certificates are revoked and lose the name they carried; the print
files of their sessions are rebuilt without them; the field history keeps who changed
their records when, without the values, and loses their name everywhere else.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from audit.history import history_erase
from audit.services import audit_actor, audit_record

from .models import Person
from .signals import person_data_requested, person_erasing

logger = logging.getLogger(__name__)

ERASED_NAME = "—"


def person_data_export(*, person: Person) -> dict:
    """Everything Suksa holds about a person, as plain data (for JSON); the apps
    above this one add their sections (``person_data_requested``)."""
    enrolments = person.enrolments.select_related("session__course").order_by(
        "session__starts_on", "pk"
    )
    data = {
        "person": {
            "id": person.pk,
            "full_name": person.full_name,
            "latin_name": person.latin_name,
            "gender": person.get_gender_display(),
            "birth_year": person.birth_year,
            "phone": person.phone,
            "organisation": str(person.organisation or ""),
            "position": person.position,
            "district": str(person.district or ""),
            "village": str(person.village or ""),
            "user_account": person.user.get_username() if person.user else "",
            "consent_given_on": _iso(person.consent_given_on),
            "consent_method": person.get_consent_method_display(),
            "consent_notice_version": person.consent_notice_version,
            "registered_on": _iso(person.created_at),
            "data_erased_on": _iso(person.erased_at),
        },
        "enrolments": [_enrolment_data(enrolment) for enrolment in enrolments],
    }
    for _receiver, sections in person_data_requested.send(sender=Person, person=person):
        data.update(sections)
    data.update(_other_apps_data(person))
    return data


def _enrolment_data(enrolment) -> dict:
    session = enrolment.session
    attendance = enrolment.attendances.select_related("day").order_by("day__date")
    return {
        "session": session.code,
        "course": session.course.title_en,
        "starts_on": _iso(session.starts_on),
        "ends_on": _iso(session.ends_on),
        "role": enrolment.get_role_display(),
        "status": enrolment.get_status_display(),
        "pre_score": _number(enrolment.pre_score),
        "post_score": _number(enrolment.post_score),
        "days_attended": sum(entry.status in entry.ATTENDED for entry in attendance),
        "attendance": [
            {"date": _iso(entry.day.date), "status": entry.get_status_display()}
            for entry in attendance
        ],
    }


def _other_apps_data(person: Person) -> dict:
    """Promoter records and the village meetings the person led."""
    records = person.promoter_records.select_related("office", "village").order_by(
        "started_on"
    )
    return {
        "promoter_records": [
            {
                "role": record.get_role_display(),
                "office": str(record.office),
                "village": str(record.village or ""),
                "started_on": _iso(record.started_on),
                "ended_on": _iso(record.ended_on),
                "status": record.get_status_display(),
                "meetings_led": [
                    {
                        "date": _iso(meeting.date),
                        "village": str(meeting.village),
                        "turnout": meeting.turnout.total,
                    }
                    for meeting in record.meetings.select_related("village").order_by(
                        "date"
                    )
                ],
            }
            for record in records
        ]
    }


def person_data_summary(*, data: dict) -> list[tuple[str, list[str]]]:
    """The export in words, section by section, for the person to read."""
    person = data["person"]
    details = [
        f"{_('Name')}: {person['full_name']}",
        f"{_('Name in Latin letters')}: {person['latin_name']}",
        f"{_('Gender')}: {person['gender']}",
        f"{_('Year of birth')}: {person['birth_year'] or ''}",
        f"{_('Phone')}: {person['phone']}",
        f"{_('Organisation')}: {person['organisation']}",
        f"{_('Position')}: {person['position']}",
        f"{_('District')}: {person['district']}",
        f"{_('Village')}: {person['village']}",
        f"{_('Consent given on')}: {person['consent_given_on'] or _('not recorded')}",
        f"{_('How consent was given')}: {person['consent_method']}",
        f"{_('Privacy notice version')}: {person['consent_notice_version']}",
    ]
    trainings = [
        _(
            "%(session)s %(course)s (%(starts)s – %(ends)s): %(role)s, %(status)s, "
            "%(days)s days attended"
        )
        % {
            "session": entry["session"],
            "course": entry["course"],
            "starts": entry["starts_on"],
            "ends": entry["ends_on"],
            "role": entry["role"],
            "status": entry["status"],
            "days": entry["days_attended"],
        }
        for entry in data["enrolments"]
    ]
    certificates = [
        f"{entry['number']} {entry['course']} ({entry['status']})"
        for entry in data.get("certificates", [])
    ]
    promoter = [
        _("%(role)s, %(office)s, from %(start)s: %(meetings)s meetings led")
        % {
            "role": record["role"],
            "office": record["office"],
            "start": record["started_on"],
            "meetings": len(record["meetings_led"]),
        }
        for record in data["promoter_records"]
    ]
    return [
        (_("Person"), details),
        (_("Trainings"), trainings),
        (_("Certificates"), certificates),
        (_("Promoter"), promoter),
    ]


@transaction.atomic
def person_erase(*, person: Person, by=None, reason: str = "") -> Person:
    """Anonymise a person in one transaction; counts and enrolments stay.

    Running it again on an erased person changes nothing. The apps above this one
    erase what they hold of the person (``person_erasing``): certificates are
    revoked and their print files rebuilt, prepared lists of people deleted.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        return person
    identifiers = [person.full_name, person.latin_name, person.phone]
    person.full_name = ERASED_NAME
    person.latin_name = ""
    person.phone = ""
    person.birth_year = None
    person.position = ""
    person.village = None
    person.user = None
    person.name_key = ""
    person.phone_key = ""
    person.erased_at = timezone.now()
    person.save()
    elsewhere = [
        erased
        for _receiver, erased in person_erasing.send(
            sender=Person, person=person, by=by
        )
        if erased is not None
    ]
    _scrub_log_labels(person, identifiers)
    history_erase(
        own_records=[
            *_records_of(person),
            *(record for erased in elsewhere for record in erased.records),
        ],
        texts=identifiers,
        replacement=ERASED_NAME,
    )
    log(person, "suksa.person.erase", user=by, data={"reason": reason[:300]})
    audit_record(
        action="personal_data.erase",
        user=by,
        obj=person,
        summary="; ".join(erased.summary for erased in elsewhere if erased.summary),
    )
    # The log names the record by number only: never a name or a phone number.
    logger.info("Person %s: data erased", person.pk)
    return person


def _records_of(person: Person) -> list:
    """The person's records whose history is theirs: enrolments, attendance and
    promoter records, beside the person (certificates: their app's receiver)."""
    enrolments = list(person.enrolments.all())
    attendance = [a for e in enrolments for a in e.attendances.all()]
    return [person, *enrolments, *attendance, *person.promoter_records.all()]


def _scrub_log_labels(person: Person, identifiers) -> None:
    """Wagtail's history keeps each object's name as a label: remove the person's,
    and their name from the labels of other records (an enrolment, a promoter)."""
    for text in filter(None, identifiers):
        for entry in ModelLogEntry.objects.filter(label__contains=text):
            entry.label = entry.label.replace(text, ERASED_NAME)
            entry.save(update_fields=["label"])

    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Person),
        object_id=str(person.pk),
    ).update(label=ERASED_NAME)


def people_inactive(*, years: int, today: datetime.date | None = None) -> QuerySet:
    """People, not yet erased, with no training activity in the last ``years`` years.

    Activity is an enrolment in a session that ended after the cut-off (attendance
    days lie inside sessions), a record created or changed after it, a sign-in to
    their own account after it, or promoter work: an active promoter record, or one
    ended or a village meeting led after the cut-off.
    """
    today = today or timezone.localdate()
    cutoff = _years_before(today, years)
    cutoff_time = timezone.make_aware(
        datetime.datetime.combine(cutoff, datetime.time.min)
    )
    active = (
        Q(enrolments__session__ends_on__gte=cutoff)
        | Q(updated_at__gte=cutoff_time)
        | Q(user__last_login__gte=cutoff_time)
        # In the promoter network now, or left it or led a meeting since the cut-off.
        | Q(promoter_records__status="active")
        | Q(promoter_records__ended_on__gte=cutoff)
        | Q(promoter_records__meetings__date__gte=cutoff)
    )
    active_ids = Person.objects.filter(active).values("pk")
    return Person.objects.filter(erased_at__isnull=True).exclude(pk__in=active_ids)


def people_anonymise_inactive(
    *, years: int | None = None, today: datetime.date | None = None
) -> int:
    """Erase everyone inactive for the retention period; safe to run again."""
    years = settings.SUKSA_RETENTION_YEARS if years is None else years
    erased = 0
    inactive = people_inactive(years=years, today=today)
    with audit_actor("retention"):
        for person_id in inactive.values_list("pk", flat=True):
            person_erase(
                person=Person(pk=person_id),
                reason=_("No activity for %(years)s years") % {"years": years},
            )
            erased += 1
    return erased


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _number(value) -> float | None:
    return float(value) if value is not None else None
