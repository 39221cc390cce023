from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSetGroup

from access.admin import PolicyModelViewSet

from .models import District, Province, Village
from .services import district_save


class DistrictEditView(generic.EditView):
    """Saves through ``district_save``: a change of province reaches the reports."""

    def save_instance(self):
        return district_save(district=self.form.instance, save=super().save_instance)


class ProvinceViewSet(PolicyModelViewSet):
    model = Province
    name = "provinces"
    icon = "site"
    menu_order = 100
    list_display = ["code", "name_lo", "name_en", "iso"]
    search_fields = ["code", "name_lo", "name_en"]
    form_fields = ["code", "iso", "name_lo", "name_en"]
    list_per_page = 50


class DistrictViewSet(PolicyModelViewSet):
    model = District
    name = "districts"
    icon = "site"
    list_display = ["code", "name_lo", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_lo", "name_en"]
    form_fields = ["province", "code", "name_lo", "name_en"]
    list_per_page = 50
    edit_view_class = DistrictEditView

    def get_queryset(self, request):
        return District.objects.select_related("province")


class VillageViewSet(PolicyModelViewSet):
    model = Village
    name = "villages"
    icon = "home"
    list_display = ["name_lo", "name_en", "district"]
    list_filter = ["district__province"]
    search_fields = ["name_lo", "name_en", "district__name_lo", "district__name_en"]
    form_fields = ["district", "name_lo", "name_en"]
    list_per_page = 50

    def get_queryset(self, request):
        return Village.objects.select_related("district__province")


class PlacesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Places")
    menu_icon = "site"
    menu_order = 900
    items = (ProvinceViewSet, DistrictViewSet, VillageViewSet)
