"""Admin forms of the promoter network; they save through promoters.services."""

import uuid

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from access import policy
from common.widgets import SearchableSelectMultiple
from places.models import Village

from .models import GENDER_FIELDS, Campaign, CentreVisit, Promoter, VillageMeeting
from .selectors import (
    centres_visible_to,
    officer_district_ids,
    offices_visible_to,
    promoters_changeable_by,
    user_changes_all_promoters,
)
from .services import (
    campaign_save,
    centre_visit_record,
    centre_visit_update,
    meeting_record,
    meeting_update,
    promoter_create,
    promoter_update,
)


def _villages_for(user):
    if user_changes_all_promoters(user):
        return Village.objects.select_related("district")
    return Village.objects.select_related("district").filter(
        district_id__in=officer_district_ids(user)
    )


# Partners, funders and projects: searchable ticks, choices scoped by the policy
# (the admin's form mixin asks ``access.policy.choosable``).
LINKS = ("partners", "funders", "projects")
LINK_WIDGETS = {name: SearchableSelectMultiple for name in LINKS}


def _links(cleaned: dict) -> dict:
    return {name: cleaned.get(name, ()) for name in LINKS}


def _counts(cleaned: dict, prefix: str) -> dict[str, int]:
    return {gender: cleaned.get(f"{prefix}_{gender}") or 0 for gender in GENDER_FIELDS}


class PromoterForm(WagtailAdminModelForm):
    class Meta:
        model = Promoter
        fields = ["person", "role", "office", "village", "status"]
        fields += ["started_on", "ended_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None:
            self.fields["person"].queryset = policy.people_visible(self.for_user)
            self.fields["office"].queryset = offices_visible_to(self.for_user)
            self.fields["village"].queryset = _villages_for(self.for_user)

    def save(self, commit=True):
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.instance.pk:
            values.pop("person")
            self.instance = promoter_update(
                promoter=self.instance, user=self.for_user, **values
            )
        else:
            self.instance = promoter_create(user=self.for_user, **values)
        return self.instance


class PrivatePhotoInput(forms.ClearableFileInput):
    """Links the current photo to the privacy-checked view, never to /media/."""

    view_url = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = _PhotoLink(self.view_url)
        return context


class _PhotoLink:
    def __init__(self, url: str):
        self.url = url

    def __str__(self) -> str:
        return str(_("Photo of the signed sheet"))


class MeetingForm(WagtailAdminModelForm):
    class Meta:
        model = VillageMeeting
        fields = [
            "kind",
            "status",
            "date",
            "village",
            "campaign",
            "led_by",
            "led_by_office",
            "led_by_team",
            *LINKS,
            *[f"turnout_{gender}" for gender in GENDER_FIELDS],
            *[f"registrations_{gender}" for gender in GENDER_FIELDS],
            "contributions_lak",
            "contributions_people",
            "topics",
            "materials",
            "notes",
            "photo",
        ]
        widgets = LINK_WIDGETS

    class Media:
        css = {"all": ["css/admin-forms.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "status", "campaign", "led_by_office"):
            self.fields[name].widget.attrs["class"] = "suksa-fit"
        photo = self.fields["photo"]
        photo.widget = PrivatePhotoInput(attrs={"accept": "image/*"})
        if self.instance.pk:
            photo.widget.view_url = reverse(
                "promoters_sheets:meeting_photo", args=[self.instance.pk]
            )
        # Forms and scripts written before kinds and plans keep working: an empty
        # value is the model's default (a dissemination meeting that took place).
        for name in ("kind", "status", "contributions_lak", "contributions_people"):
            self.fields[name].required = False
        if self.for_user is not None:
            self.fields["led_by"].queryset = promoters_changeable_by(
                self.for_user
            ).filter(status=Promoter.Status.ACTIVE)
            self.fields["village"].queryset = _villages_for(self.for_user)

    def save(self, commit=True):
        data = self.cleaned_data
        relations = {
            "led_by": data.get("led_by") or [],
            "topics": data.get("topics", ()),
            "materials": data.get("materials", ()),
            **_links(data),
            "turnout": _counts(data, "turnout"),
            "registrations": _counts(data, "registrations"),
        }
        fields = {
            name: data.get(name)
            for name in (
                "kind",
                "status",
                "date",
                "village",
                "campaign",
                "led_by_office",
            )
        }
        fields["kind"] = fields["kind"] or VillageMeeting.Kind.DISSEMINATION
        fields["status"] = fields["status"] or VillageMeeting.Status.DONE
        fields["led_by_team"] = data.get("led_by_team", "")
        fields["notes"] = data.get("notes", "")
        fields["contributions_lak"] = data.get("contributions_lak") or 0
        fields["contributions_people"] = data.get("contributions_people") or 0
        photo = data.get("photo") or None
        if self.instance.pk:
            if "photo" in self.changed_data:
                fields["photo"] = photo or ""
            if "status" not in self.changed_data:
                # Left as it was: entering the turnout of a planned activity
                # makes it done (the service decides).
                fields.pop("status")
            self.instance = meeting_update(
                meeting=self.instance, user=self.for_user, **fields, **relations
            )
        else:
            self.instance, _created = meeting_record(
                user=self.for_user,
                client_uuid=uuid.uuid4(),
                photo=photo,
                **fields,
                **relations,
            )
        return self.instance


class CampaignForm(WagtailAdminModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name_lo",
            "name_en",
            "kind",
            "description",
            "starts_on",
            "ends_on",
            "districts",
            "villages",
            "lead_office",
        ]

    class Media:
        css = {"all": ["css/admin-forms.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "suksa-fit"

    def save(self, commit=True):
        data = self.cleaned_data
        for name in self.Meta.fields:
            if name not in ("districts", "villages"):
                setattr(self.instance, name, data.get(name))
        self.instance = campaign_save(
            campaign=self.instance,
            user=self.for_user,
            districts=data.get("districts", ()),
            villages=data.get("villages", ()),
        )
        return self.instance


class CentreVisitForm(WagtailAdminModelForm):
    class Meta:
        model = CentreVisit
        fields = [
            "centre",
            "date",
            *[f"visitors_{gender}" for gender in GENDER_FIELDS],
            "topics",
            *LINKS,
            "notes",
        ]
        widgets = LINK_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not user_changes_all_promoters(self.for_user):
            self.fields["centre"].queryset = centres_visible_to(self.for_user).filter(
                district_id__in=officer_district_ids(self.for_user)
            )

    def save(self, commit=True):
        data = self.cleaned_data
        values = {
            "centre": data["centre"],
            "date": data["date"],
            "visitors": _counts(data, "visitors"),
            "topics": data.get("topics", ()),
            "notes": data.get("notes", ""),
            **_links(data),
        }
        if self.instance.pk:
            self.instance = centre_visit_update(
                visit=self.instance, user=self.for_user, **values
            )
        else:
            self.instance = centre_visit_record(user=self.for_user, **values)
        return self.instance


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled spreadsheet"),
        help_text=_("The export of this list, changed or filled in: .xlsx or .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
