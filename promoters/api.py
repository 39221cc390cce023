"""API v1 for the promoter network. Selectors decide who sees what (an object outside
the scope answers 404, one the user may see but not change 403); services write."""

import django_filters
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from access.api import PolicyModelSerializer
from common.api_errors import service_errors
from common.filters import FilterSet, IntegerFilter
from people.models import Organisation

from .models import (
    CentreVisit,
    DistrictOffice,
    InformationCentre,
    Promoter,
    Topic,
    VillageMeeting,
)
from .selectors import (
    centre_visits_visible_to,
    centres_visible_to,
    district_coverage,
    meetings_visible_to,
    offices_visible_to,
    promoters_visible_to,
)
from .services import (
    centre_visit_delete,
    centre_visit_record,
    centre_visit_update,
    meeting_delete,
    meeting_record,
    meeting_update,
    promoter_create,
    promoter_delete,
    promoter_update,
)

# Permissions: access.api.PolicyPermission (the REST_FRAMEWORK default) asks the
# policy for every write: the admin's model permission, and the object in scope.


class ScopedViewSet(viewsets.ModelViewSet):
    def perform_destroy(self, instance):
        # Something still points at it (an office's promoters): say so, no 500.
        try:
            with transaction.atomic():
                instance.delete()
        except ProtectedError as error:
            raise ValidationError(
                _("%(object)s is still used by %(count)d other records.")
                % {"object": instance, "count": len(error.protected_objects)}
            ) from error


def described(
    *,
    many: str,
    one: str,
    filters: str,
    scope: str,
    changes: str,
    on_retrieve: str = "",
    on_create: str = "",
):
    """Every operation of a scoped model viewset described: what it answers, who
    sees what (``scope``), who changes what (``changes``) and the filters. ``one``
    names one object ("a promoter"), without a full stop."""
    return extend_schema_view(
        list=extend_schema(description=f"{many} {filters} {scope}"),
        retrieve=extend_schema(
            description=f"One of them, by id: {one}.{on_retrieve} {scope}"
        ),
        create=extend_schema(description=f"Record {one}.{on_create} {changes}"),
        update=extend_schema(description=f"Replace {one}. {changes}"),
        partial_update=extend_schema(
            description=f"Change some fields of {one}. {changes}"
        ),
        destroy=extend_schema(
            description=f"Delete {one} (400 while other records still use it). "
            f"{changes}"
        ),
    )


# Fields -------------------------------------------------------------------------------


class GenderCountsField(serializers.Serializer):
    """``{"women": 12, "men": 9, "other": 0, "not_recorded": 1}``; ``total`` is read
    only; missing genders count 0."""

    women = serializers.IntegerField(min_value=0, default=0)
    men = serializers.IntegerField(min_value=0, default=0)
    other = serializers.IntegerField(min_value=0, default=0)
    not_recorded = serializers.IntegerField(min_value=0, default=0)
    total = serializers.IntegerField(read_only=True)


def _counts(instance, prefix: str) -> dict:
    return getattr(instance, prefix).as_dict()


def _topics_field():
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Topic.objects.all(), many=True, required=False
    )


def _link_ids():
    """Partners, funders or projects as ids: read here, set in the admin."""
    return serializers.PrimaryKeyRelatedField(many=True, read_only=True)


LINKS = ["partners", "funders", "projects"]


class LinksMixin(serializers.Serializer):
    partners = _link_ids()
    funders = _link_ids()
    projects = _link_ids()


# District offices ---------------------------------------------------------------------


class OfficeSerializer(LinksMixin, PolicyModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)

    class Meta:
        model = DistrictOffice
        fields = ["id", "name", "district", "district_name", "opened_on", *LINKS]


class CoverageSerializer(serializers.Serializer):
    villages_known = serializers.IntegerField()
    villages_covered = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class OfficeDetailSerializer(OfficeSerializer):
    coverage = serializers.SerializerMethodField()

    class Meta(OfficeSerializer.Meta):
        fields = [*OfficeSerializer.Meta.fields, "coverage"]

    @extend_schema(responses=CoverageSerializer)
    def get_coverage(self, office) -> dict:
        coverage = district_coverage(district=office.district)
        return {
            "villages_known": coverage.villages_known,
            "villages_covered": coverage.villages_covered,
            "rate": coverage.rate,
        }


