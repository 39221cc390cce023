from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from .models import District, Province
from .selectors import district_list


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "code", "iso", "name_lo", "name_en"]


class DistrictSerializer(serializers.ModelSerializer):
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = District
        fields = ["id", "code", "province", "name_lo", "name_en"]


@extend_schema_view(
    list=extend_schema(
        description="The provinces of Laos, with their code, ISO code and names in "
        "Lao and English. Every signed-in user reads them all; no filters."
    ),
    retrieve=extend_schema(
        description="One province, by id. Every signed-in user reads it."
    ),
)
class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer


@extend_schema_view(
    list=extend_schema(
        description="The districts of Laos, with their code, their province's code "
        "and names in Lao and English. Every signed-in user reads them all; "
        "`province__code` narrows the list to one province."
    ),
    retrieve=extend_schema(
        description="One district, by id. Every signed-in user reads it."
    ),
)
class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DistrictSerializer
    filterset_fields = ["province__code"]

    def get_queryset(self):
        return district_list()
