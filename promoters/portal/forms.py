"""Portal forms. Every message is our own translated text: Django ships no Lao, so its
built-in messages ("This field is required.") would reach a Lao promoter in English."""

import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UsernameField
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from promoters.models import GENDER_FIELDS, GENDER_LABELS, ActivityKind
from trainings.forms import FOLLOW_UP_FIELDS, FollowUpAnswersMixin
from trainings.models import TraineeFollowUp

from .access import is_portal_user

# The most people one village meeting can count in one gender: catches a typo such as
# 1200 for 12 before it reaches the reports.
MAX_PEOPLE = 5000
# The kinds of activity a promoter runs and records here; mobile registration and
# payment drives take money and are recorded by LSSO and district staff in the admin.
PORTAL_KINDS = [
    (ActivityKind.DISSEMINATION.value, ActivityKind.DISSEMINATION.label),
    (ActivityKind.WORKPLACE.value, ActivityKind.WORKPLACE.label),
]
COUNT_GROUPS = {
    "turnout": _("People who came"),
    "registrations": _("People who registered"),
}


class PortalLoginForm(AuthenticationForm):
    username = UsernameField(
        label=_("Username or phone number"),
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _(
            "The username or phone number and the password do not match an account. "
            "Check both and try again."
        ),
        "inactive": _("This account is switched off. Ask your district officer."),
        "not_a_promoter": _(
            "This portal is for promoters. Staff sign in on the staff sign-in page."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _(
            "Enter your username or phone number."
        )
        self.fields["password"].error_messages["required"] = _("Enter your password.")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_portal_user(user):
            raise ValidationError(
                self.error_messages["not_a_promoter"], code="not_a_promoter"
            )


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, village):
        return village.name


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, topic):
        return topic.name


class MaterialChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, material):
        return material.title


def count_field(label) -> forms.IntegerField:
    """A head count: empty means 0; digits only, so a phone shows its number pad."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_PEOPLE,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "min": 0, "placeholder": "0"}
        ),
        error_messages={
            "invalid": _("Write a number of people in digits, for example 12."),
            "min_value": _("The number of people cannot be below 0."),
            "max_value": _(
                "That is more than %(limit_value)s people: check the number."
            ),
        },
    )


class MeetingForm(forms.Form):
    """A village meeting as the promoter reports it. The rules that need the database
    (village served, future date, registrations within turnout) are
    ``promoters.services.meeting_record``'s; their messages come back to the fields."""

    # Made when the form is drawn, so a form sent twice (a reload, a replay by a flaky
    # connection or by the offline queue) is stored once.
    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form is damaged. Reload it and try again."),
            "invalid": _("The form is damaged. Reload it and try again."),
        },
    )
    village = VillageChoiceField(
        label=_("Village"),
        queryset=None,
        empty_label=_("Choose the village"),
        error_messages={
            "required": _("Choose the village where the meeting was held."),
            "invalid_choice": _("Choose one of the villages in the list."),
        },
    )
    date = forms.DateField(
        label=_("Date of the meeting"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the meeting."),
            "invalid": _("Enter the date as day/month/year, for example 25/05/2023."),
        },
    )
    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=PORTAL_KINDS,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the kinds in the list.")},
    )
    topics = TopicChoiceField(
        label=_("Topics"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose topics from the list.")},
    )
    materials = MaterialChoiceField(
        label=_("Materials used"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose materials from the list.")},
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _("Keep the notes under %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, villages, topics, materials, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("client_uuid", uuid.uuid4())
        kwargs["initial"].setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["topics"].queryset = topics
        self.fields["materials"].queryset = materials
        if villages.count() == 1:
            self.fields["village"].initial = villages.get()
        for group, group_label in COUNT_GROUPS.items():
            for gender in GENDER_FIELDS:
                field = count_field(GENDER_LABELS[gender])
                field.group = group
                field.group_label = group_label
                self.fields[f"{group}_{gender}"] = field
        self.order_fields(["client_uuid", "village", "date", "kind"])

    def count_rows(self) -> list[tuple[str, list]]:
        """(group label, its four bound fields) for the two count tables."""
        return [
            (label, [self[f"{group}_{gender}"] for gender in GENDER_FIELDS])
            for group, label in COUNT_GROUPS.items()
        ]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ActivityKind.DISSEMINATION

    def counts(self, group: str) -> dict[str, int]:
        return {
            gender: self.cleaned_data.get(f"{group}_{gender}") or 0
            for gender in GENDER_FIELDS
        }

    def clean(self):
        cleaned = super().clean()
        turnout_fields = [f"turnout_{gender}" for gender in GENDER_FIELDS]
        if not any(name in self.errors for name in turnout_fields) and not any(
            cleaned.get(name) for name in turnout_fields
        ):
            self.add_error(
                "turnout_women",
                _("Enter how many people came: at least one person in one box."),
            )
        return cleaned


class FollowUpForm(FollowUpAnswersMixin, forms.ModelForm):
    """What the trainee did since their training, in their own words (answering
    is what makes it done)."""

    class Meta:
        model = TraineeFollowUp
        fields = [name for name in FOLLOW_UP_FIELDS if name != "status"]
        labels = {
            "used_learning": _("Have you used what you learned?"),
            "people_trained": _("How many people have you trained since?"),
            "meetings_led": _("How many meetings have you led?"),
            "people_registered": _("How many people have you registered?"),
            "comment": _("Anything to add"),
        }
