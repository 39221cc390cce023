"""Writing the promoter network: promoters, village meetings, centre visits."""

import uuid
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from access.policy import (
    campaigns_changeable,
    may,
    meetings_visible,
    records_team_activities,
)
from common.numbers import ascii_digits, short_date
from people.counts import GenderCounts
from periods.services import (
    day_ensure_happened,
    day_ensure_plausible,
    period_ensure_open,
)

from .models import (
    GENDER_FIELDS,
    Campaign,
    CentreVisit,
    DistrictOffice,
    FollowUp,
    InformationCentre,
    Promoter,
    VillageMeeting,
)
from .selectors import (
    HELD_BY_PROMOTER,
    centre_visits_changeable_by,
    meetings_changeable_by,
    officer_district_ids,
    offices_visible_to,
    promoters_changeable_by,
    user_changes_all_promoters,
    weeks_without_meeting,
)

GenderInput = Mapping[str, int] | GenderCounts | None


def _gender_label(gender: str) -> str:
    return {
        "women": _("women"),
        "men": _("men"),
        "other": _("other"),
        "not_recorded": _("not recorded"),
    }[gender]


def _gender_values(value: GenderInput, *, prefix: str) -> dict[str, int]:
    """``{"women": 3, …}`` or a GenderCounts → ``{"<prefix>_women": 3, …}``.

    Missing genders count 0; negative or non-whole numbers are refused.
    """
    if value is None:
        value = {}
    if isinstance(value, GenderCounts):
        value = value.as_dict()
    unknown = set(value) - set(GENDER_FIELDS) - {"total"}
    if unknown:
        raise TypeError(f"unknown genders: {sorted(unknown)}")
    values, errors = {}, {}
    for gender in GENDER_FIELDS:
        name = f"{prefix}_{gender}"
        try:
            values[name] = _whole_number(value.get(gender), field=name)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return values


def _counts_within_cap(record, *, prefix: str, limit: int, message: str) -> None:
    """A plausibility cap on one record's head count (a typing slip like 2147483648
    would otherwise be counted nationally); ``limit`` is a setting."""
    total = sum(getattr(record, f"{prefix}_{gender}") for gender in GENDER_FIELDS)
    if total > limit:
        raise ValidationError(
            {f"{prefix}_women": message % {"total": total, "limit": limit}}
        )


def _turnout_within_cap(meeting: VillageMeeting) -> None:
    _counts_within_cap(
        meeting,
        prefix="turnout",
        limit=settings.SUKSA_MAX_MEETING_TURNOUT,
        message=_(
            "A turnout of %(total)s people is more than %(limit)s, the most one "
            "village meeting can have. Check the numbers."
        ),
    )


def _visitors_within_cap(visit: CentreVisit) -> None:
    _counts_within_cap(
        visit,
        prefix="visitors",
        limit=settings.SUKSA_MAX_CENTRE_VISITORS,
        message=_(
            "%(total)s visitors is more than %(limit)s, the most a centre can "
            "receive in one day. Check the numbers."
        ),
    )


def _registrations_within_turnout(meeting: VillageMeeting) -> None:
    errors = {}
    for gender in GENDER_FIELDS:
        registered = getattr(meeting, f"registrations_{gender}")
        turned_out = getattr(meeting, f"turnout_{gender}")
        if registered > turned_out:
            errors[f"registrations_{gender}"] = _(
                "Registrations of %(gender)s (%(registered)s) cannot be more than "
                "the turnout of %(gender)s (%(turned_out)s)."
            ) % {
                "gender": _gender_label(gender),
                "registered": registered,
                "turned_out": turned_out,
            }
    if errors:
        raise ValidationError(errors)


def _team_check(*, user, meeting: VillageMeeting) -> None:
    """A team-led activity is recorded by staff who look after its district."""
    district_id = meeting.village.district_id if meeting.village_id else None
    if not records_team_activities(user, district_id=district_id):
        raise ValidationError({"led_by": _("Choose the promoter who led the meeting.")})
    office = meeting.led_by_office
    if (
        office is not None
        and not offices_visible_to(user).filter(pk=office.pk).exists()
    ):
        raise ValidationError(
            {"led_by_office": _("Choose a district office you look after.")}
        )