@described(
    many="District Social Security Offices, with their district and links "
    "(partners, funders, projects as ids).",
    one="a district office",
    on_retrieve=" It adds the district's coverage (villages with an active "
    "promoter ÷ villages known).",
    filters="No filters.",
    scope="Administrators and managers see every office; a district officer the "
    "offices of their districts; anyone else none.",
    changes="Only administrators add, change or delete offices.",
)
class OfficeViewSet(ScopedViewSet):
    """District Social Security Offices; `GET …/{id}/` adds the district's coverage
    (villages with an active promoter ÷ villages known)."""

    def get_queryset(self):
        return offices_visible_to(self.request.user).prefetch_related(*LINKS)

    def get_serializer_class(self):
        if self.action == "retrieve":
            return OfficeDetailSerializer
        return OfficeSerializer


# Promoters ---------------------------------------------------------------------------


class PromoterSerializer(PolicyModelSerializer):
    full_name = serializers.CharField(source="person.full_name", read_only=True)

    class Meta:
        model = Promoter
        fields = [
            "id",
            "person",
            "full_name",
            "role",
            "office",
            "village",
            "status",
            "started_on",
            "ended_on",
        ]


class PromoterFilter(FilterSet):
    district = IntegerFilter(field_name="office__district")

    class Meta:
        model = Promoter
        fields = ["status", "role", "office", "district"]


