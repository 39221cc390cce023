"""API v1 for trainings: courses, sessions and their sheets, enrolments, attendance and
the count of people trained. Selectors decide who sees what; services do the writing."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from access.api import PolicyModelSerializer
from common.api_errors import service_errors
from common.filters import FilterSet, IntegerFilter
from common.uploads import upload_limit
from people.models import Person
from people.services import PERSON_DETAILS
from places.countries import LAOS, Country

from . import hooks
from .documents import sheet_template, sign_in_sheet_pdf
from .imports import sheet_import
from .models import Attendance, Course, Enrolment, Session, SessionDay, StudyStatus
from .selectors import (
    cascade_reach,
    enrolments_visible_to,
    session_counts,
    sessions_counts,
    sessions_learning,
    sessions_visible_to,
)
from .services import (
    attendance_record_day,
    course_create,
    course_update,
    enrolment_add,
    enrolment_enrol,
    enrolment_update,
    session_complete,
    session_create,
    session_update,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Permissions: access.api.PolicyPermission (the REST_FRAMEWORK default) asks the
# policy for every write: the admin's model permission, and the object in scope.


# Serializers ------------------------------------------------------------------------


class GenderCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    women = serializers.IntegerField()
    men = serializers.IntegerField()
    other = serializers.IntegerField()
    not_recorded = serializers.IntegerField()


class LearningSerializer(serializers.Serializer):
    scored = serializers.IntegerField(
        help_text="Participants with both a pre- and a post-test score."
    )
    pre_mean = serializers.FloatField(allow_null=True, help_text="Mean pre-test score.")
    post_mean = serializers.FloatField(
        allow_null=True, help_text="Mean post-test score."
    )
    gain_mean = serializers.FloatField(
        allow_null=True, help_text="Mean of post minus pre, in score points."
    )
    improved_share = serializers.FloatField(
        allow_null=True, help_text="Share (0–1) whose post-test beat their pre-test."
    )
    passed_share = serializers.FloatField(
        allow_null=True,
        help_text="Share (0–1) reaching the course's minimum post-test score; null "
        "where the course sets none.",
    )


class LearningByGenderSerializer(serializers.Serializer):
    total = LearningSerializer()
    women = LearningSerializer()
    men = LearningSerializer()
    other = LearningSerializer()
    not_recorded = LearningSerializer()
    feedback_count = serializers.IntegerField(
        help_text="Participants' feedback forms received (phone and paper); "
        "anonymous, so not by gender."
    )


class ImpactSerializer(serializers.Serializer):
    graduates = GenderCountsSerializer(help_text="Participants who completed the ToT.")
    sessions_led = serializers.IntegerField(
        help_text="Sessions (not cancelled) the graduates led, as `led_by`."
    )
    people_trained = GenderCountsSerializer(
        help_text="People who completed sessions downstream (the cascade, as "
        "`/sessions/{id}/cascade/` counts it), each once."
    )
    meetings_led = serializers.IntegerField(
        help_text="Village meetings the graduates led as promoters after the ToT."
    )
    people_reached = GenderCountsSerializer(help_text="Turnout at those meetings.")
    registrations = GenderCountsSerializer(
        help_text="People registered at those meetings."
    )


class SessionCountsSerializer(serializers.Serializer):
    participants = GenderCountsSerializer()
    completed = GenderCountsSerializer()


class CourseSerializer(PolicyModelSerializer):
    class Meta:
        model = Course
        fields = [
            "id",
            "title_lo",
            "title_en",
            "kind",
            "objectives",
            "min_attendance_percent",
            "min_post_score",
        ]


class SessionDaySerializer(PolicyModelSerializer):
    class Meta:
        model = SessionDay
        fields = ["id", "date"]


class SessionSerializer(PolicyModelSerializer):
    days = SessionDaySerializer(many=True, read_only=True)
    # Long and external programmes: null for the other sessions.
    institution = serializers.CharField(
        max_length=200, allow_blank=True, allow_null=True, required=False
    )
    country = serializers.ChoiceField(
        choices=Country.choices,
        allow_null=True,
        required=False,
        help_text="ISO 3166-1 alpha-2 code; a session abroad has no district.",
    )
    country_name = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    completed = serializers.SerializerMethodField()
    learning = serializers.SerializerMethodField()
    impact = serializers.SerializerMethodField(
        help_text="For a Training of Trainers: what its graduates did next; null "
        "for other sessions."
    )
    projects = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "code",
            "course",
            "starts_on",
            "ends_on",
            "venue",
            "district",
            "village",
            "status",
            "capacity",
            "partners",
            "funders",
            "projects",
            "led_by",
            "days",
            "participants",
            "completed",
            "learning",
            "impact",
            "institution",
            "country",
            "country_name",
            "expected_end_on",
        ]

    def validate(self, attrs):
        # Null means "not a long or external programme": no institution, in Laos.
        if "institution" in attrs and attrs["institution"] is None:
            attrs["institution"] = ""
        if "country" in attrs and attrs["country"] is None:
            attrs["country"] = LAOS
        return super().validate(attrs)

    def to_representation(self, session):
        data = super().to_representation(session)
        if not session.external:
            data["institution"] = data["country"] = None
        return data

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country_name(self, session) -> str | None:
        return str(session.get_country_display()) if session.external else None

    def _counts(self, session):
        # Counted once for the whole page of a list (two queries), or for one session.
        cache = self.context.setdefault("session_counts", {})
        if session.pk not in cache:
            page = getattr(self.parent, "instance", None) or [session]
            cache.update(sessions_counts(sessions=page))
        return cache[session.pk]

    @extend_schema_field(GenderCountsSerializer)
    def get_participants(self, session) -> dict:
        return self._counts(session).participants.as_dict()

    @extend_schema_field(GenderCountsSerializer)
    def get_completed(self, session) -> dict:
        return self._counts(session).completed.as_dict()

    @extend_schema_field(LearningByGenderSerializer)
    def get_learning(self, session) -> dict:
        """Pre/post scores summed up, for everyone and by gender, and the feedback
        forms received (two queries a page)."""
        sessions_feedback_counts = hooks.provider(hooks.SESSIONS_FEEDBACK_COUNTS)
        cache = self.context.setdefault("session_learning", {})
        feedback = self.context.setdefault("session_feedback_counts", {})
        if session.pk not in cache:
            page = getattr(self.parent, "instance", None) or [session]
            cache.update(sessions_learning(sessions=page))
            feedback.update(sessions_feedback_counts(sessions=page))
        return {
            **{bucket: value.as_dict() for bucket, value in cache[session.pk].items()},
            "feedback_count": feedback[session.pk],
        }

    @extend_schema_field(ImpactSerializer(allow_null=True))
    def get_impact(self, session) -> dict | None:
        """A fixed number of queries for the whole page of a list."""
        sessions_impact = hooks.provider(hooks.SESSIONS_IMPACT)
        cache = self.context.setdefault("session_impact", {})
        if session.pk not in cache:
            page = getattr(self.parent, "instance", None) or [session]
            cache.update(dict.fromkeys(member.pk for member in page))
            cache.update(sessions_impact(sessions=page))
        impact = cache[session.pk]
        return impact.impact_as_dict() if impact is not None else None


class SheetUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The session's template, filled in.")
    villages = serializers.JSONField(
        required=False,
        help_text=(
            "What to do with each village the sheet names that is not in its "
            "district's list, as a JSON object: the key the dry run gives in "
            '`unknown_villages` → `"new"` (add the village), the id of one of '
            "that district's villages, or `\"\"` (leave the people's village "
            "empty, the default: no village is ever added unasked)."
        ),
    )

    def validate_villages(self, value):
        if not isinstance(value, dict) or not all(
            isinstance(key, str) and isinstance(choice, str | int)
            for key, choice in value.items()
        ):
            raise serializers.ValidationError(
                _('Give an object: village key → "new", a village id or "".')
            )
        return {key: str(choice) for key, choice in value.items()}


class ImportOptionsSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField(
        default=False, help_text="Check the sheet and report; save nothing."
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's number in the sheet.")
    name = serializers.CharField()
    outcome = serializers.ChoiceField(
        choices=["new", "enrolled", "updated", "unchanged"],
        help_text="new: a new person; enrolled: a person already registered, "
        "newly enrolled; updated: an enrolled person whose details, attendance "
        "or scores change; unchanged: nothing changes.",
    )
    changed_fields = serializers.ListField(
        child=serializers.CharField(), help_text="The person's details that change."
    )
    attendance = serializers.DictField(
        child=serializers.CharField(), help_text="The mark read for each day."
    )
    attendance_changed = serializers.ListField(
        child=serializers.DateField(), help_text="The days whose mark changes."
    )
    scores = serializers.DictField(
        child=serializers.CharField(), help_text="The scores read."
    )
    scores_changed = serializers.ListField(child=serializers.CharField())
    unknown_village = serializers.CharField(
        allow_null=True, help_text="The key of the row's unknown village, if any."
    )


class VillageChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnknownVillageSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The key to give in `villages`.")
    district = serializers.CharField(help_text="The district's code.")
    district_name = serializers.CharField()
    name = serializers.CharField(help_text="The village as the sheet names it.")
    rows = serializers.ListField(child=serializers.IntegerField())
    choices = VillageChoiceSerializer(many=True, help_text="The district's villages.")
    may_create = serializers.BooleanField(help_text="Whether you may add it.")
    choice = serializers.CharField(help_text="The choice applied.")


class ImportReportSerializer(serializers.Serializer):
    new = serializers.IntegerField(help_text="New people.")
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    errors = RowErrorSerializer(many=True, help_text="The first errors only.")
    error_count = serializers.IntegerField(help_text="How many errors in all.")
    notes = serializers.ListField(child=serializers.CharField())
    committed = serializers.BooleanField()
    enrolled = serializers.IntegerField(
        help_text="People already registered whom the sheet enrols."
    )
    days = serializers.ListField(
        child=serializers.DateField(), help_text="The session days the sheet has."
    )
    rows = ImportRowSerializer(many=True)
    unknown_villages = UnknownVillageSerializer(many=True)


class OutcomeSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(source="enrolment.pk")
    person = serializers.CharField(source="enrolment.person")
    reason = serializers.CharField()


class CompletionSerializer(serializers.Serializer):
    completed = OutcomeSerializer(many=True)
    not_completed = OutcomeSerializer(many=True)
    counts = SessionCountsSerializer()


class GenerationSerializer(GenderCountsSerializer):
    generation = serializers.IntegerField()


class CascadeSerializer(serializers.Serializer):
    total = GenderCountsSerializer()
    generations = GenerationSerializer(many=True)


class EnrolmentSerializer(PolicyModelSerializer):
    person_name = serializers.CharField(source="person", read_only=True)
    # Only in the answer to an enrolment; left out where an enrolment has none.
    message = serializers.CharField(
        read_only=True, help_text="Who was registered, or which person was reused."
    )
    # Stored as codes; answered in the request's language, with any note.
    completion_note = serializers.CharField(source="completion_reason", read_only=True)
    # Long and external programmes: the status in their words (set through status).
    study_status = serializers.ChoiceField(choices=StudyStatus.choices, read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "person",
            "person_name",
            "role",
            "status",
            "pre_score",
            "post_score",
            "completion_note",
            "message",
            "study_status",
            "study_ended_on",
            "returned_on",
            "return_position",
        ]
        read_only_fields = ["session", "person", "completion_note"]


class EnrolSerializer(PolicyModelSerializer):
    """A session plus either a registered person's id or the person's details."""

    session = serializers.PrimaryKeyRelatedField(queryset=Session.objects.all())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        help_text="A registered person; when given, the details below are ignored.",
    )
    role = serializers.ChoiceField(
        choices=Enrolment.Role.choices, default=Enrolment.Role.PARTICIPANT
    )

    class Meta:
        model = Person
        fields = ["session", "person", "role", *PERSON_DETAILS]
        extra_kwargs = {"full_name": {"required": False}}

    def validate(self, attrs):
        if "person" not in attrs and not attrs.get("full_name"):
            raise serializers.ValidationError(
                {"full_name": self.fields["full_name"].error_messages["required"]}
            )
        return attrs


class AttendanceSerializer(PolicyModelSerializer):
    date = serializers.DateField(source="day.date", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "enrolment", "day", "date", "status"]


class AttendanceDaySerializer(serializers.Serializer):
    day = serializers.IntegerField(help_text="A day of the session (see its `days`).")
    statuses = serializers.DictField(
        child=serializers.ChoiceField(
            choices=Attendance.Status.choices, allow_blank=True
        ),
        help_text='Enrolment id → status; "" clears that day\'s mark.',
    )

    def validate_statuses(self, statuses):
        enrolment_id = serializers.IntegerField()
        return {
            enrolment_id.run_validation(key): value for key, value in statuses.items()
        }


SESSION_SCOPE = (
    " Administrators and managers see every session; a trainer those they lead or "
    "created; anyone else none. Changes: administrators and trainers, within the "
    "sessions they see."
)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema_view(
    list=extend_schema(
        description="The course catalogue: each course with its titles, kind, "
        "objectives and completion rule (minimum attendance and post-test score). "
        "Every signed-in user reads it all; `kind` narrows the list."
    ),
    retrieve=extend_schema(
        description="One course of the catalogue, by id. Every signed-in user reads it."
    ),
    create=extend_schema(
        description="Add a course to the catalogue (the admin's permission to add "
        "courses). The answer is the stored course."
    ),
    update=extend_schema(
        description="Replace a course's details (the admin's permission to change "
        "courses)."
    ),
    partial_update=extend_schema(
        description="Change some of a course's details (the admin's permission to "
        "change courses)."
    ),
)
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The course catalogue: every signed-in user reads it."""

    queryset = Course.objects.all()
    serializer_class = CourseSerializer
    filterset_fields = ["kind"]

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = course_create(**serializer.validated_data)

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = course_update(
                course=serializer.instance, **serializer.validated_data
            )