def _leaders_check(*, user, meeting: VillageMeeting, led_by: list[Promoter]) -> None:
    village = meeting.village if meeting.village_id else None
    team_led = meeting.led_by_office_id is not None or bool(meeting.led_by_team)
    if team_led:
        _team_check(user=user, meeting=meeting)
    if not led_by:
        if team_led:
            return
        if not records_team_activities(user):
            raise ValidationError(
                {"led_by": _("Choose the promoter who led the meeting.")}
            )
        raise ValidationError(
            {
                "led_by": _(
                    "Choose the promoters who led the activity, or the team that "
                    "led it."
                )
            }
        )
    allowed = set(promoters_changeable_by(user).values_list("pk", flat=True))
    own = {p.pk for p in led_by if p.person.user_id and p.person.user_id == user.pk}
    if not own and not {p.pk for p in led_by} <= allowed:
        raise ValidationError(
            {"led_by": _("You can record meetings only for promoters you look after.")}
        )
    for promoter in led_by:
        if promoter.status != Promoter.Status.ACTIVE:
            raise ValidationError(
                {
                    "led_by": _("%(promoter)s is not an active promoter.")
                    % {"promoter": promoter}
                }
            )
        if village is not None and village.district_id != promoter.office.district_id:
            raise ValidationError(
                {
                    "village": _(
                        "%(village)s is not in the district %(promoter)s serves "
                        "(%(district)s)."
                    )
                    % {
                        "village": village.name,
                        "promoter": promoter,
                        "district": promoter.office.district.name,
                    }
                }
            )


def _whole_number(value, *, field: str) -> int:
    """A non-negative whole number from a form, a sheet or the API."""
    raw = ascii_digits(value if value not in (None, "") else 0)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = -1
    if number < 0 or str(number) != str(raw).strip():
        raise ValidationError({field: _("Write a whole number, 0 or more.")})
    return number


def _contributions_check(meeting: VillageMeeting) -> None:
    amount, payers = meeting.contributions_lak, meeting.contributions_people
    if not (amount or payers):
        return
    if meeting.kind != VillageMeeting.Kind.MOBILE_DRIVE:
        raise ValidationError(
            {
                "contributions_lak": _(
                    "Contributions are recorded only for a mobile registration and "
                    "payment drive. Change the kind of activity or clear them."
                )
            }
        )
    if not amount:
        raise ValidationError(
            {"contributions_lak": _("Enter the amount collected from these people.")}
        )
    if not payers:
        raise ValidationError(
            {"contributions_people": _("Enter how many people paid this amount.")}
        )
    if payers > meeting.turnout.total:
        raise ValidationError(
            {
                "contributions_people": _(
                    "%(payers)s people paid, but only %(turnout)s came. Check the "
                    "numbers."
                )
                % {"payers": payers, "turnout": meeting.turnout.total}
            }
        )


def _planned_check(meeting: VillageMeeting) -> None:
    """A planned activity has not happened: it has no head counts or money yet."""
    counted = meeting.turnout.total or meeting.registrations.total
    if counted or meeting.contributions_lak or meeting.contributions_people:
        raise ValidationError(
            {
                "status": _(
                    "A planned activity has no turnout, registrations or "
                    "contributions yet. Mark it done to record them."
                )
            }
        )


def _meeting_validate(meeting: VillageMeeting, *, user, led_by) -> None:
    if meeting.status == VillageMeeting.Status.PLANNED:
        day_ensure_plausible(day=meeting.date)
        _planned_check(meeting)
    else:
        day_ensure_happened(day=meeting.date)
    _turnout_within_cap(meeting)
    meeting.full_clean(exclude=["client_uuid", "recorded_by"])
    _registrations_within_turnout(meeting)
    _contributions_check(meeting)
    _leaders_check(user=user, meeting=meeting, led_by=led_by)


def _stored_meeting(*, user, client_uuid) -> VillageMeeting | None:
    """A replay gives back only the user's own meeting, and only while they may
    see it; any other (another recorder's, or one whose recorder was deleted) is
    refused without a word of its content."""
    meeting = VillageMeeting.objects.filter(client_uuid=client_uuid).first()
    if meeting is None:
        return None
    if (
        meeting.recorded_by_id is None
        or meeting.recorded_by_id != user.pk
        or not meetings_visible(user).filter(pk=meeting.pk).exists()
    ):
        raise ValidationError(
            {"client_uuid": _("Someone else sent this meeting. Reload the form.")}
        )
    return meeting