@described(
    many="Promoters of the network: the person, role, office, village, status "
    "and dates.",
    one="a promoter",
    filters="`status`, `role`, `office` and `district` (the office's) narrow the list.",
    scope="Administrators and managers see every promoter; a district officer "
    "the promoters of their offices' districts; a promoter their own record; "
    "anyone else none.",
    changes="Administrators change any promoter; a district officer those of "
    "their districts (with the admin's permission).",
)
class PromoterViewSet(ScopedViewSet):
    """Promoters of the network; district officers see and change their district's."""

    serializer_class = PromoterSerializer
    filterset_class = PromoterFilter

    def get_queryset(self):
        return promoters_visible_to(self.request.user)

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = promoter_create(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        values.pop("person", None)
        with service_errors():
            serializer.instance = promoter_update(
                promoter=serializer.instance, user=self.request.user, **values
            )

    def perform_destroy(self, instance):
        with service_errors():
            promoter_delete(promoter=instance, user=self.request.user)


# Village meetings --------------------------------------------------------------------


class MeetingSerializer(PolicyModelSerializer):
    client_uuid = serializers.UUIDField()
    partners = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), many=True, required=False
    )
    topics = _topics_field()
    funders = _link_ids()
    projects = _link_ids()
    turnout = GenderCountsField()
    registrations = GenderCountsField()
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True)

    class Meta:
        model = VillageMeeting
        fields = [
            "id",
            "client_uuid",
            "date",
            "village",
            "led_by",
            "partners",
            "funders",
            "projects",
            "turnout",
            "registrations",
            "topics",
            "materials",
            "notes",
            "recorded_by",
            "created_at",
            "kind",
            "status",
            "campaign",
            "led_by_office",
            "led_by_team",
            "contributions_lak",
            "contributions_people",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "materials": {"required": False},
            "led_by": {"required": False},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["turnout"] = _counts(instance, "turnout")
        data["registrations"] = _counts(instance, "registrations")
        return data


class MeetingFilter(FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    district = IntegerFilter(field_name="village__district")

    class Meta:
        model = VillageMeeting
        fields = [
            "date_from",
            "date_to",
            "district",
            "village",
            "kind",
            "status",
            "campaign",
        ]


@described(
    many="Village meetings and other outreach activities. Turnout and "
    "registrations are counts by gender; registrations cannot exceed turnout. "
    "`kind` is a dissemination meeting, a mobile registration and payment drive "
    "(which may record `contributions_lak` paid by `contributions_people`) or a "
    "workplace campaign. Staff may name a team (`led_by_office`, `led_by_team`) "
    "instead of promoters. A `planned` activity may lie in the future, has no "
    "counts and is left out of every report until a `PATCH` records its turnout, "
    "which makes it `done`.",
    one="a village meeting or outreach activity",
    on_create=" A `client_uuid` already stored answers 200 with the stored "
    "meeting instead of storing another; a new one answers 201.",
    filters="`date_from`, `date_to`, `district`, `village`, `kind`, `status` and "
    "`campaign` narrow the list.",
    scope="Administrators and managers see every meeting; a district officer the "
    "meetings in their districts' villages; anyone else (a promoter) those they "
    "led or recorded.",
    changes="Promoters record meetings; administrators change any, a district "
    "officer those in their districts.",
)
class MeetingViewSet(ScopedViewSet):
    """Village meetings and other outreach activities. `POST` with a `client_uuid`
    already stored answers 200 with the stored meeting instead of storing another; a
    new one answers 201. Turnout and registrations are counts by gender;
    registrations cannot exceed turnout. `kind` is a dissemination meeting, a mobile
    registration and payment drive (which may record `contributions_lak` paid by
    `contributions_people`) or a workplace campaign. Staff may name a team
    (`led_by_office`, `led_by_team`) instead of promoters. A `planned` activity may
    lie in the future, has no counts and is left out of every report until a
    `PATCH` records its turnout, which makes it `done`."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return meetings_visible_to(self.request.user).prefetch_related(
            "led_by", "partners", "funders", "projects", "topics", "materials"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            meeting, created = meeting_record(
                user=request.user, **serializer.validated_data
            )
        return Response(
            self.get_serializer(meeting).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def perform_update(self, serializer):
        values = dict(serializer.validated_data)
        values.pop("client_uuid", None)
        with service_errors():
            serializer.instance = meeting_update(
                meeting=serializer.instance, user=self.request.user, **values
            )

    def perform_destroy(self, instance):
        with service_errors():
            meeting_delete(meeting=instance, user=self.request.user)


# Information centres and visits ------------------------------------------------------


class CentreSerializer(LinksMixin, PolicyModelSerializer):
    class Meta:
        model = InformationCentre
        fields = [
            "id",
            "name",
            "host_organisation",
            "host_kind",
            "district",
            "opened_on",
            *LINKS,
        ]


@described(
    many="Worker information centres in government or employer-association "
    "offices, with their host, district, opening date and links.",
    one="an information centre",
    filters="`district` and `host_kind` narrow the list.",
    scope="Administrators and managers see every centre; a district officer the "
    "centres of their districts; anyone else none.",
    changes="Only administrators add, change or delete centres.",
)
class CentreViewSet(ScopedViewSet):
    """Worker information centres in government or employer-association offices."""

    serializer_class = CentreSerializer
    filterset_fields = ["district", "host_kind"]

    def get_queryset(self):
        return centres_visible_to(self.request.user).prefetch_related(*LINKS)


class CentreVisitSerializer(LinksMixin, PolicyModelSerializer):
    visitors = GenderCountsField()
    topics = _topics_field()

    class Meta:
        model = CentreVisit
        fields = ["id", "centre", "date", "visitors", "topics", "notes", *LINKS]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["visitors"] = _counts(instance, "visitors")
        return data


class CentreVisitFilter(FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CentreVisit
        fields = ["centre", "date_from", "date_to"]


@described(
    many="Visitors to an information centre on one day, by gender and topic "
    "asked about.",
    one="a day's visits to an information centre",
    filters="`centre`, `date_from` and `date_to` narrow the list.",
    scope="Whoever sees the centre sees its visits: administrators and managers "
    "every centre, a district officer their districts' centres.",
    changes="Administrators change any; a district officer the visits of their "
    "districts' centres.",
)
class CentreVisitViewSet(ScopedViewSet):
    """Visitors to an information centre on one day, by gender and topic asked about."""

    serializer_class = CentreVisitSerializer
    filterset_class = CentreVisitFilter

    def get_queryset(self):
        return centre_visits_visible_to(self.request.user).prefetch_related(
            "topics", *LINKS
        )

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = centre_visit_record(
                user=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = centre_visit_update(
                visit=serializer.instance,
                user=self.request.user,
                **serializer.validated_data,
            )

    def perform_destroy(self, instance):
        with service_errors():
            centre_visit_delete(visit=instance, user=self.request.user)
