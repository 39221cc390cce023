"""Who may see and change what: the door every view, form and job asks.

Every door asks this module: admin views and forms (``access.admin``), API views,
serializers and filters (``access.api``), imports, exports, sheet templates and jobs.
No role tuple is written out anywhere else.

Three kinds of answers:

* named checks (``sees_phone_numbers(user)``, ``changes_courses(user)``, …);
* querysets per model: ``visible(user, Model)`` and ``changeable(user, Model)``;
* the objects a form field or API field may point at: ``choosable(user, Model, field)``.

``may(user, action, Model)`` is the model permission ("add", "change", "delete",
"view"), the same for the admin and the API.

This module sits at the bottom of the layers and imports no model. The per-model
rules (which sessions a trainer sees, …) need every app's models: they are
``scopes.rules``'s, registered here when Django starts (``register``). The named
rules below (``sessions_visible``, ``promoter_of``, …) ask the registered ones, so
each rule is written once. A model may be named by its class or its label
(``"trainings.Session"``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from common.phones import phone_masked

from .roles import (
    ADMINISTRATORS,
    ALL_ROLES,
    DISTRICT_OFFICERS,
    MANAGERS,
    PROMOTERS,
    TRAINERS,
)

# The rules' registry ---


@dataclass(frozen=True)
class Rules:
    """The per-model rules, keyed by model label (``scopes.rules`` fills them)."""

    visible: dict[str, Callable]
    changeable: dict[str, Callable]
    choosable: dict[tuple[str, str], Callable]
    reference: dict[str, type]
    all_or_none: frozenset[str]
    grants: dict[tuple[str, str], Callable]
    named: dict[str, Callable]


_registered: list[Rules] = []


def label_of(model) -> str:
    """``"trainings.Session"`` for the class or the label itself."""
    return model if isinstance(model, str) else model._meta.label


def register(
    *, visible, changeable, choosable, reference, all_or_none, grants, named
) -> None:
    """Install the per-model rules (``scopes.apps.ScopesConfig.ready``); the tables
    are keyed by model class or label."""
    _registered[:] = [
        Rules(
            visible={label_of(m): rule for m, rule in visible.items()},
            changeable={label_of(m): rule for m, rule in changeable.items()},
            choosable={(label_of(m), f): rule for (m, f), rule in choosable.items()},
            reference={label_of(m): m for m in reference},
            all_or_none=frozenset(label_of(m) for m in all_or_none),
            grants={(label_of(m), a): rule for (m, a), rule in grants.items()},
            named=dict(named),
        )
    ]


def rules() -> Rules:
    """The registered rules; asking before Django has started is an error, never
    an empty answer."""
    if not _registered:
        raise ImproperlyConfigured(
            "access.policy has no rules yet: scopes.apps.ScopesConfig.ready() "
            "registers them (is 'scopes' in INSTALLED_APPS and Django set up?)"
        )
    return _registered[0]


def _rule(label: str, kind: str) -> Callable:
    """A named entry for one model's registered rule (``sessions_visible``)."""

    def rule(user) -> QuerySet:
        registered = getattr(rules(), kind).get(label)
        if registered is None:
            raise _no_rule(label)
        return registered(user)

    rule.__doc__ = f"The {label} rows this user's {kind} rule gives (scopes.rules)."
    return rule


def _named(name: str) -> Callable:
    """A named entry for a registered rule that is not one model's queryset."""

    def rule(*args, **kwargs):
        registered = rules().named.get(name)
        if registered is None:
            raise LookupError(f"access.policy has no rule named {name}")
        return registered(*args, **kwargs)

    rule.__name__ = name
    rule.__doc__ = f"``scopes.rules.{name}``."
    return rule


# Roles ---


def roles_of(user) -> frozenset[str]:
    """The user's roles, read once per user object; a superuser holds every role."""
    if user is None or not user.is_authenticated:
        return frozenset()
    roles = getattr(user, "_access_roles", None)
    if roles is None:
        if user.is_superuser:
            roles = frozenset(ALL_ROLES)
        else:
            roles = frozenset(user.groups.values_list("name", flat=True))
        user._access_roles = roles
    return roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def forget_roles(user) -> None:
    """After the user's groups change in the same request (tests, role changes)."""
    user.__dict__.pop("_access_roles", None)


# Named checks ---


def is_administrator(user) -> bool:
    return has_role(user, ADMINISTRATORS)