def _leaders(led_by: Iterable[Promoter]) -> list[Promoter]:
    ids = [getattr(promoter, "pk", promoter) for promoter in led_by]
    return list(
        Promoter.objects.select_related("person", "office__district").filter(pk__in=ids)
    )


def meeting_record(
    *,
    user,
    client_uuid: uuid.UUID | str,
    date: date,
    village,
    led_by: Iterable[Promoter] = (),
    turnout: GenderInput = None,
    registrations: GenderInput = None,
    topics: Iterable = (),
    materials: Iterable = (),
    partners: Iterable = (),
    funders: Iterable = (),
    projects: Iterable = (),
    notes: str = "",
    photo=None,
    kind: str = VillageMeeting.Kind.DISSEMINATION,
    status: str = VillageMeeting.Status.DONE,
    campaign=None,
    led_by_office=None,
    led_by_team: str = "",
    contributions_lak: int | str = 0,
    contributions_people: int | str = 0,
) -> tuple[VillageMeeting, bool]:
    """Store a village meeting once per ``client_uuid``; returns (meeting, created).

    ``turnout`` and ``registrations`` are dicts keyed by gender — ``{"women": 12,
    "men": 9, "other": 0, "not_recorded": 1}`` (missing keys count 0) — or
    ``people.counts.GenderCounts``. ``led_by`` are promoters (or their ids); a
    promoter user must be one of them, an officer may name any promoter of their
    district. ``topics`` are ``Topic``s, ``materials`` ``materials.MaterialPage``s,
    ``partners`` and ``funders`` ``people.Organisation``s, ``projects``
    ``projects.Project``s, ``photo`` an uploaded image.

    ``kind`` is a ``VillageMeeting.Kind``; a mobile registration and payment drive
    may record ``contributions_lak`` collected from ``contributions_people``.
    Staff may name a team instead of promoters (``led_by_office``, a
    ``DistrictOffice``, and/or ``led_by_team``, a name) and put the activity in
    a ``campaign``. A ``status`` of ``planned`` may have a future date and no
    counts; it is left out of every figure until done (``meeting_mark_done``).

    A ``client_uuid`` already stored returns the stored meeting and ``False``, also
    when two identical requests race. Errors are ``ValidationError``s keyed by
    field: ``date``, ``village``, ``led_by``, ``turnout_<gender>``,
    ``registrations_<gender>`` (``<gender>`` as above), ``client_uuid``,
    ``notes``, ``photo``, or ``__all__`` when the period is approved.
    """
    try:
        client_uuid = uuid.UUID(str(client_uuid))
    except ValueError as error:
        raise ValidationError(
            {"client_uuid": _("The form is damaged. Reload it and try again.")}
        ) from error
    stored = _stored_meeting(user=user, client_uuid=client_uuid)
    if stored is not None:
        return stored, False
    meeting = VillageMeeting(
        client_uuid=client_uuid,
        date=date,
        village=village,
        notes=(notes or "").strip(),
        recorded_by=user,
        kind=kind,
        status=status,
        campaign=campaign,
        led_by_office=led_by_office,
        led_by_team=(led_by_team or "").strip(),
        contributions_lak=_whole_number(contributions_lak, field="contributions_lak"),
        contributions_people=_whole_number(
            contributions_people, field="contributions_people"
        ),
        **_gender_values(turnout, prefix="turnout"),
        **_gender_values(registrations, prefix="registrations"),
    )
    if photo is not None:
        meeting.photo = photo
    leaders = _leaders(led_by)
    _meeting_validate(meeting, user=user, led_by=leaders)
    period_ensure_open(district=village.district_id, day=date)
    try:
        with transaction.atomic():
            meeting.save()
            _relations_set(
                meeting,
                led_by=leaders,
                topics=topics,
                materials=materials,
                partners=partners,
                funders=funders,
                projects=projects,
            )
            follow_ups_close(promoters=leaders)
    except IntegrityError:
        stored = _stored_meeting(user=user, client_uuid=client_uuid)
        if stored is None:
            raise
        return stored, False
    return meeting, True


