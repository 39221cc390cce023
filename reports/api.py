"""API v1 report endpoints: the same filters and the same selectors as the pages."""

import inspect

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from access import policy
from people.counts import GenderCounts
from places.models import District, Province
from projects.models import Figure
from promoters.models import ActivityKind
from trainings.selectors import sessions_visible_to

from . import selectors
from .filters import ReportFilterForm, ReportFilters, scoped, user_reads_reports
from .forms import ResultsForm
from .outcome import outcome_report
from .results import Result, plain, project_results

PERIOD_PARAMETERS = [
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("quarter", OpenApiTypes.INT, description="1–4, with year"),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
]
PLACE_PARAMETERS = [
    OpenApiParameter("province", OpenApiTypes.INT),
    OpenApiParameter("district", OpenApiTypes.INT),
]
# Every activity (session, meeting, centre and its visits, office, material) names
# its partners, funders and projects.
LINK_PARAMETERS = [
    OpenApiParameter(
        "partner",
        OpenApiTypes.INT,
        description="An organisation named as a partner of the activities.",
    ),
    OpenApiParameter(
        "funder",
        OpenApiTypes.INT,
        description="An organisation named as a funder of the activities.",
    ),
    OpenApiParameter(
        "project", OpenApiTypes.INT, description="A project of the activities."
    ),
]
FILTER_PARAMETERS = [
    *PERIOD_PARAMETERS,
    *PLACE_PARAMETERS,
    OpenApiParameter("course", OpenApiTypes.INT),
    OpenApiParameter("course_kind", OpenApiTypes.STR),
    OpenApiParameter("organisation_kind", OpenApiTypes.STR),
    *LINK_PARAMETERS,
    OpenApiParameter(
        "session",
        OpenApiTypes.INT,
        description="One session the user sees: its completions (as the session's "
        "`completed`); another answers 400.",
    ),
]
TRAINED_PARAMETERS = [
    *FILTER_PARAMETERS,
    OpenApiParameter("by", OpenApiTypes.STR, enum=list(selectors.BREAKDOWNS)),
]
# Meetings and centres belong to no course or session; coverage is today's network.
OUTREACH_PARAMETERS = [
    *PERIOD_PARAMETERS,
    *PLACE_PARAMETERS,
    *LINK_PARAMETERS,
    OpenApiParameter(
        "kind",
        OpenApiTypes.STR,
        enum=list(ActivityKind.values),
        description="One kind of outreach activity.",
    ),
    OpenApiParameter(
        "campaign",
        OpenApiTypes.INT,
        description="The activities of one campaign the user sees; another "
        "answers 400.",
    ),
]
COVERAGE_PARAMETERS = [*PLACE_PARAMETERS, *LINK_PARAMETERS]


REPORT_SCOPE = (
    "Administrators, managers, trainers and district officers read reports (403 "
    "for anyone else): administrators and managers every figure; a trainer the "
    "figures of the sessions they lead or created; a district officer one of their "
    "offices' districts (the one chosen with `district`, else their first). A query "
    "parameter the report does not know answers 400, naming those it accepts."
)


def described(view):
    """The view's docstring, then who reads what, as its operation's description."""
    description = f"{inspect.cleandoc(view.__doc__)} {REPORT_SCOPE}"
    return extend_schema(description=description)(view)


class KnownParametersMixin:
    """A report endpoint answers 400 to a query parameter it does not know, naming
    the ones it accepts (its schema's ``query_parameters``), rather than ignoring it
    and answering a wider total."""

    query_parameters: list[OpenApiParameter] = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        accepted = {parameter.name for parameter in self.query_parameters}
        if api_settings.URL_FORMAT_OVERRIDE:
            accepted.add(api_settings.URL_FORMAT_OVERRIDE)
        accepted = sorted(accepted)
        unknown = sorted(set(request.query_params) - set(accepted))
        if unknown:
            raise ValidationError(
                {
                    "detail": _(
                        "Unknown query parameters: %(unknown)s. Accepted: %(accepted)s."
                    )
                    % {"unknown": ", ".join(unknown), "accepted": ", ".join(accepted)},
                    "unknown": unknown,
                    "accepted": accepted,
                }
            )


class ReadsReports(BasePermission):
    def has_permission(self, request, view):
        return user_reads_reports(request.user)


def report_filters(request) -> ReportFilters:
    form = ReportFilterForm(request.query_params, user=request.user)
    if not form.is_valid():
        raise ValidationError(form.errors.get_json_data())
    return scoped(form.filters(), request.user)


def _rows(rows) -> list[dict]:
    return [
        {
            "key": str(row.key) if row.key is not None else None,
            "label": row.label,
            **row.counts.as_dict(),
        }
        for row in rows
    ]


