"""API v1 for people: scoped by role, phone numbers masked for those who only read."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from accounts.roles import ADMINISTRATORS, TRAINERS, user_has_role
from config.api_errors import service_errors
from trainings.selectors import people_visible_to

from .models import Person
from .selectors import person_search
from .services import PERSON_DETAILS, person_create, person_update

MASK = "•••"


def user_sees_phone_numbers(user) -> bool:
    return user_has_role(user, ADMINISTRATORS, TRAINERS)


def phone_masked(phone: str) -> str:
    """ "020 5551 2345" → "020 ••• ••45": enough to tell two numbers apart, not to
    call someone."""
    digits = "".join(character for character in phone if character.isdigit())
    if len(digits) < 6:
        return MASK if phone else ""
    return f"{digits[:3]} {MASK} ••{digits[-2:]}"


class PersonSerializer(serializers.ModelSerializer):
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


class ReadOrRegisterPeople(BasePermission):
    """Managers read; administrators and trainers also register and correct."""

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or user_sees_phone_numbers(request.user)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Name in Lao or Latin letters (for a phone number, "
                "POST search/).",
            )
        ]
    )
)
class PersonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = PersonSerializer
    permission_classes = [IsAuthenticated, ReadOrRegisterPeople]

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
        "so that a phone number never appears in a URL or a server log.",
    )
    # Only for those whose work needs phone numbers (ReadOrRegisterPeople on POST).
    @action(detail=False, methods=["post"])
    def search(self, request):
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
            serializer.instance = person_create(
                created_by=self.request.user, **serializer.validated_data
            )

    def perform_update(self, serializer):
        with service_errors():
            serializer.instance = person_update(
                person=serializer.instance, **serializer.validated_data
            )
