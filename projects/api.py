"""API v1: projects, read-only (the admin changes them); scoped by the policy."""

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


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Projects with their funders, partners, target provinces and districts (ids),
    period, outcome code and SDG/indicator tags."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_visible_to(self.request.user).order_by("code")
