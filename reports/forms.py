from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from periods.models import PeriodApproval
from places.models import District

from .filters import ReportFilterForm


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


class ResultsForm(ReportFilterForm):
    """The results table's choices: the project (on the admin page) and the
    period, a year (and quarter) or from–to, as the Reports page reads them."""

    FIELDS = ("project", "year", "quarter", "date_from", "date_to")

    def __init__(self, *args, with_project: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.fields):
            if name not in self.FIELDS or (name == "project" and not with_project):
                del self.fields[name]
        if with_project:
            self.fields["project"].empty_label = _("Choose a project")
            self.order_fields(self.FIELDS)
