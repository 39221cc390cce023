"""Which rows of each model a user sees, changes and may point at: the one place of
the per-model rules.

``access.policy`` is the door every view, form, serializer, filter, import and export
asks; it sits at the bottom of the layers and knows no model. The rules need every
app's models, so they live here, at the top, and ``ScopesConfig.ready`` registers
them with the policy (``register``, below). Nothing imports this module but its app
config and tests: callers keep asking ``access.policy`` (``policy.visible(user,
Session)``, ``policy.sessions_visible(user)``).
"""

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from wagtail.models import APIToken

from access import policy
from access.policy import (
    follows_every_job,
    gets_withdrawn_certificate_files,
    has_role,
    is_administrator,
    is_staff_member,
    may,
    reads_everything,
    revokes_certificates,
    runs_trainings,
    sees_site_history,
)
from access.roles import DISTRICT_OFFICERS, PROMOTERS, TRAINERS
from audit.models import AuditEvent
from certificates.models import Certificate, CertificateJob, CertificateTemplate
from feedback.models import Feedback, FeedbackLink
from materials.models import Audience as MaterialAudience
from materials.models import Topic as MaterialTopic
from people.models import Organisation, Person
from places.models import District, Province, Village
from projects.models import Indicator, IndicatorTarget, Project
from promoters.models import (
    Campaign,
    CentreVisit,
    DistrictOffice,
    FollowUp,
    InformationCentre,
    Promoter,
    VillageMeeting,
)
from promoters.models import Topic as MeetingTopic
from reports.models import ExportJob
from trainings.models import (
    Attendance,
    Course,
    Enrolment,
    HistoricalTraining,
    Session,
    SessionDay,
    TraineeFollowUp,
    TrainerQualification,
)

# Checks that need a model ---


def changes_courses(user) -> bool:
    return may(user, "change", Course)


def certificate_file_served(user, certificate: Certificate) -> bool:
    return certificate.status == Certificate.Status.VALID or (
        gets_withdrawn_certificate_files(user)
    )


def records_own_meetings(user) -> bool:
    """The portal's exception to the model permissions: an active promoter sees and
    records their own village meetings without an admin permission."""
    return promoter_of(user) is not None


# Where the user works ---


def officer_district_ids(user) -> frozenset[int]:
    """Districts of every office where the user is a district officer."""
    if not has_role(user, DISTRICT_OFFICERS):
        return frozenset()
    return frozenset(
        DistrictOffice.objects.filter(officers=user).values_list(
            "district_id", flat=True
        )
    )


def promoter_of(user) -> Promoter | None:
    """The user's active promoter record (through ``Person.user``), if any."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Promoter.objects.select_related(
            "person", "office__district__province", "village__district"
        )
        .filter(person__user=user, status=Promoter.Status.ACTIVE)
        .first()
    )


def home_district(user) -> District | None:
    """The district a promoter serves (their office's), or a district officer's
    first office's (the portal, the officer's home page and the reports start there)."""
    promoter = promoter_of(user)
    if promoter is not None:
        return promoter.office.district
    districts = officer_district_ids(user)
    if not districts:
        return None
    return (
        District.objects.select_related("province")
        .filter(pk__in=districts)
        .order_by("pk")
        .first()
    )


def districts_of(user) -> QuerySet[District]:
    """The districts whose figures the user reads: all, their offices', or none."""
    districts = District.objects.select_related("province").order_by("name_en")
    if reads_everything(user) or has_role(user, TRAINERS):
        return districts
    if has_role(user, DISTRICT_OFFICERS):
        return districts.filter(pk__in=officer_district_ids(user))
    return districts.none()


# Querysets: trainings ---


