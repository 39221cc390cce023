"""API v1: projects, read-only (the admin changes them); scoped by the policy."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .models import Project
from .selectors import projects_visible_to


class ProjectSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(
        source="tag_list", child=serializers.CharField(), read_only=True
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title_lo",
            "title_en",
            "funders",
            "partners",
            "starts_on",
            "ends_on",
            "provinces",
            "districts",
            "outcome_code",
            "tags",
            "description",
        ]
        read_only_fields = fields


PROJECT_SCOPE = (
    " Every staff member reads every project; promoters and visitors none. Projects "
    "are changed in the admin only."
)


@extend_schema_view(
    list=extend_schema(
        description="Projects with their funders, partners, target provinces and "
        "districts (ids), period, outcome code and SDG/indicator tags, by code. No "
        "filters." + PROJECT_SCOPE
    ),
    retrieve=extend_schema(description="One project, by id." + PROJECT_SCOPE),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects with their funders, partners, target provinces and districts (ids),
    period, outcome code and SDG/indicator tags."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_visible_to(self.request.user).order_by("code")