def _relations_set(record, **relations) -> None:
    """Set each many-to-many relation given (None keeps it)."""
    for name, values in relations.items():
        if values is not None and hasattr(record, name):
            getattr(record, name).set(values)


MEETING_FIELDS = {
    "date",
    "village",
    "notes",
    "photo",
    "kind",
    "status",
    "campaign",
    "led_by_office",
    "led_by_team",
    "contributions_lak",
    "contributions_people",
}


@transaction.atomic
def meeting_update(
    *,
    meeting: VillageMeeting,
    user,
    led_by: Iterable[Promoter] | None = None,
    turnout: GenderInput = None,
    registrations: GenderInput = None,
    topics: Iterable | None = None,
    materials: Iterable | None = None,
    partners: Iterable | None = None,
    funders: Iterable | None = None,
    projects: Iterable | None = None,
    **fields,
) -> VillageMeeting:
    """Change a meeting; arguments as for ``meeting_record``, None keeps a value."""
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"meeting_update() got unknown fields: {sorted(unknown)}")
    if not meetings_changeable_by(user).filter(pk=meeting.pk).exists():
        raise ValidationError(_("You cannot change this meeting."))
    stored = VillageMeeting.objects.filter(pk=meeting.pk).values(
        "village__district_id", "date"
    )[0]
    period_ensure_open(district=stored["village__district_id"], day=stored["date"])
    for name in ("contributions_lak", "contributions_people"):
        if name in fields:
            fields[name] = _whole_number(fields[name], field=name)
    if "led_by_team" in fields:
        fields["led_by_team"] = (fields["led_by_team"] or "").strip()
    for name, value in fields.items():
        setattr(meeting, name, value)
    for prefix, value in (("turnout", turnout), ("registrations", registrations)):
        if value is not None:
            for name, number in _gender_values(value, prefix=prefix).items():
                setattr(meeting, name, number)
    if (
        "status" not in fields
        and meeting.status == VillageMeeting.Status.PLANNED
        and meeting.turnout.total
    ):
        # Recording the turnout of a planned activity means it took place.
        meeting.status = VillageMeeting.Status.DONE
    leaders = _leaders(led_by) if led_by is not None else list(meeting.led_by.all())
    _meeting_validate(meeting, user=user, led_by=leaders)
    period_ensure_open(district=meeting.village.district_id, day=meeting.date)
    meeting.save()
    _relations_set(
        meeting,
        led_by=leaders if led_by is not None else None,
        topics=topics,
        materials=materials,
        partners=partners,
        funders=funders,
        projects=projects,
    )
    return meeting


def meeting_mark_done(
    *,
    meeting: VillageMeeting,
    user,
    turnout: GenderInput,
    registrations: GenderInput = None,
    **fields,
) -> VillageMeeting:
    """Record what a planned activity achieved: it becomes done and counts from
    now on. The date must then have passed and its period be open."""
    return meeting_update(
        meeting=meeting,
        user=user,
        turnout=turnout,
        registrations=registrations or {},
        status=VillageMeeting.Status.DONE,
        **fields,
    )


@transaction.atomic
def links_add(
    *,
    record: DistrictOffice | InformationCentre,
    partners: Iterable = (),
    funders: Iterable = (),
    projects: Iterable = (),
) -> None:
    """Name more partners, funders and projects of an office or a centre (the
    admin form sets them all; the demo adds to what is there)."""
    record.partners.add(*partners)
    record.funders.add(*funders)
    record.projects.add(*projects)


@transaction.atomic
def meeting_delete(*, meeting: VillageMeeting, user) -> None:
    if not meetings_changeable_by(user).filter(pk=meeting.pk).exists():
        raise ValidationError(_("You cannot delete this meeting."))
    period_ensure_open(district=meeting.village.district_id, day=meeting.date)
    meeting.delete()


PROMOTER_FIELDS = {"role", "office", "village", "status", "started_on", "ended_on"}