@extend_schema_view(
    list=extend_schema(
        description="Training sessions the user sees, with their days, places, "
        "trainers, links and counts of participants, completions, learning and "
        "impact by gender. `status`, `course` and `district` narrow the list."
        + SESSION_SCOPE
    ),
    retrieve=extend_schema(
        description="One session, by id, among those the user sees." + SESSION_SCOPE
    ),
    create=extend_schema(
        description="Schedule a session (the admin's permission to add sessions); "
        "the user is recorded as its creator." + SESSION_SCOPE
    ),
    update=extend_schema(description="Replace a session's details." + SESSION_SCOPE),
    partial_update=extend_schema(
        description="Change some of a session's details." + SESSION_SCOPE
    ),
)
class SessionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SessionSerializer
    filterset_fields = ["status", "course", "district"]

    def get_queryset(self):
        return sessions_visible_to(self.request.user).prefetch_related(
            "partners", "funders", "projects", "led_by", "days"
        )

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = session_create(
                created_by=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = session_update(
                session=serializer.instance, **serializer.validated_data
            )

    @extend_schema(
        responses={(200, XLSX): OpenApiTypes.BINARY},
        description="The spreadsheet template to fill in at the session: one row "
        "per enrolled person." + SESSION_SCOPE,
    )
    @action(detail=True, url_path="sheet.xlsx")
    def sheet_xlsx(self, request, pk=None):
        """The spreadsheet template to fill in at the session."""
        return _attachment(
            *sheet_template(
                session=self.get_object(), file_format="xlsx", for_user=request.user
            )
        )

    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        description="The sheet template as CSV, for those without a spreadsheet "
        "program." + SESSION_SCOPE,
    )
    @action(detail=True, url_path="sheet.csv")
    def sheet_csv(self, request, pk=None):
        """The template as CSV, for those without a spreadsheet program."""
        return _attachment(
            *sheet_template(
                session=self.get_object(), file_format="csv", for_user=request.user
            )
        )

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        description="The printable sign-in sheet of the session, as PDF."
        + SESSION_SCOPE,
    )
    @action(detail=True, url_path="sheet.pdf")
    def sheet_pdf(self, request, pk=None):
        """The printable sign-in sheet."""
        session = self.get_object()
        return _attachment(
            sign_in_sheet_pdf(session=session),
            "application/pdf",
            f"{session.code}-sign-in.pdf",
        )

    @extend_schema(
        description="Import a filled sheet, all or nothing: 400 with the row "
        "errors saves nothing. With `dry_run` only the report comes back."
        + SESSION_SCOPE,
        request={"multipart/form-data": SheetUploadSerializer},
        parameters=[ImportOptionsSerializer],
        responses={200: ImportReportSerializer, 400: ImportReportSerializer},
    )
    @upload_limit("SUKSA_SHEET_MAX_BYTES")
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_sheet(self, request, pk=None):
        """Import a filled sheet, all or nothing: 400 with the row errors saves
        nothing. With `dry_run` only the report comes back."""
        session = self.get_object()
        options = ImportOptionsSerializer(data=request.query_params)
        options.is_valid(raise_exception=True)
        upload = SheetUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        dry_run = options.validated_data["dry_run"]
        report = sheet_import(
            session=session,
            content=file.read(),
            filename=file.name,
            dry_run=dry_run,
            by=request.user,
            village_choices=upload.validated_data.get("villages"),
        )
        refused = bool(report.errors) and not dry_run
        return Response(
            report.as_dict(),
            status=status.HTTP_400_BAD_REQUEST if refused else status.HTTP_200_OK,
        )

    @extend_schema(
        request=None,
        responses=CompletionSerializer,
        description="Apply the course's completion rule to every participant; the "
        "answer lists who completed and who did not, with the counts." + SESSION_SCOPE,
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Apply the course's completion rule to every participant."""
        session = self.get_object()
        with service_errors():
            outcomes = session_complete(session=session)
        completion = {
            "completed": [outcome for outcome in outcomes if outcome.completed],
            "not_completed": [outcome for outcome in outcomes if not outcome.completed],
            "counts": session_counts(session=session),
        }
        return Response(CompletionSerializer(completion).data)

    @extend_schema(
        responses=CascadeSerializer,
        description="People trained downstream of this session's graduates, by "
        "generation." + SESSION_SCOPE,
    )
    @action(detail=True)
    def cascade(self, request, pk=None):
        """People trained downstream of this session's graduates, by generation."""
        return Response(cascade_reach(session=self.get_object()).as_dict())


@extend_schema_view(
    list=extend_schema(
        description="Enrolments (a person in a session, as participant or "
        "trainer, with their status and test scores) of the sessions the user "
        "sees. `session`, `role` and `status` narrow the list." + SESSION_SCOPE
    ),
    retrieve=extend_schema(
        description="One enrolment, by id, in a session the user sees." + SESSION_SCOPE
    ),
    create=extend_schema(
        request=EnrolSerializer,
        responses={201: EnrolmentSerializer},
        description="Enrol a registered person, or someone by their details: a "
        "person already registered with the same phone, or name, birth year and "
        "district, is reused rather than registered twice (`message` says which). "
        "201 for a new enrolment, 200 when they were already enrolled." + SESSION_SCOPE,
    ),
    update=extend_schema(
        description="Replace an enrolment's role, status or scores." + SESSION_SCOPE
    ),
    partial_update=extend_schema(
        description="Change some of an enrolment's role, status or scores."
        + SESSION_SCOPE
    ),
)
class EnrolmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EnrolmentSerializer
    filterset_fields = ["session", "role", "status"]

    def get_queryset(self):
        return enrolments_visible_to(self.request.user)

    def create(self, request, *args, **kwargs):
        """Enrol a registered person, or someone by their details: a person already
        registered with the same phone, or name, birth year and district, is reused
        rather than registered twice (`message` says which)."""
        enrol = EnrolSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        enrol.is_valid(raise_exception=True)
        details = dict(enrol.validated_data)
        session = details.pop("session")
        self.check_object_permissions(request, session)
        with service_errors():
            enrolment, created = self._enrol(session, **details)
        return Response(
            self.get_serializer(enrolment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _enrol(self, session, *, role, person=None, **details):
        if person is not None:
            enrolment, created = enrolment_add(
                session=session, person=person, role=role
            )
            enrolment.message = "" if created else _("They were already enrolled.")
            return enrolment, created
        result = enrolment_enrol(
            session=session, role=role, created_by=self.request.user, **details
        )
        result.enrolment.message = result.message
        return result.enrolment, result.enrolment_created

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = enrolment_update(
                enrolment=serializer.instance, **serializer.validated_data
            )


class AttendanceFilter(FilterSet):
    session = IntegerFilter(field_name="day__session")

    class Meta:
        model = Attendance
        fields = ["session", "day", "enrolment"]


@extend_schema_view(
    list=extend_schema(
        description="Attendance marks (one person on one day of a session) of the "
        "sessions the user sees, by date then name. `session`, `day` and "
        "`enrolment` narrow the list." + SESSION_SCOPE
    ),
    create=extend_schema(
        description="Record one day of a session for many people at once; the "
        "answer counts the marks changed." + SESSION_SCOPE,
        request=AttendanceDaySerializer,
        responses=inline_serializer(
            "AttendanceRecorded", {"changed": serializers.IntegerField()}
        ),
    ),
)
class AttendanceViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilter

    def get_queryset(self):
        return (
            Attendance.objects.filter(
                day__session__in=sessions_visible_to(self.request.user)
            )
            .select_related("day")
            .order_by("day__date", "enrolment__person__full_name")
        )

    def create(self, request, *args, **kwargs):
        """Record one day for many people at once."""
        marks = AttendanceDaySerializer(data=request.data)
        marks.is_valid(raise_exception=True)
        day = get_object_or_404(
            SessionDay.objects.filter(session__in=sessions_visible_to(request.user)),
            pk=marks.validated_data["day"],
        )
        self.check_object_permissions(request, day)
        with service_errors():
            changed = attendance_record_day(
                day=day, statuses=marks.validated_data["statuses"]
            )
        return Response({"changed": changed})
