"""Keep the reports' facts true: every write that changes who counts as trained or
certified, or how, recomputes the rows of the people it touches
(``reports.facts``), in the writer's transaction; every write to what the cached
figures read gives that part of the data a new version (``VERSIONED``). Also writes
the log and audit entries of period approvals."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.log_actions import log

from audit.services import audit_record
from certificates.models import Certificate
from people.models import Organisation, Person
from people.signals import person_erasing
from periods.signals import period_approved, period_unapproved
from places.models import District, Province, Village
from promoters.models import Campaign, DistrictOffice, Promoter, VillageMeeting
from trainings.models import Course, Enrolment, HistoricalTraining, Session
from trainings.signals import people_trained_changed

from .facts import FACTS, OUTREACH, facts_refresh, facts_version_bump
from .jobs import export_jobs_delete
from .models import CertificateFact, ExportJob, TrainedFact


def _people_with_facts(**filters) -> set[int]:
    """People with a trained or certificate fact matching the filters."""
    people = set()
    for model in (TrainedFact, CertificateFact):
        facts = model.objects.filter(**filters)
        people |= set(facts.values_list("person_id", flat=True))
    return people


@receiver(people_trained_changed)
def _people_changed(sender, people, **kwargs):
    facts_refresh(people=people)
    # Written in bulk (no signal per row): scores may have changed without a fact.
    facts_version_bump()


def _deleted(signal) -> None:
    # The deletion already took its fact with it (a cascade), so the refresh may
    # find nothing to change: the data changed all the same.
    if signal is post_delete:
        facts_version_bump()


@receiver([post_save, post_delete], sender=Enrolment)
def _enrolment_changed(sender, instance, signal, **kwargs):
    facts_refresh(people=[instance.person_id])
    _deleted(signal)


@receiver([post_save, post_delete], sender=Certificate)
def _certificate_changed(sender, instance, signal, **kwargs):
    holder = Enrolment.objects.filter(pk=instance.enrolment_id)
    facts_refresh(people=holder.values_list("person_id", flat=True))
    _deleted(signal)


def _copied_fields_saved(update_fields, copied: set[str]) -> bool:
    """Whether a save may have changed a field the facts copy (a save of named
    fields that copies none, such as a session's status, changes no fact)."""
    if update_fields is None:
        return True
    return bool(copied & {name.removesuffix("_id") for name in update_fields})


@receiver(post_save, sender=Person)
def _person_changed(sender, instance, created, update_fields=None, **kwargs):
    # A new person has no enrolment yet.
    if not created and _copied_fields_saved(update_fields, {"gender", "organisation"}):
        facts_refresh(people=[instance.pk])


def _refresh_enrolled(sessions, people: set[int]) -> None:
    """Everyone enrolled in these sessions, and these people (the facts' view)."""
    enrolled = Enrolment.objects.filter(session__in=sessions)
    facts_refresh(people={*enrolled.values_list("person_id", flat=True), *people})


@receiver(post_save, sender=Session)
def _session_changed(sender, instance, created, update_fields=None, **kwargs):
    copied = {"ends_on", "district", "course"}
    if not created and _copied_fields_saved(update_fields, copied):
        _refresh_enrolled([instance.pk], _people_with_facts(session_id=instance.pk))


@receiver(post_save, sender=Course)
def _course_changed(sender, instance, created, **kwargs):
    if not created:
        _refresh_enrolled(
            Session.objects.filter(course=instance).values("pk"),
            _people_with_facts(course_id=instance.pk),
        )


@receiver(post_save, sender=Organisation)
def _organisation_changed(sender, instance, created, **kwargs):
    if not created:
        facts_refresh(people=_people_with_facts(person__organisation=instance))


@receiver(post_save, sender=District)
def _district_changed(sender, instance, created, **kwargs):
    if not created:
        facts_refresh(people=_people_with_facts(district=instance))


# What the cached figures read besides the facts: any save or delete of these, and
# any change of their many-to-many links (partners, funders, projects, leaders,
# topics…), gives that part of the data a new version. Names are cached with the
# figures (a district's, a course's, a campaign's), so places and courses count too.
VERSIONED = {
    FACTS: [
        Session,
        Course,
        Enrolment,
        Person,
        Organisation,
        District,
        HistoricalTraining,
    ],
    OUTREACH: [
        VillageMeeting,
        Promoter,
        Village,
        DistrictOffice,
        Campaign,
        District,
        Province,
    ],
}


# A save of named fields that names none of these changes no cached figure.
WATCHED_FIELDS = {Person: {"gender", "organisation"}}


def _bumper(part: int):
    def bump(sender, update_fields=None, **kwargs):
        action = kwargs.get("action")
        if action is not None and not action.startswith("post_"):
            return
        watched = WATCHED_FIELDS.get(sender)
        if watched and not _copied_fields_saved(update_fields, watched):
            return
        facts_version_bump(part)

    return bump


_BUMPERS = {part: _bumper(part) for part in VERSIONED}
for _part, _models in VERSIONED.items():
    for _model in _models:
        post_save.connect(_BUMPERS[_part], sender=_model, weak=False)
        post_delete.connect(_BUMPERS[_part], sender=_model, weak=False)
        for _field in _model._meta.many_to_many:
            m2m_changed.connect(
                _BUMPERS[_part], sender=_field.remote_field.through, weak=False
            )


# Approvals -----------------------------------------------------------------------
# ``periods`` owns the approvals but sits below the log and the audit trail: it says
# what happened, and they are written here, in the approving transaction.


@receiver(period_approved)
def _period_approved(sender, approval, by, **kwargs):
    log(approval, "suksa.period.approve", user=by, data={"period": approval.label})
    audit_record(action="approve", user=by, obj=approval, summary=approval.label)


@receiver(period_unapproved)
def _period_unapproved(sender, approval, by, reason, **kwargs):
    log(
        approval,
        "suksa.period.unapprove",
        user=by,
        data={"period": approval.label, "reason": reason},
    )
    audit_record(action="unapprove", user=by, obj=approval, summary=approval.label)


@receiver(person_erasing, dispatch_uid="reports_people_lists_of_erased_person")
def people_lists_of_erased_person(sender, person, **kwargs) -> None:
    """Lists of people prepared in the background may name them: they go."""
    export_jobs_delete(kind=ExportJob.Kind.PEOPLE)