def _promoter_validate(promoter: Promoter) -> None:
    promoter.full_clean(validate_constraints=False)
    if promoter.village.district_id != promoter.office.district_id:
        raise ValidationError(
            {
                "village": _(
                    "%(village)s is not in %(district)s, the district of %(office)s."
                )
                % {
                    "village": promoter.village.name,
                    "district": promoter.office.district.name,
                    "office": promoter.office.name,
                }
            }
        )
    if promoter.status == Promoter.Status.ACTIVE and promoter.ended_on:
        raise ValidationError(
            {"ended_on": _("An active promoter has no end date. Clear it.")}
        )
    if promoter.ended_on and promoter.ended_on < promoter.started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    day_ensure_happened(day=promoter.started_on, field="started_on")
    _one_active_record(promoter)


def _one_active_record(promoter: Promoter) -> None:
    if promoter.status != Promoter.Status.ACTIVE:
        return
    others = Promoter.objects.filter(
        person_id=promoter.person_id, status=Promoter.Status.ACTIVE
    ).exclude(pk=promoter.pk)
    if others.exists():
        raise ValidationError(
            {
                "person": _(
                    "%(person)s is already an active promoter. End that record first."
                )
                % {"person": promoter.person}
            }
        )


def _promoter_save(promoter: Promoter) -> Promoter:
    _promoter_validate(promoter)
    try:
        with transaction.atomic():
            promoter.save()
    except IntegrityError as error:
        _one_active_record(promoter)
        raise error
    return promoter


def _check_office(*, user, office) -> None:
    if user is None or user_changes_all_promoters(user):
        return
    if not offices_visible_to(user).filter(pk=office.pk).exists():
        raise ValidationError(
            {"office": _("You can manage promoters of your own district only.")}
        )


@transaction.atomic
def promoter_create(
    *,
    person,
    role: str,
    office,
    village,
    started_on: date,
    status: str = Promoter.Status.ACTIVE,
    ended_on: date | None = None,
    user=None,
) -> Promoter:
    """Add a person to the network. ``user`` (who does it) scopes the office."""
    _check_office(user=user, office=office)
    promoter = Promoter(
        person=person,
        role=role,
        office=office,
        village=village,
        started_on=started_on,
        status=status,
        ended_on=ended_on,
    )
    return _promoter_save(promoter)


@transaction.atomic
def promoter_update(*, promoter: Promoter, user=None, **fields) -> Promoter:
    unknown = set(fields) - PROMOTER_FIELDS
    if unknown:
        raise TypeError(f"promoter_update() got unknown fields: {sorted(unknown)}")
    if user is not None and not user_may_change_promoter(user, promoter):
        raise ValidationError(_("You cannot change this promoter."))
    for name, value in fields.items():
        setattr(promoter, name, value)
    _check_office(user=user, office=promoter.office)
    return _promoter_save(promoter)


def user_may_change_promoter(user, promoter: Promoter) -> bool:
    return promoters_changeable_by(user).filter(pk=promoter.pk).exists()


@transaction.atomic
def promoter_delete(*, promoter: Promoter, user) -> None:
    """Remove a promoter recorded by mistake; one who led meetings is ended instead,
    so the meetings keep their leaders."""
    if not user_may_change_promoter(user, promoter):
        raise ValidationError(_("You cannot change this promoter."))
    if promoter.meetings.exists():
        raise ValidationError(_("This promoter led meetings; end the record instead."))
    promoter.delete()


@transaction.atomic
def _check_centre(*, user, centre: InformationCentre) -> None:
    if user_changes_all_promoters(user):
        return
    if centre.district_id not in officer_district_ids(user):
        raise ValidationError(
            {"centre": _("You can record visits of your own district's centres only.")}
        )


@transaction.atomic
def centre_visit_record(
    *,
    user,
    centre: InformationCentre,
    date: date,
    visitors: GenderInput,
    topics: Iterable = (),
    notes: str = "",
    partners: Iterable = (),
    funders: Iterable = (),
    projects: Iterable = (),
) -> CentreVisit:
    """Record the visitors of one day; ``visitors`` shaped like a meeting's turnout."""
    _check_centre(user=user, centre=centre)
    visit = CentreVisit(
        centre=centre,
        date=date,
        notes=(notes or "").strip(),
        recorded_by=user,
        **_gender_values(visitors, prefix="visitors"),
    )
    day_ensure_happened(day=date)
    _visitors_within_cap(visit)
    visit.full_clean(exclude=["recorded_by"])
    if visit.visitors.total == 0:
        raise ValidationError({"visitors_women": _("Count at least one visitor.")})
    period_ensure_open(district=centre.district_id, day=date)
    visit.save()
    _relations_set(
        visit, topics=topics, partners=partners, funders=funders, projects=projects
    )
    return visit