@described
class TrainedReportView(KnownParametersMixin, APIView):
    """Distinct people who completed a training, by gender, with the people of
    aggregate-only records (past trainings known only as totals) included and also
    given apart in ``aggregate``. Without ``by``: the counts and ``aggregate``; with
    ``by`` (province, district, course, course_kind, organisation_kind, month,
    quarter, year): ``{"total": counts, "by": …, "rows": [...], "aggregate": …}``."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = TRAINED_PARAMETERS

    @extend_schema(parameters=TRAINED_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters = report_filters(request)
        counts = selectors.trained_total(filters).as_dict()
        # Included in the counts above; people known only from totals (no names).
        aggregate = selectors.aggregate_total(filters).as_dict()
        by = request.query_params.get("by")
        if not by:
            return Response({**counts, "aggregate": aggregate})
        if by not in selectors.BREAKDOWNS:
            raise ValidationError(
                {"by": [f"Choose one of {sorted(selectors.BREAKDOWNS)}."]}
            )
        rows = selectors.trained_by(filters, by=by)
        return Response(
            {"total": counts, "by": by, "rows": _rows(rows), "aggregate": aggregate}
        )


@described
class CascadeReportView(KnownParametersMixin, APIView):
    """A ToT session's downstream reach, generation by generation: a session the
    user sees (404 otherwise)."""

    permission_classes = [IsAuthenticated, ReadsReports]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, session_id: int):
        session = get_object_or_404(sessions_visible_to(request.user), pk=session_id)
        reach = selectors.cascade_of_session(session=session)
        return Response(
            {"session": session.pk, "code": session.code, **reach.as_dict()}
        )


@described
class TotReportView(KnownParametersMixin, APIView):
    """ToT sessions in the filters, their graduates and their cascade reach
    (`reach`, also as `people_trained`); the sessions (`sessions_led`) and the
    village meetings (`meetings_led`, `people_reached`, `registrations`) the
    graduates led."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = FILTER_PARAMETERS

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        summary = selectors.tot_summary(report_filters(request))
        return Response(
            {
                "sessions": summary.sessions,
                "graduates": summary.graduates.as_dict(),
                "reach": summary.reach.as_dict(),
                # The same figures as a ToT session's `impact`.
                **summary.impact_as_dict(),
            }
        )


@described
class FollowUpReportView(KnownParametersMixin, APIView):
    """Follow-ups of trainees at 3 and 6 months due in the filters: due, done,
    ``done_share`` (0–1, null when none was due), unreachable, overdue, whether they
    used what they learned (yes, partly, no), and the people trained, meetings led
    and people registered that the trainees reported."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = FILTER_PARAMETERS

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(selectors.follow_up_summary(report_filters(request)).as_dict())


def _rate(rate) -> dict:
    return {
        "meetings": rate.meetings,
        "turnout": rate.turnout.as_dict(),
        "registrations": rate.registrations.as_dict(),
        "registration_rate": rate.rates,
        "contributions_lak": rate.contributions_lak,
        "contributions_people": rate.contributions_people,
    }


@described
class OutreachReportView(KnownParametersMixin, APIView):
    """Village meetings and other outreach activities that took place (never
    planned ones): turnout and registrations by gender, the registration rate and
    contributions collected, in total, by district, by kind of activity and by
    campaign (period, place, kind and campaign filters)."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = OUTREACH_PARAMETERS

    @extend_schema(parameters=OUTREACH_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters = report_filters(request)
        return Response(
            {
                **_rate(selectors.outreach_total(filters)),
                "districts": [
                    {
                        "district": item.district.pk,
                        "code": item.district.code,
                        "name": item.district.name,
                        **_rate(item),
                    }
                    for item in selectors.outreach_by_district(filters)
                ],
                "kinds": [
                    {"kind": item.kind, "label": item.kind_label, **_rate(item)}
                    for item in selectors.outreach_by_kind(filters)
                ],
                "campaigns": [
                    {
                        "campaign": item.campaign.pk,
                        "name": item.campaign.name,
                        **_rate(item),
                    }
                    for item in selectors.outreach_by_campaign(filters)
                ],
            }
        )


@described
class CoverageReportView(KnownParametersMixin, APIView):
    """Villages with an active promoter per district with a district office."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = COVERAGE_PARAMETERS

    @extend_schema(parameters=COVERAGE_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(
            {
                "districts": [
                    {
                        "district": item.district.pk,
                        "code": item.district.code,
                        "name": item.district.name,
                        "villages_known": item.coverage.villages_known,
                        "villages_covered": item.coverage.villages_covered,
                        "coverage_rate": item.coverage.rate,
                        "active_promoters": item.promoters,
                    }
                    for item in selectors.coverage(report_filters(request))
                ]
            }
        )


def _learning(learning: dict) -> dict:
    return {bucket: value.as_dict() for bucket, value in learning.items()}


@described
class LearningReportView(KnownParametersMixin, APIView):
    """Pre/post test scores summed up (mean pre, post and gain, share improved and
    passed), for everyone and by gender, and the participants' feedback forms; in
    total and per course. The same filters as ``trained`` (sessions by their last
    day); feedback is anonymous, so ``organisation_kind`` does not narrow it."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = FILTER_PARAMETERS

    @extend_schema(parameters=FILTER_PARAMETERS, responses=OpenApiTypes.OBJECT)
    def get(self, request):
        filters = report_filters(request)
        return Response(
            {
                "learning": _learning(selectors.learning_total(filters)),
                "feedback": selectors.feedback_total(filters).as_dict(),
                "courses": [
                    {
                        "course": item.course.pk,
                        "title": item.course.title,
                        "learning": _learning(item.learning),
                        "feedback": item.feedback.as_dict(),
                    }
                    for item in selectors.learning_by_course(filters)
                ],
            }
        )


OUTCOME_PARAMETERS = [
    *PERIOD_PARAMETERS,
    *PLACE_PARAMETERS,
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        enum=["lo", "en"],
        description="The language of the text (default lo).",
    ),
    *LINK_PARAMETERS,
]


