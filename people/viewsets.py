from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.views.generic import IndexView, history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from config.admin_views import ScopedObjectMixin

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


def _people_visible_to(user):
    # Who may see whom depends on trainings (enrolments); read through its selector.
    from trainings.selectors import people_visible_to

    return people_visible_to(user)


class VisiblePersonMixin(ScopedObjectMixin):
    def get_scope(self):
        return _people_visible_to(self.request.user)


class PersonEditView(VisiblePersonMixin, generic.EditView):
    pass


class PersonDeleteView(VisiblePersonMixin, generic.DeleteView):
    pass


class PersonInspectView(VisiblePersonMixin, generic.InspectView):
    pass


class PersonHistoryView(VisiblePersonMixin, history.HistoryView):
    pass


class PersonUsageView(VisiblePersonMixin, usage.UsageView):
    pass


class PersonIndexView(IndexView):
    def get_base_queryset(self):
        return _people_visible_to(self.request.user)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return person_search(queryset=queryset, query=self.search_query)


class PersonViewSet(ModelViewSet):
    model = Person
    name = "people"
    icon = "user"
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
    delete_view_class = PersonDeleteView
    inspect_view_class = PersonInspectView
    history_view_class = PersonHistoryView
    usage_view_class = PersonUsageView
    copy_view_enabled = False
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
        return _people_visible_to(request.user).select_related(
            "district__province", "village__district__province"
        )


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 200
    items = (PersonViewSet, OrganisationViewSet)
