from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from periods.models import PeriodApproval
from places.models import District


class ApprovalForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=District.objects.select_related("province")
    )
    kind = forms.ChoiceField(label=_("Period"), choices=PeriodApproval.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    number = forms.IntegerField(
        label=_("Month or quarter"),
        min_value=1,
        max_value=12,
        help_text=_("Month 1–12, or quarter 1–4."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class UnapprovalForm(forms.Form):
    reason = forms.CharField(
        label=_("Why un-approve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in the log with your name and the time."),
    )
