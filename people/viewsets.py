from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .forms import PersonForm
from .models import Organisation, Person
from .selectors import person_search


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    name = "organisations"
    icon = "group"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["name", "kind"]


class PersonIndexView(IndexView):
    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return person_search(queryset=queryset, query=self.search_query)


class PersonViewSet(ModelViewSet):
    model = Person
    name = "people"
    icon = "user"
    index_view_class = PersonIndexView
    list_display = ["full_name", "latin_name", "gender", "organisation", "district"]
    list_filter = ["gender", "organisation__kind", "district__province"]
    search_fields = ["full_name", "latin_name"]
    list_export = [
        "full_name",
        "latin_name",
        "gender",
        "birth_year",
        "organisation",
        "position",
        "district",
        "village",
    ]
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return PersonForm

    def get_queryset(self, request):
        return Person.objects.select_related(
            "organisation", "district__province", "village__district__province"
        )


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 200
    items = (PersonViewSet, OrganisationViewSet)