def reads_everything(user) -> bool:
    """Administrators and managers read every session, person and promoter."""
    return has_role(user, ADMINISTRATORS, MANAGERS)


def runs_trainings(user) -> bool:
    """Administrators and trainers schedule sessions, enrol and take attendance."""
    return has_role(user, ADMINISTRATORS, TRAINERS)


def sees_phone_numbers(user) -> bool:
    """Those who call participants see full numbers; everyone else a masked one."""
    return has_role(user, ADMINISTRATORS, TRAINERS)


def phone_shown(user, phone: str) -> str:
    """The phone number as this user may see it."""
    return phone if sees_phone_numbers(user) else phone_masked(phone)


def sees_people_lists(user) -> bool:
    """Only administrators and managers open the lists of people behind a figure."""
    return reads_everything(user)


def reads_reports(user) -> bool:
    return has_role(user, ADMINISTRATORS, MANAGERS, TRAINERS, DISTRICT_OFFICERS)


def reads_all_reports(user) -> bool:
    return reads_everything(user)


def sees_dashboard(user) -> bool:
    return reads_everything(user)


def revokes_certificates(user) -> bool:
    return has_role(user, ADMINISTRATORS, MANAGERS)


def changes_certificate_dates(user) -> bool:
    """The date a certificate counts from is corrected by administrators only."""
    return is_administrator(user)


def gets_withdrawn_certificate_files(user) -> bool:
    """A revoked or replaced certificate's PDF goes to administrators only."""
    return is_administrator(user)


def follows_every_job(user) -> bool:
    return reads_everything(user)


def handles_data_requests(user) -> bool:
    """Erasure, data exports and linking accounts: administrators."""
    return is_administrator(user)


def sees_site_history(user) -> bool:
    """Wagtail's site history and the audit views show names from every scope."""
    return is_administrator(user)


def records_meetings(user) -> bool:
    return has_role(user, ADMINISTRATORS, DISTRICT_OFFICERS, PROMOTERS)


def records_team_activities(user, *, district_id: int | None = None) -> bool:
    """Outreach led by an LSSO or district team (not by promoters) is recorded by
    administrators, and by district officers in their districts."""
    if is_administrator(user):
        return True
    districts = officer_district_ids(user)
    return bool(districts) and (district_id is None or district_id in districts)


def is_promoter(user) -> bool:
    return has_role(user, PROMOTERS) or promoter_of(user) is not None


def uses_two_factor(user, roles) -> bool:
    return bool(roles) and has_role(user, *roles)


def is_staff_member(user) -> bool:
    """Any role but Promoters: these work in the admin rather than the portal."""
    return bool(roles_of(user) - {PROMOTERS})


def works_in_the_portal_only(user) -> bool:
    """A promoter with no staff role: the admin is only their account."""
    return has_role(user, PROMOTERS) and not is_staff_member(user)


# Model permissions ---

# Ids of actions the admin and the API share.
ACTIONS = ("view", "add", "change", "delete")


def may(user, action: str, model) -> bool:
    """The model permission, with the registered exceptions (the portal: promoters
    record their own meetings without an admin permission)."""
    if user is None or not user.is_authenticated:
        return False
    grant = rules().grants.get((label_of(model), action))
    if grant is not None and grant(user):
        return True
    app_label, name = label_of(model).split(".")
    return user.has_perm(f"{app_label}.{action}_{name.lower()}")


# Rules that need models (scopes.rules) ---

officer_district_ids = _named("officer_district_ids")
promoter_of = _named("promoter_of")
home_district = _named("home_district")
districts_of = _named("districts_of")
changes_courses = _named("changes_courses")
certificate_file_served = _named("certificate_file_served")
certificates_of_visible_sessions = _named("certificates_of_visible_sessions")
meeting_leaders_choosable = _named("meeting_leaders_choosable")
villages_choosable = _named("villages_choosable")


# Querysets per model: named entries of the registered rules ---

