"""API v1 for people: scoped by role, phone numbers masked for those who only read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied

from access import policy
from access.api import PolicyModelSerializer
from common.api_errors import service_errors
from common.phones import phone_masked

from .models import Person
from .selectors import person_search
from .services import PERSON_DETAILS, person_register, person_update

# Who sees full numbers is access.policy's; these names stay for the callers.
user_sees_phone_numbers = policy.sees_phone_numbers
people_visible_to = policy.people_visible


class PersonSerializer(PolicyModelSerializer):
    class Meta:
        model = Person
        fields = ["id", *PERSON_DETAILS, "created_at", "updated_at"]

    def to_representation(self, person):
        data = super().to_representation(person)
        if self.context.get("mask_phone", True):
            data["phone"] = phone_masked(person.phone)
        return data


class PersonSearchSerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200)


PEOPLE_SCOPE = (
    " Administrators and managers see everyone; a trainer the people enrolled in "
    "the sessions they lead or created and those they registered; a district "
    "officer those they registered, those of their offices' districts and those "
    "districts' promoters; anyone else nobody. Phone numbers are masked except "
    "for administrators and trainers."
)


@extend_schema_view(
    list=extend_schema(
        description="People (participants, trainers, promoters) the user sees, "
        "one page at a time, searched by name with `q`." + PEOPLE_SCOPE,
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Name in Lao or Latin letters (for a phone number, "
                "POST search/).",
            )
        ],
    ),
    retrieve=extend_schema(
        description="One person, by id, among those the user sees." + PEOPLE_SCOPE
    ),
    create=extend_schema(
        description="Register a person (with the admin's permission to add "
        "people). The answer is the stored person." + PEOPLE_SCOPE
    ),
    update=extend_schema(
        description="Replace a person's details, among those the user sees and "
        "may change (the admin's permission to change people)." + PEOPLE_SCOPE
    ),
    partial_update=extend_schema(
        description="Change some of a person's details, among those the user sees "
        "and may change (the admin's permission to change people)." + PEOPLE_SCOPE
    ),
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer

    def get_queryset(self):
        people = people_visible_to(self.request.user)
        if self.action == "list":
            # By name only: a query string lands in server logs, so phone numbers
            # are searched through POST search/ instead.
            return person_search(
                queryset=people,
                query=self.request.query_params.get("q", ""),
                by_phone=False,
            )
        return people

    @extend_schema(
        request=PersonSearchSerializer,
        responses=PersonSerializer(many=True),
        description="Search by name or phone number (digits in any format). POST, "
        "so that a phone number never appears in a URL or a server log. Only for "
        "administrators and trainers (403 for others); the answer is a page of the "
        "people they see.",
    )
    # Only for those whose work needs phone numbers.
    @action(detail=False, methods=["post"])
    def search(self, request):
        if not policy.sees_phone_numbers(request.user):
            raise PermissionDenied
        query = PersonSearchSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        people = person_search(
            queryset=people_visible_to(request.user), query=query.validated_data["q"]
        )
        page = self.paginate_queryset(people)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "mask_phone": not user_sees_phone_numbers(self.request.user),
        }

    def perform_create(self, serializer):
        with service_errors():
            serializer.instance = person_register(
                among=people_visible_to(self.request.user),
                created_by=self.request.user,
                **serializer.validated_data,
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = person_update(
                person=serializer.instance, **serializer.validated_data
            )