@transaction.atomic
def centre_visit_update(
    *,
    visit: CentreVisit,
    user,
    visitors: GenderInput = None,
    topics=None,
    partners=None,
    funders=None,
    projects=None,
    **fields,
) -> CentreVisit:
    unknown = set(fields) - {"centre", "date", "notes"}
    if unknown:
        raise TypeError(f"centre_visit_update() got unknown fields: {sorted(unknown)}")
    if not centre_visits_changeable_by(user).filter(pk=visit.pk).exists():
        raise ValidationError(_("You cannot change this visit."))
    _centre_visit_ensure_open(visit)
    for name, value in fields.items():
        setattr(visit, name, value)
    if visitors is not None:
        for name, number in _gender_values(visitors, prefix="visitors").items():
            setattr(visit, name, number)
    _check_centre(user=user, centre=visit.centre)
    day_ensure_happened(day=visit.date)
    _visitors_within_cap(visit)
    visit.full_clean(exclude=["recorded_by"])
    period_ensure_open(district=visit.centre.district_id, day=visit.date)
    visit.save()
    _relations_set(
        visit, topics=topics, partners=partners, funders=funders, projects=projects
    )
    return visit


@transaction.atomic
def centre_visit_delete(*, visit: CentreVisit, user) -> None:
    if not centre_visits_changeable_by(user).filter(pk=visit.pk).exists():
        raise ValidationError(_("You cannot delete this visit."))
    _centre_visit_ensure_open(visit)
    visit.delete()


def _centre_visit_ensure_open(visit: CentreVisit) -> None:
    """The visit as stored (its centre's district, its date) is not in an approved
    period: moving it out of one changes that period's figures too."""
    stored = CentreVisit.objects.filter(pk=visit.pk).values(
        "centre__district_id", "date"
    )[0]
    period_ensure_open(district=stored["centre__district_id"], day=stored["date"])


# Follow-up of quiet promoters -------------------------------------------------------


def _quiet_promoters(*, since: date):
    """Active, trained promoters (for at least the whole window) with no meeting
    since ``since``."""
    from trainings.selectors import trained_people

    return (
        Promoter.objects.filter(
            status=Promoter.Status.ACTIVE,
            started_on__lte=since,
            person__in=trained_people(),
        )
        .select_related("person", "office", "village")
        .annotate(last_meeting=Max("meetings__date", filter=HELD_BY_PROMOTER))
        .filter(Q(last_meeting__isnull=True) | Q(last_meeting__lt=since))
    )


def follow_ups_close(*, promoters: Iterable[Promoter] | None = None) -> int:
    """Mark done the open follow-ups of promoters who have met since (all promoters
    when ``promoters`` is None). Returns how many were closed."""
    open_follow_ups = FollowUp.objects.filter(status=FollowUp.Status.OPEN)
    if promoters is not None:
        open_follow_ups = open_follow_ups.filter(promoter__in=list(promoters))
    met_since = open_follow_ups.annotate(
        latest=Max(
            "promoter__meetings__date",
            filter=Q(promoter__meetings__status=VillageMeeting.Status.DONE),
        )
    ).filter(
        Q(last_meeting_on__isnull=True, latest__isnull=False)
        | Q(latest__gt=F("last_meeting_on"))
    )
    return FollowUp.objects.filter(pk__in=met_since.values("pk")).update(
        status=FollowUp.Status.DONE
    )