def sessions_visible(user) -> QuerySet[Session]:
    """Administrators and managers see every session; a trainer those they lead
    or created; anyone else none. A session abroad (no Lao district: a Master's
    at a foreign university) follows the same rule, and no district officer sees
    it, since sessions are never scoped by district here."""
    sessions = Session.objects.select_related("course", "district__province", "village")
    if reads_everything(user):
        return sessions
    if has_role(user, TRAINERS):
        return sessions.filter(
            pk__in=Session.objects.filter(
                Q(created_by=user) | Q(led_by__user=user)
            ).values("pk")
        )
    return sessions.none()


def sessions_changeable(user) -> QuerySet[Session]:
    if is_administrator(user):
        return sessions_visible(user)
    if has_role(user, TRAINERS):
        return sessions_visible(user)
    return Session.objects.none()


def session_days_visible(user) -> QuerySet[SessionDay]:
    return SessionDay.objects.filter(session__in=sessions_visible(user))


def session_days_changeable(user) -> QuerySet[SessionDay]:
    return SessionDay.objects.filter(session__in=sessions_changeable(user))


def enrolments_visible(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(session__in=sessions_visible(user)).select_related(
        "person", "session__course"
    )


def enrolments_changeable(user) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(
        session__in=sessions_changeable(user)
    ).select_related("person", "session__course")


def attendance_visible(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(day__session__in=sessions_visible(user))


def attendance_changeable(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(day__session__in=sessions_changeable(user))


def _trainee_follow_ups(user, *, changing: bool) -> QuerySet[TraineeFollowUp]:
    """Who sees an enrolment sees its follow-ups; a district officer those of the
    sessions and trainees of their districts; a trainee their own (the portal)."""
    follow_ups = TraineeFollowUp.objects.select_related(
        "enrolment__person", "enrolment__session__course"
    )
    if user is None or not user.is_authenticated:
        return follow_ups.none()
    if is_administrator(user) or (reads_everything(user) and not changing):
        return follow_ups
    match = Q(enrolment__person__user=user)
    if has_role(user, TRAINERS):
        sessions = sessions_changeable(user) if changing else sessions_visible(user)
        match |= Q(enrolment__session__in=sessions.values("pk"))
    districts = officer_district_ids(user)
    if districts:
        match |= Q(enrolment__session__district_id__in=districts) | Q(
            enrolment__person__district_id__in=districts
        )
    return follow_ups.filter(match)


def trainee_follow_ups_visible(user) -> QuerySet[TraineeFollowUp]:
    return _trainee_follow_ups(user, changing=False)


def trainee_follow_ups_changeable(user) -> QuerySet[TraineeFollowUp]:
    """Recorded by trainers and district officers within what they see, and by the
    trainee; managers read them."""
    return _trainee_follow_ups(user, changing=True)


def courses_visible(user) -> QuerySet[Course]:
    if user is None or not user.is_authenticated:
        return Course.objects.none()
    return Course.objects.all()


def courses_changeable(user) -> QuerySet[Course]:
    return Course.objects.all() if changes_courses(user) else Course.objects.none()


def trainer_qualifications_visible(user) -> QuerySet[TrainerQualification]:
    """The trainer roster: administrators and managers see it all; a trainer the
    rows of the people they see (those who may lead their sessions); others none."""
    rows = TrainerQualification.objects.select_related("person", "course", "session")
    if reads_everything(user):
        return rows
    if has_role(user, TRAINERS):
        return rows.filter(person__in=people_visible(user).values("pk"))
    return rows.none()


def trainer_qualifications_changeable(user) -> QuerySet[TrainerQualification]:
    """Only administrators add, end or correct roster rows."""
    if is_administrator(user):
        return trainer_qualifications_visible(user)
    return TrainerQualification.objects.none()


def feedback_visible(user) -> QuerySet[Feedback]:
    """Participants' feedback: whoever sees the session sees its feedback."""
    return Feedback.objects.filter(session__in=sessions_visible(user))


def feedback_changeable(user) -> QuerySet[Feedback]:
    """Paper forms are typed in by whoever may change the session."""
    return Feedback.objects.filter(session__in=sessions_changeable(user))


def feedback_links_visible(user) -> QuerySet[FeedbackLink]:
    return FeedbackLink.objects.filter(session__in=sessions_visible(user))


# Querysets: people ---


def historical_trainings_visible(user) -> QuerySet[HistoricalTraining]:
    """Totals-only records of past trainings: administrators, managers and trainers
    read them all, district officers those of their districts."""
    trainings = HistoricalTraining.objects.select_related(
        "course", "district__province"
    )
    if reads_everything(user) or runs_trainings(user):
        return trainings
    return trainings.filter(district_id__in=officer_district_ids(user))


def historical_trainings_changeable(user) -> QuerySet[HistoricalTraining]:
    """Administrators change every record; a trainer the records they entered."""
    if not may(user, "change", HistoricalTraining):
        return HistoricalTraining.objects.none()
    if is_administrator(user):
        return historical_trainings_visible(user)
    return historical_trainings_visible(user).filter(recorded_by=user)


def people_visible(user) -> QuerySet[Person]:
    """Administrators and managers see everyone; a trainer the people enrolled in
    their sessions and those they registered; a district officer those they
    registered, those of their offices' districts and those districts' promoters;
    anyone else nobody."""
    people = Person.objects.select_related("organisation", "district", "village")
    if reads_everything(user):
        return people
    match = Q(pk__in=[])
    if has_role(user, TRAINERS):
        match |= Q(
            pk__in=Enrolment.objects.filter(session__in=sessions_visible(user)).values(
                "person_id"
            )
        ) | Q(created_by=user)
    if has_role(user, DISTRICT_OFFICERS):
        districts = officer_district_ids(user)
        match |= (
            Q(created_by=user)
            | Q(district_id__in=districts)
            | Q(
                pk__in=Promoter.objects.filter(
                    office__district_id__in=districts
                ).values("person_id")
            )
        )
    if match == Q(pk__in=[]):
        return people.none()
    return people.filter(match)


def people_changeable(user) -> QuerySet[Person]:
    """Administrators change anyone; trainers and district officers the people
    they see; managers nobody."""
    if is_administrator(user):
        return people_visible(user)
    if has_role(user, TRAINERS, DISTRICT_OFFICERS) and may(user, "change", Person):
        return people_visible(user)
    return Person.objects.none()


def organisations_visible(user) -> QuerySet[Organisation]:
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.all()


def organisations_changeable(user) -> QuerySet[Organisation]:
    if may(user, "change", Organisation):
        return Organisation.objects.all()
    return Organisation.objects.none()


# Querysets: certificates ---


def certificates_of_visible_sessions(user) -> QuerySet[Certificate]:
    """Certificates of the sessions the user sees (listings)."""
    return Certificate.objects.filter(
        enrolment__session__in=sessions_visible(user)
    ).select_related("enrolment__person", "enrolment__session__course")


def certificates_visible(user) -> QuerySet[Certificate]:
    """Certificates of the sessions the user sees, and the user's own as a holder."""
    if user is None or not user.is_authenticated:
        return Certificate.objects.none()
    return Certificate.objects.filter(
        Q(enrolment__session__in=sessions_visible(user))
        | Q(enrolment__person__user=user)
    ).select_related("enrolment__person", "enrolment__session__course")


def certificates_changeable(user) -> QuerySet[Certificate]:
    """Revoking and replacing: administrators and managers, within what they see."""
    if not revokes_certificates(user):
        return Certificate.objects.none()
    return Certificate.objects.filter(
        enrolment__session__in=sessions_visible(user)
    ).select_related("enrolment__person", "enrolment__session__course")


def certificate_jobs_visible(user) -> QuerySet[CertificateJob]:
    if user is None or not user.is_authenticated:
        return CertificateJob.objects.none()
    if follows_every_job(user):
        return CertificateJob.objects.all()
    return CertificateJob.objects.filter(requested_by=user)


# Querysets: promoters ---


def export_jobs_visible(user) -> QuerySet[ExportJob]:
    """A Reports download prepared in the background: its owner's only (the file
    is scoped to them); the download still asks the direct download's question."""
    if user is None or not user.is_authenticated:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(requested_by=user)


def offices_visible(user) -> QuerySet[DistrictOffice]:
    offices = DistrictOffice.objects.select_related("district__province")
    if reads_everything(user):
        return offices
    return offices.filter(district_id__in=officer_district_ids(user))


def offices_changeable(user) -> QuerySet[DistrictOffice]:
    if is_administrator(user):
        return offices_visible(user)
    return DistrictOffice.objects.none()


def promoters_visible(user) -> QuerySet[Promoter]:
    promoters = Promoter.objects.select_related(
        "person", "office__district__province", "village__district"
    )
    if reads_everything(user):
        return promoters
    districts = officer_district_ids(user)
    if districts:
        return promoters.filter(office__district_id__in=districts)
    if has_role(user, PROMOTERS) or promoter_of(user) is not None:
        return promoters.filter(person__user=user)
    return promoters.none()


def promoters_changeable(user) -> QuerySet[Promoter]:
    """Promoters whose record the user may change (and whose meetings they record)."""
    if is_administrator(user):
        return promoters_visible(user)
    return promoters_visible(user).filter(
        office__district_id__in=officer_district_ids(user)
    )


def meetings_visible(user) -> QuerySet[VillageMeeting]:
    meetings = VillageMeeting.objects.select_related("village__district__province")
    if reads_everything(user):
        return meetings
    districts = officer_district_ids(user)
    if districts:
        return meetings.filter(village__district_id__in=districts)
    if user is not None and user.is_authenticated:
        return meetings.filter(
            pk__in=VillageMeeting.objects.filter(
                Q(led_by__person__user=user) | Q(recorded_by=user)
            ).values("pk")
        )
    return meetings.none()


def meetings_changeable(user) -> QuerySet[VillageMeeting]:
    if is_administrator(user):
        return meetings_visible(user)
    districts = officer_district_ids(user)
    if districts:
        return meetings_visible(user).filter(village__district_id__in=districts)
    # A promoter records meetings; correcting one is their district officer's.
    return VillageMeeting.objects.none()


def campaigns_visible(user) -> QuerySet[Campaign]:
    """Administrators and managers see every campaign; a district officer those
    that target, or are led from, one of their districts."""
    campaigns = Campaign.objects.select_related("lead_office")
    if reads_everything(user):
        return campaigns
    districts = officer_district_ids(user)
    if not districts:
        return campaigns.none()
    return campaigns.filter(
        pk__in=Campaign.objects.filter(
            Q(districts__in=districts)
            | Q(villages__district_id__in=districts)
            | Q(lead_office__district_id__in=districts)
        ).values("pk")
    )


def campaigns_changeable(user) -> QuerySet[Campaign]:
    """Campaigns are planned nationally: administrators and managers change them."""
    if reads_everything(user):
        return campaigns_visible(user)
    return Campaign.objects.none()


def meeting_leaders_choosable(user) -> QuerySet[Promoter]:
    """Who a meeting may name as its leaders: the promoters whose records the user
    changes, or a promoter their own record."""
    if is_administrator(user) or officer_district_ids(user):
        return promoters_changeable(user)
    if user is None or not user.is_authenticated:
        return Promoter.objects.none()
    return promoters_visible(user).filter(person__user=user)


def centres_visible(user) -> QuerySet[InformationCentre]:
    centres = InformationCentre.objects.select_related("district__province")
    if reads_everything(user):
        return centres
    return centres.filter(district_id__in=officer_district_ids(user))


def centres_changeable(user) -> QuerySet[InformationCentre]:
    if is_administrator(user):
        return centres_visible(user)
    return InformationCentre.objects.none()


def centre_visits_visible(user) -> QuerySet[CentreVisit]:
    return CentreVisit.objects.select_related("centre__district").filter(
        centre__in=centres_visible(user)
    )


def centre_visits_changeable(user) -> QuerySet[CentreVisit]:
    if is_administrator(user):
        return centre_visits_visible(user)
    return centre_visits_visible(user).filter(
        centre__district_id__in=officer_district_ids(user)
    )


def follow_ups_visible(user) -> QuerySet[FollowUp]:
    follow_ups = FollowUp.objects.select_related("promoter__person", "office")
    if is_administrator(user):
        return follow_ups
    return follow_ups.filter(office__district_id__in=officer_district_ids(user))


def villages_choosable(user) -> QuerySet[Village]:
    """Villages a record may be placed in: the officer's districts, the promoter's
    own district, or anywhere for everyone else who may write."""
    villages = Village.objects.select_related("district")
    if is_administrator(user) or runs_trainings(user):
        return villages
    districts = set(officer_district_ids(user))
    promoter = promoter_of(user)
    if promoter is not None:
        districts.add(promoter.office.district_id)
    return villages.filter(district_id__in=districts)


# Querysets: projects ---


def projects_visible(user) -> QuerySet[Project]:
    """Every staff member reads the projects (to link activities and filter
    reports); promoters and visitors none."""
    if not is_staff_member(user):
        return Project.objects.none()
    return Project.objects.all()


def projects_changeable(user) -> QuerySet[Project]:
    if is_administrator(user):
        return Project.objects.all()
    return Project.objects.none()


def indicators_visible(user) -> QuerySet[Indicator]:
    """Indicators and targets are read with their project, changed by those who
    change projects."""
    return Indicator.objects.filter(project__in=projects_visible(user))


def indicators_changeable(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(project__in=projects_changeable(user))


def indicator_targets_visible(user) -> QuerySet[IndicatorTarget]:
    return IndicatorTarget.objects.filter(indicator__in=indicators_visible(user))


def indicator_targets_changeable(user) -> QuerySet[IndicatorTarget]:
    return IndicatorTarget.objects.filter(indicator__in=indicators_changeable(user))


# Reference data every signed-in user reads.
REFERENCE_MODELS = (
    Province,
    District,
    Village,
    Course,
    Organisation,
    MeetingTopic,
    CertificateTemplate,
    MaterialTopic,
    MaterialAudience,
)


def audit_events_visible(user) -> QuerySet[AuditEvent]:
    if sees_site_history(user):
        return AuditEvent.objects.all()
    return AuditEvent.objects.none()


def api_tokens_visible(user) -> QuerySet[APIToken]:
    """A user's own API tokens; administrators everyone's."""
    if is_administrator(user):
        return APIToken.objects.all()
    if user is None or not user.is_authenticated:
        return APIToken.objects.none()
    return APIToken.objects.filter(user=user)


def field_history_visible(user) -> QuerySet[LogEntry]:
    if sees_site_history(user):
        return LogEntry.objects.all()
    return LogEntry.objects.none()


VISIBLE = {
    Session: sessions_visible,
    SessionDay: session_days_visible,
    Enrolment: enrolments_visible,
    Attendance: attendance_visible,
    TraineeFollowUp: trainee_follow_ups_visible,
    Feedback: feedback_visible,
    FeedbackLink: feedback_links_visible,
    Course: courses_visible,
    TrainerQualification: trainer_qualifications_visible,
    HistoricalTraining: historical_trainings_visible,
    Person: people_visible,
    Organisation: organisations_visible,
    Certificate: certificates_visible,
    CertificateJob: certificate_jobs_visible,
    ExportJob: export_jobs_visible,
    DistrictOffice: offices_visible,
    Promoter: promoters_visible,
    VillageMeeting: meetings_visible,
    Campaign: campaigns_visible,
    InformationCentre: centres_visible,
    CentreVisit: centre_visits_visible,
    FollowUp: follow_ups_visible,
    Project: projects_visible,
    Indicator: indicators_visible,
    IndicatorTarget: indicator_targets_visible,
    AuditEvent: audit_events_visible,
    LogEntry: field_history_visible,
    APIToken: api_tokens_visible,
}

CHANGEABLE = {
    Session: sessions_changeable,
    SessionDay: session_days_changeable,
    Enrolment: enrolments_changeable,
    Attendance: attendance_changeable,
    TraineeFollowUp: trainee_follow_ups_changeable,
    Feedback: feedback_changeable,
    FeedbackLink: lambda user: FeedbackLink.objects.none(),
    Course: courses_changeable,
    TrainerQualification: trainer_qualifications_changeable,
    HistoricalTraining: historical_trainings_changeable,
    Person: people_changeable,
    Organisation: organisations_changeable,
    Certificate: certificates_changeable,
    DistrictOffice: offices_changeable,
    Promoter: promoters_changeable,
    VillageMeeting: meetings_changeable,
    Campaign: campaigns_changeable,
    InformationCentre: centres_changeable,
    CentreVisit: centre_visits_changeable,
    FollowUp: follow_ups_visible,
    Project: projects_changeable,
    Indicator: indicators_changeable,
    IndicatorTarget: indicator_targets_changeable,
    AuditEvent: lambda user: AuditEvent.objects.none(),
    LogEntry: lambda user: LogEntry.objects.none(),
    APIToken: api_tokens_visible,
}

# What a field may point at when it differs from "what the user sees" of the
# related model: (model, field name) → queryset function.
CHOOSABLE = {
    (Session, "led_by"): people_visible,
    (TrainerQualification, "person"): people_visible,
    (TrainerQualification, "session"): sessions_visible,
    (Enrolment, "session"): sessions_changeable,
    (Enrolment, "person"): people_visible,
    (Attendance, "enrolment"): enrolments_changeable,
    (Attendance, "day"): session_days_changeable,
    (CertificateJob, "session"): sessions_changeable,
    (Certificate, "enrolment"): enrolments_changeable,
    (Promoter, "person"): people_visible,
    (Promoter, "office"): offices_visible,
    (Promoter, "village"): villages_choosable,
    (VillageMeeting, "led_by"): meeting_leaders_choosable,
    (VillageMeeting, "village"): villages_choosable,
    (Campaign, "lead_office"): offices_visible,
    (CentreVisit, "centre"): centres_visible,
    (FollowUp, "promoter"): promoters_changeable,
    (FollowUp, "office"): offices_visible,
    (Indicator, "project"): projects_changeable,
}


# Governed, but a role sees every row or none: the model permission opens an object
# (``policy.scoped_by_row`` is False).
ALL_OR_NONE = (AuditEvent, LogEntry)

# Actions the model permissions would refuse but the policy allows.
GRANTS = {
    (VillageMeeting, "view"): records_own_meetings,
    (VillageMeeting, "add"): records_own_meetings,
}

# Rules that are not one model's queryset, asked by name (``policy.promoter_of``).
NAMED = {
    rule.__name__: rule
    for rule in (
        officer_district_ids,
        promoter_of,
        home_district,
        districts_of,
        changes_courses,
        certificate_file_served,
        certificates_of_visible_sessions,
        meeting_leaders_choosable,
        villages_choosable,
    )
}


def register() -> None:
    """Hand the rules to ``access.policy`` (``ScopesConfig.ready``)."""
    policy.register(
        visible=VISIBLE,
        changeable=CHANGEABLE,
        choosable=CHOOSABLE,
        reference=REFERENCE_MODELS,
        all_or_none=ALL_OR_NONE,
        grants=GRANTS,
        named=NAMED,
    )
