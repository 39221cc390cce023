"""The report filters, and the scope a user's role puts around them.

Every report (dashboard, report pages, exports, API, DHIS2) reads its numbers through
one ``ReportFilters``: the period, places, course, organisation, partner, funder and
project the user chose, plus what their role lets them see.
"""

from dataclasses import dataclass, replace
from datetime import date

from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from access import policy
from people.models import Organisation
from places.models import District, Province
from projects.models import Project
from promoters.models import ActivityKind, Campaign
from promoters.selectors import district_of_user
from trainings.models import Course, Session
from trainings.selectors import sessions_visible_to


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    province: Province | None = None
    district: District | None = None
    course: Course | None = None
    course_kind: str = ""
    organisation_kind: str = ""
    partner: Organisation | None = None
    kind: str = ""
    campaign: Campaign | None = None
    funder: Organisation | None = None
    project: Project | None = None
    session: Session | None = None
    # Scope: the sessions a trainer sees (None: all) and whether the user sees
    # nothing at all (a district officer without a district).
    sessions: QuerySet[Session] | None = None
    sees_nothing: bool = False

    def as_query(self) -> dict[str, str]:
        """The filters as GET parameters (for export links)."""
        values = {
            "date_from": self.date_from and self.date_from.isoformat(),
            "date_to": self.date_to and self.date_to.isoformat(),
            "province": self.province and self.province.pk,
            "district": self.district and self.district.pk,
            "course": self.course and self.course.pk,
            "course_kind": self.course_kind,
            "organisation_kind": self.organisation_kind,
            "partner": self.partner and self.partner.pk,
            "kind": self.kind,
            "campaign": self.campaign and self.campaign.pk,
            "funder": self.funder and self.funder.pk,
            "project": self.project and self.project.pk,
            "session": self.session and self.session.pk,
        }
        return {name: str(value) for name, value in values.items() if value}

    @property
    def links(self) -> dict[str, object]:
        """The chosen partner, funder and project, by the name of the relation
        every activity has (``partners``, ``funders``, ``projects``)."""
        chosen = {
            "partners": self.partner,
            "funders": self.funder,
            "projects": self.project,
        }
        return {name: value for name, value in chosen.items() if value is not None}

    def linked(self, *paths: str) -> Q | None:
        """Rows named by every chosen partner, funder and project, each through
        any of ``paths`` ("" the row itself, "centre__" its centre); None when no
        such filter is chosen."""
        if not self.links:
            return None
        condition = Q()
        for relation, value in self.links.items():
            either = Q()
            for path in paths or ("",):
                either |= Q(**{f"{path}{relation}": value})
            condition &= either
        return condition


def district_of_officer(user) -> District | None:
    return district_of_user(user)


# Who reads which figures is access.policy's; these names stay for the callers.
user_reads_reports = policy.reads_reports
user_sees_people_lists = policy.sees_people_lists


def scoped(filters: ReportFilters, user) -> ReportFilters:
    """The filters narrowed to what the user's role lets them see: everything;
    a trainer's sessions; a district officer one of their offices' districts (the
    one they chose, else their first); otherwise nothing."""
    if policy.reads_all_reports(user):
        return filters
    if policy.runs_trainings(user):
        return replace(filters, sessions=sessions_visible_to(user))
    districts = policy.officer_district_ids(user)
    if districts:
        if filters.district is not None:
            if filters.district.pk not in districts:
                return replace(filters, sees_nothing=True)
            return replace(filters, province=None)
        return replace(filters, district=district_of_officer(user), province=None)
    return replace(filters, sees_nothing=True)


QUARTER_CHOICES = [("", "—")] + [
    (str(n), format_lazy(_("Q{number}"), number=n)) for n in range(1, 5)
]


class DistrictSelect(forms.Select):
    """Each district names its province (``data-province``), so that choosing a
    province narrows the list in the browser (static/js/report-filters.js). The list
    itself is the field's queryset: the districts the user may see."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        district = getattr(value, "instance", None)
        if district is not None:
            option["attrs"]["data-province"] = str(district.province_id)
        return option


class ReportFilterForm(forms.Form):
    """GET parameters → ``ReportFilters``. A year (and quarter) wins over from–to."""

    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1990, max_value=2100
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=QUARTER_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.select_related("province"),
        required=False,
        widget=DistrictSelect(attrs={"data-narrowed-by": "province"}),
    )
    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.all(), required=False
    )
    course_kind = forms.ChoiceField(
        label=_("Course kind"),
        choices=[("", "—"), *Course.Kind.choices],
        required=False,
    )
    organisation_kind = forms.ChoiceField(
        label=_("Organisation kind"),
        choices=[("", "—"), *Organisation.Kind.choices],
        required=False,
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="—",
    )
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label="—",
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=Project.objects.all(),
        required=False,
        empty_label="—",
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", "—"), *ActivityKind.choices],
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False
    )
    # One session (its completions); only a session the user sees is accepted.
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["session"].queryset = policy.sessions_visible(user)
            self.fields["campaign"].queryset = policy.campaigns_visible(user)
            self.fields["project"].queryset = policy.projects_visible(user)
        if user is not None and not (
            policy.reads_all_reports(user) or policy.runs_trainings(user)
        ):
            districts = policy.districts_of(user)
            self.fields["district"].queryset = districts
            self.fields["province"].queryset = Province.objects.filter(
                pk__in=districts.values("province_id")
            )

    def clean(self):
        data = super().clean()
        if data.get("quarter") and not data.get("year"):
            self.add_error("year", _("Choose the year of the quarter."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> ReportFilters:
        """The chosen filters, after ``is_valid()``; invalid fields are left out."""
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("date_from"), data.get("date_to")
        if data.get("year"):
            year, quarter = data["year"], data.get("quarter")
            if quarter:
                start = date(year, 3 * quarter - 2, 1)
                end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
                end = date.fromordinal(end.toordinal() - 1)
            else:
                start, end = date(year, 1, 1), date(year, 12, 31)
        return ReportFilters(
            date_from=start,
            date_to=end,
            province=data.get("province"),
            district=data.get("district"),
            course=data.get("course"),
            course_kind=data.get("course_kind") or "",
            organisation_kind=data.get("organisation_kind") or "",
            partner=data.get("partner"),
            kind=data.get("kind") or "",
            campaign=data.get("campaign"),
            funder=data.get("funder"),
            project=data.get("project"),
            session=data.get("session"),
        )


def filters_from_request(
    request, *, default_year: int | None = None
) -> tuple[ReportFilterForm, ReportFilters]:
    """The form and scoped filters of a request; a request without parameters gets
    ``default_year`` (a page), or all time (exports and links carry their own)."""
    data = request.GET or None
    if data is None and default_year is not None:
        data = {"year": str(default_year)}
    return filters_from_query(data, request.user)


def filters_from_query(data, user) -> tuple[ReportFilterForm, ReportFilters]:
    """The form and scoped filters of a query (``QueryDict``, a dict or None): an
    export run in the background reads the query its request had."""
    form = ReportFilterForm(data or None, user=user)
    if form.is_bound:
        form.is_valid()
    return form, scoped(form.filters(), user)