class OutcomeReportView(KnownParametersMixin, APIView):
    """The donor's outcome report drafted from the records (as on the Reports
    page): its sections in order, each a key, a title and a text (a line per
    sentence, empty where nothing was recorded)."""

    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = OUTCOME_PARAMETERS

    @extend_schema(
        parameters=OUTCOME_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        description=(
            "The outcome report for a period (`year`, or `date_from`/`date_to`), "
            "in Lao or English (`lang`), optionally for one `project` (its "
            "activities only) and the place, partner and funder filters: "
            '`{"year", "date_from", "date_to", "language", "project", "sections": '
            '[{"key", "title", "text"}]}`. Sections: outcome (outcome achieved), '
            "contribution (the "
            "organisation's contribution), gender (gender equality and "
            "non-discrimination), sdgs, codes (year, outcome code and indicator). "
            "Every sentence comes from a figure; a figure of zero gets none. "
            "`year` is null for a period that is not one whole year; `project` is "
            "the project's id or null. Unknown parameters answer 400."
        ),
    )
    def get(self, request):
        language = request.query_params.get("lang", "lo")
        if language not in ("lo", "en"):
            raise ValidationError({"lang": ["Choose lo or en."]})
        filters = report_filters(request)
        sections = outcome_report(filters, language=language, user=request.user)
        start, end = filters.date_from, filters.date_to
        whole_year = bool(
            start
            and end
            and start.year == end.year
            and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
        )
        return Response(
            {
                "year": start.year if whole_year else None,
                "date_from": start,
                "date_to": end,
                "language": language,
                "project": filters.project.pk if filters.project else None,
                "sections": [section.as_dict() for section in sections],
            }
        )


class IndicatorResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField(help_text="In the language of the request.")
    title_lo = serializers.CharField()
    title_en = serializers.CharField()
    figure = serializers.ChoiceField(choices=Figure.choices)
    province = serializers.IntegerField(
        allow_null=True, help_text="The province this line counts, if one."
    )
    district = serializers.IntegerField(
        allow_null=True, help_text="The district this line counts, if one."
    )
    baseline = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(
        allow_null=True,
        help_text="The sum of the targets set for periods within the period asked "
        "(a rate: the one target, in %); null without a target, or where the "
        "user's scope narrows the count.",
    )
    actual = serializers.JSONField(
        help_text="A number, or for a count of people the gender block "
        '`{"total", "women", "men", "other", "not_recorded"}`; a rate in % '
        "(null when nobody turned out)."
    )
    percent = serializers.FloatField(
        allow_null=True,
        help_text="actual (total) ÷ target × 100; null without a target.",
    )


class ProjectResultsSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    code = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    indicators = IndicatorResultSerializer(many=True)


def _result_as_dict(result: Result) -> dict:
    indicator, place = result.indicator, result.place
    province = place if isinstance(place, Province) else indicator.province
    district = place if isinstance(place, District) else indicator.district
    if isinstance(place, District):
        province = None
    actual = result.actual
    return {
        "code": indicator.code,
        "title": indicator.title,
        "title_lo": indicator.title_lo,
        "title_en": indicator.title_en,
        "figure": indicator.figure,
        "province": province and province.pk,
        "district": district and district.pk,
        "baseline": plain(result.baseline),
        "target": plain(result.target),
        "actual": actual.as_dict() if isinstance(actual, GenderCounts) else actual,
        "percent": result.percent,
    }


class ProjectResultsView(KnownParametersMixin, APIView):
    permission_classes = [IsAuthenticated, ReadsReports]
    query_parameters = PERIOD_PARAMETERS

    @extend_schema(
        parameters=PERIOD_PARAMETERS,
        responses=ProjectResultsSerializer,
        description="The project's results table: for each indicator (and each "
        "province or district with targets of its own) its baseline, the target "
        "for the period, the actual counted as the reports count it for the "
        "project's activities, and the % of the target reached. The period is a "
        "`year` (with `quarter`) or `date_from`/`date_to`; none: all time. Counts "
        "are in the user's scope, as the reports' are.",
    )
    def get(self, request, pk: int):
        project = get_object_or_404(policy.projects_visible(request.user), pk=pk)
        form = ResultsForm(request.query_params, user=request.user, with_project=False)
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        filters = form.filters()
        results = project_results(
            project=project,
            user=request.user,
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        return Response(
            {
                "project": project.pk,
                "code": project.code,
                "date_from": filters.date_from,
                "date_to": filters.date_to,
                "indicators": [_result_as_dict(result) for result in results],
            }
        )