sessions_visible = _rule("trainings.Session", "visible")
sessions_changeable = _rule("trainings.Session", "changeable")
session_days_visible = _rule("trainings.SessionDay", "visible")
session_days_changeable = _rule("trainings.SessionDay", "changeable")
enrolments_visible = _rule("trainings.Enrolment", "visible")
enrolments_changeable = _rule("trainings.Enrolment", "changeable")
attendance_visible = _rule("trainings.Attendance", "visible")
attendance_changeable = _rule("trainings.Attendance", "changeable")
trainee_follow_ups_visible = _rule("trainings.TraineeFollowUp", "visible")
trainee_follow_ups_changeable = _rule("trainings.TraineeFollowUp", "changeable")
courses_visible = _rule("trainings.Course", "visible")
courses_changeable = _rule("trainings.Course", "changeable")
trainer_qualifications_visible = _rule("trainings.TrainerQualification", "visible")
trainer_qualifications_changeable = _rule(
    "trainings.TrainerQualification", "changeable"
)
historical_trainings_visible = _rule("trainings.HistoricalTraining", "visible")
historical_trainings_changeable = _rule("trainings.HistoricalTraining", "changeable")
feedback_visible = _rule("feedback.Feedback", "visible")
feedback_changeable = _rule("feedback.Feedback", "changeable")
feedback_links_visible = _rule("feedback.FeedbackLink", "visible")
people_visible = _rule("people.Person", "visible")
people_changeable = _rule("people.Person", "changeable")
organisations_visible = _rule("people.Organisation", "visible")
organisations_changeable = _rule("people.Organisation", "changeable")
certificates_visible = _rule("certificates.Certificate", "visible")
certificates_changeable = _rule("certificates.Certificate", "changeable")
certificate_jobs_visible = _rule("certificates.CertificateJob", "visible")
export_jobs_visible = _rule("reports.ExportJob", "visible")
offices_visible = _rule("promoters.DistrictOffice", "visible")
offices_changeable = _rule("promoters.DistrictOffice", "changeable")
promoters_visible = _rule("promoters.Promoter", "visible")
promoters_changeable = _rule("promoters.Promoter", "changeable")
meetings_visible = _rule("promoters.VillageMeeting", "visible")
meetings_changeable = _rule("promoters.VillageMeeting", "changeable")
campaigns_visible = _rule("promoters.Campaign", "visible")
campaigns_changeable = _rule("promoters.Campaign", "changeable")
centres_visible = _rule("promoters.InformationCentre", "visible")
centres_changeable = _rule("promoters.InformationCentre", "changeable")
centre_visits_visible = _rule("promoters.CentreVisit", "visible")
centre_visits_changeable = _rule("promoters.CentreVisit", "changeable")
follow_ups_visible = _rule("promoters.FollowUp", "visible")
projects_visible = _rule("projects.Project", "visible")
projects_changeable = _rule("projects.Project", "changeable")
indicators_visible = _rule("projects.Indicator", "visible")
indicators_changeable = _rule("projects.Indicator", "changeable")
indicator_targets_visible = _rule("projects.IndicatorTarget", "visible")
indicator_targets_changeable = _rule("projects.IndicatorTarget", "changeable")
audit_events_visible = _rule("audit.AuditEvent", "visible")
field_history_visible = _rule("auditlog.LogEntry", "visible")
api_tokens_visible = _rule("wagtailcore.APIToken", "visible")


# Dispatch ---


def _reference(user, label: str) -> QuerySet:
    objects = rules().reference[label]._default_manager
    if user is None or not user.is_authenticated:
        return objects.none()
    return objects.all()


def scoped_by_row(model) -> bool:
    """Whether users of one role see different rows of this model (an object
    outside their rows is missing, 404), rather than all or none of it."""
    label = label_of(model)
    return label in rules().visible and label not in rules().all_or_none


def governs(model) -> bool:
    """Whether the policy scopes this model (reference data is open to all)."""
    label = label_of(model)
    return label in rules().visible or label in rules().reference


def _no_rule(model) -> LookupError:
    return LookupError(f"access.policy has no rule for {label_of(model)}")


def visible(user, model) -> QuerySet:
    label = label_of(model)
    if label in rules().visible:
        return rules().visible[label](user)
    if label in rules().reference:
        return _reference(user, label)
    raise _no_rule(model)


def changeable(user, model) -> QuerySet:
    label = label_of(model)
    if label in rules().changeable:
        return rules().changeable[label](user)
    if label in rules().reference:
        objects = rules().reference[label]._default_manager
        return objects.all() if may(user, "change", model) else objects.none()
    raise _no_rule(model)


def choosable(user, model, field_name: str, related_model) -> QuerySet | None:
    """What a form or API field ``model.field_name`` may point at for this user;
    None for models outside the policy (pages, images, documents: Wagtail's own
    permissions apply)."""
    rule = rules().choosable.get((label_of(model), field_name))
    if rule is not None:
        return rule(user)
    if governs(related_model):
        return visible(user, related_model)
    return None
