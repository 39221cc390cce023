"""Keep the reports' facts true: the services that change who counts as trained or
certified, or how, announce it (``common.events.training_facts_changed``) and the
rows of the people it touches are recomputed (``reports.facts.facts_changed``);
every write to what the cached figures read gives that part of the data a new
version (``VERSIONED``). Also writes the log and audit entries of period
approvals."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.log_actions import log

from audit.services import audit_record
from certificates.models import Certificate
from common.events import training_facts_changed
from people.models import Organisation, Person
from people.signals import person_erasing
from periods.signals import period_approved, period_unapproved
from places.models import District, Province, Village
from promoters.models import Campaign, DistrictOffice, Promoter, VillageMeeting
from trainings.models import Course, Enrolment, HistoricalTraining, Session

from .facts import FACTS, OUTREACH, facts_changed, facts_version_bump
from .jobs import export_jobs_delete
from .models import ExportJob


@receiver(training_facts_changed)
def _training_facts_changed(
    sender, people, sessions, course, organisation, district, **kwargs
):
    facts_changed(
        people=people,
        sessions=sessions,
        course=course,
        organisation=organisation,
        district=district,
    )


@receiver(post_delete, sender=Enrolment)
@receiver(post_delete, sender=Certificate)
def _deleted(sender, instance, **kwargs):
    # The one write no service of ours makes: a deletion that cascades from a
    # person's, a session's or an enrolment's (Django deletes the rows itself).
    # The facts went with their rows (a cascade too), but whether the person is a
    # ToT graduate, copied onto their other rows, may have changed.
    person = getattr(instance, "person_id", None)
    if person is None:
        holder = Enrolment.objects.filter(pk=instance.enrolment_id)
        person = holder.values_list("person_id", flat=True).first()
    if person is not None:
        facts_changed(people=[person])


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


def _copied_fields_saved(update_fields, copied: set[str]) -> bool:
    """Whether a save may have changed a watched field (a save of named fields
    that names none, such as a person's position, changes no figure)."""
    if update_fields is None:
        return True
    return bool(copied & {name.removesuffix("_id") for name in update_fields})


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
