import django_filters
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views import generic
from wagtail.admin.views.generic import IndexView, history, usage
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.admin.widgets.button import Button

from access import policy
from access.admin import PolicyModelViewSet
from access.filters import PolicyWagtailFilterSet
from common.admin_views import ScopedObjectMixin
from common.phones import phone_masked

from . import admin_views
from .forms import PersonForm
from .models import Organisation, Person
from .selectors import person_search
from .services import organisation_save


class OrganisationEditView(generic.EditView):
    """Saves through ``organisation_save``: a change of kind reaches the reports."""

    def save_instance(self):
        return organisation_save(
            organisation=self.form.instance, save=super().save_instance
        )


class OrganisationViewSet(PolicyModelViewSet):
    model = Organisation
    name = "organisations"
    icon = "group"
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["name", "kind"]
    edit_view_class = OrganisationEditView


def _people_visible_to(user):
    return policy.people_visible(user)


class VisiblePersonMixin(ScopedObjectMixin):
    def get_scope(self):
        return _people_visible_to(self.request.user)


class PersonEditView(VisiblePersonMixin, generic.EditView):
    pass


class PersonDeleteView(VisiblePersonMixin, generic.DeleteView):
    pass


class PersonInspectView(VisiblePersonMixin, generic.InspectView):
    def get_fields(self):
        fields = super().get_fields()
        # The person a record may duplicate can be outside the user's scope: only
        # those who merge records (administrators) see who it is.
        if not policy.handles_data_requests(self.request.user):
            fields = [name for name in fields if name != "possible_duplicate_of"]
        return fields

    def get_possible_duplicate_of_display_value(self):
        other = self.object.possible_duplicate_of
        if other is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("people:inspect", args=[other.pk]),
            _("%(person)s (no. %(pk)s): check and merge")
            % {"person": other, "pk": other.pk},
        )

    def get_phone_display_value(self):
        # Masked for those whose work needs no phone numbers (managers).
        if policy.sees_phone_numbers(self.request.user):
            return self.object.phone
        return phone_masked(self.object.phone)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if admin_views.user_may_handle_data_requests(self.request.user):
            pk = self.object.pk
            buttons.append(
                Button(
                    _("Personal data"),
                    url=reverse("people:personal_data", args=[pk]),
                    icon_name="download",
                    priority=30,
                )
            )
            if self.object.erased_at is None:
                buttons.append(
                    Button(
                        _("Erase personal data"),
                        url=reverse("people:erase", args=[pk]),
                        icon_name="bin",
                        priority=40,
                    )
                )
        return buttons


class PersonHistoryView(VisiblePersonMixin, history.HistoryView):
    pass


class PersonUsageView(VisiblePersonMixin, usage.UsageView):
    pass


class PersonFilterSet(PolicyWagtailFilterSet):
    possible_duplicate = django_filters.BooleanFilter(
        label=_("Possible duplicates to merge"),
        method="filter_possible_duplicate",
        widget=django_filters.widgets.BooleanWidget(),
    )

    class Meta:
        model = Person
        fields = ["gender", "organisation__kind", "district__province"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if not policy.handles_data_requests(getattr(request, "user", None)):
            del self.filters["possible_duplicate"]

    def filter_possible_duplicate(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(possible_duplicate_of__isnull=not value)


class PersonIndexView(IndexView):
    def get_base_queryset(self):
        return _people_visible_to(self.request.user)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        # By name only: this search travels in the URL, so phone numbers are looked
        # up through the POST form of "Find by phone number" instead.
        return person_search(queryset=queryset, query=self.search_query, by_phone=False)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if policy.sees_phone_numbers(self.request.user):
            buttons.append(
                Button(
                    _("Find by phone number"),
                    url=reverse("people:phone_search"),
                    icon_name="search",
                )
            )
        return buttons


class PersonViewSet(PolicyModelViewSet):
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
    filterset_class = PersonFilterSet
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
    # The duplicate-detection keys repeat the name and the phone number unmasked.
    inspect_view_fields_exclude = ["name_key", "phone_key"]

    def get_form_class(self, for_update=False):
        return PersonForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "personal-data/<int:pk>/",
                admin_views.PersonExportView.as_view(),
                name="personal_data",
            ),
            path(
                "erase/<int:pk>/",
                admin_views.PersonEraseView.as_view(),
                name="erase",
            ),
            path(
                "find-by-phone/",
                admin_views.PersonPhoneSearchView.as_view(),
                name="phone_search",
            ),
        ]

    def get_queryset(self, request):
        return _people_visible_to(request.user).select_related(
            "district__province", "village__district__province"
        )


class PeopleViewSetGroup(ModelViewSetGroup):
    menu_label = _("People")
    menu_icon = "group"
    menu_order = 200
    items = (PersonViewSet, OrganisationViewSet)