def follow_up_check(
    *, today: date | None = None, weeks: int | None = None
) -> list[FollowUp]:
    """Create this week's follow-ups for trained promoters without a meeting in
    ``weeks`` weeks, and e-mail the district officers about them.

    Safe to run twice: one follow-up per promoter and week (a unique constraint), and
    none while an open one already says the same (no meeting since).
    """
    today = today or timezone.localdate()
    weeks = weeks or settings.SUKSA_FOLLOW_UP_WEEKS
    period_start = today - timedelta(days=today.weekday())
    since = today - timedelta(weeks=weeks)
    created = []
    follow_ups_close()  # meetings recorded before follow-ups closed themselves
    for promoter in _quiet_promoters(since=since):
        already_open = FollowUp.objects.filter(
            promoter=promoter,
            status=FollowUp.Status.OPEN,
            last_meeting_on=promoter.last_meeting,
        )
        if already_open.exists():
            continue
        with transaction.atomic():
            follow_up, is_new = FollowUp.objects.get_or_create(
                promoter=promoter,
                period_start=period_start,
                defaults={
                    "office": promoter.office,
                    "weeks": weeks_without_meeting(
                        last_meeting_on=promoter.last_meeting,
                        started_on=promoter.started_on,
                        today=today,
                    ),
                    "last_meeting_on": promoter.last_meeting,
                },
            )
        if is_new:
            created.append(follow_up)
    # Also those of an earlier run whose e-mail failed.
    unsent = list(
        FollowUp.objects.filter(
            period_start=period_start, emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    if unsent:
        transaction.on_commit(lambda: follow_up_send_emails(follow_up_ids=unsent))
    return created


def _email_configured() -> bool:
    return settings.EMAIL_BACKEND != "django.core.mail.backends.dummy.EmailBackend"


def _officer_language(officer) -> str:
    from wagtail.users.models import UserProfile

    return UserProfile.get_for_user(officer).preferred_language or (
        settings.LANGUAGE_CODE
    )


def follow_up_send_emails(*, follow_up_ids: list[int]) -> int:
    """One e-mail per officer with an address, listing their new follow-ups; each
    follow-up is e-mailed once. Returns the number of e-mails sent."""
    if not _email_configured():
        return 0
    follow_ups = list(
        FollowUp.objects.filter(pk__in=follow_up_ids, emailed_at__isnull=True)
        .select_related("promoter__person", "promoter__village", "office")
        .prefetch_related("office__officers")
    )
    by_officer: dict = {}
    for follow_up in follow_ups:
        for officer in follow_up.office.officers.all():
            if officer.email and officer.is_active:
                by_officer.setdefault(officer, []).append(follow_up)
    sent = 0
    for officer, items in by_officer.items():
        with translation.override(_officer_language(officer)):
            lines = [
                _("%(promoter)s (%(village)s): last meeting %(last)s")
                % {
                    "promoter": item.promoter.person.full_name,
                    "village": item.promoter.village.name,
                    "last": short_date(item.last_meeting_on)
                    if item.last_meeting_on
                    else _("none yet"),
                }
                for item in items
            ]
            body = "\n".join(
                [
                    _(
                        "These trained promoters have held no village meeting for "
                        "%(weeks)s weeks:"
                    )
                    % {"weeks": items[0].weeks},
                    "",
                    *lines,
                    "",
                    _("Open Suksa's admin to mark each follow-up as done."),
                ]
            )
            send_mail(
                _("Promoters to follow up"),
                body,
                settings.DEFAULT_FROM_EMAIL,
                [officer.email],
            )
        sent += 1
    FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(
        emailed_at=timezone.now()
    )
    return sent


# Campaigns ----------------------------------------------------------------------


@transaction.atomic
def campaign_save(
    *,
    campaign: Campaign,
    user,
    districts: Iterable | None = None,
    villages: Iterable | None = None,
) -> Campaign:
    """Create or change a campaign (administrators and managers); ``districts`` and
    ``villages`` are those it targets, None keeps them."""
    if campaign.pk and not campaigns_changeable(user).filter(pk=campaign.pk).exists():
        raise ValidationError(_("You cannot change this campaign."))
    if not campaign.pk and not may(user, "add", Campaign):
        raise ValidationError(_("You cannot add campaigns."))
    campaign.full_clean()
    if campaign.ends_on and campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    campaign.save()
    if districts is not None:
        campaign.districts.set(districts)
    if villages is not None:
        campaign.villages.set(villages)
    return campaign
