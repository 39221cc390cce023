from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from access.forms import PolicyFormMixin
from access.policy import handles_data_requests, people_visible

from .models import Person
from .selectors import person_find_duplicates
from .services import (
    PERSON_DETAILS,
    person_create,
    person_ensure_periods_open,
    person_match,
    person_update,
)


class PersonForm(WagtailAdminModelForm):
    """Admin form for a person: warns of likely duplicates, saves through services."""

    not_a_duplicate = forms.BooleanField(
        label=_("This is a different person"),
        required=False,
        help_text=_("Tick to save although a similar person already exists."),
    )

    class Meta:
        model = Person
        fields = [*PERSON_DETAILS, "user"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Linking a record to an account gives that account the person's sessions:
        # only administrators may do it.
        if not handles_data_requests(self.for_user):
            self.fields.pop("user", None)
        self.duplicates = []

    def clean(self):
        cleaned = super().clean()
        if self.errors or cleaned.get("not_a_duplicate"):
            return cleaned
        details = {
            "full_name": cleaned.get("full_name", ""),
            "birth_year": cleaned.get("birth_year"),
            "district": cleaned.get("district"),
            "phone": cleaned.get("phone", ""),
            "exclude": self.instance,
        }
        # Only people the user may see are named; a match outside their scope is
        # not revealed: the new record is flagged as its possible duplicate.
        among = people_visible(self.for_user)
        found = person_match(among=among, **details)
        self.possible_duplicate_of = found.outside
        duplicates = person_find_duplicates(**details).filter(
            pk__in=among.values("pk")
        )[:5]
        self.duplicates = list(duplicates)
        if duplicates:
            names = format_html_join(", ", "{}", ((str(p),) for p in duplicates))
            raise forms.ValidationError(
                _(
                    "A similar person is already registered: %(names)s. Open that "
                    "record instead, or tick “This is a different person”."
                )
                % {"names": names}
            )
        return cleaned

    def _post_clean(self):
        # The instance now holds the new values: an approved period refuses them
        # here, on the form, rather than on save.
        super()._post_clean()
        try:
            person_ensure_periods_open(person=self.instance)
        except ValidationError as error:
            self.add_error(None, error)

    def save(self, commit=True):
        values = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.Meta.fields
        }
        if self.instance.pk:
            self.instance = person_update(person=self.instance, **values)
        else:
            self.instance = person_create(
                created_by=self.for_user,
                possible_duplicate_of=getattr(self, "possible_duplicate_of", None),
                **values,
            )
        return self.instance


class PersonQuickForm(PolicyFormMixin, PersonForm):
    """Registering someone on the spot (the chooser's "new person" tab, a session's
    "Add participants"): the details a trainer asks, the same duplicate check; the
    likely duplicates found are kept in ``duplicates`` to be offered instead."""

    class Meta(PersonForm.Meta):
        fields = [
            "full_name",
            "latin_name",
            "gender",
            "birth_year",
            "phone",
            "organisation",
            "position",
            "district",
        ]
