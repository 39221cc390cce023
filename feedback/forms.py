"""The standard feedback form, on a phone (radio buttons) and typed from paper
(a grid of short selects)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback

RATING_CHOICES = [
    (5, _("5 – Very good")),
    (4, _("4 – Good")),
    (3, _("3 – Fair")),
    (2, _("2 – Poor")),
    (1, _("1 – Very poor")),
]
RECOMMEND_CHOICES = [("yes", _("Yes")), ("no", _("No")), ("", _("No answer"))]


def _rating(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )


class FeedbackForm(forms.Form):
    relevance = _rating(_("Was the training useful for your work?"))
    trainer = _rating(_("How well did the trainer explain?"))
    materials = _rating(_("How good were the materials (handouts, slides, leaflets)?"))
    improve = forms.CharField(
        label=_("What should we improve?"),
        required=False,
        max_length=Feedback._meta.get_field("improve").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend this training to a colleague?"),
        choices=RECOMMEND_CHOICES,
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class PaperFeedbackForm(FeedbackForm):
    """One paper form, one row of the grid; an untouched row is skipped."""

    field_order = ["relevance", "trainer", "materials", "recommend", "improve"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("relevance", "trainer", "materials"):
            self.fields[name].widget = forms.Select(
                choices=[("", "–"), *[(value, value) for value in range(1, 6)]]
            )
        self.fields["recommend"].widget = forms.Select(
            choices=[("", "–"), ("yes", _("Yes")), ("no", _("No"))]
        )
        self.fields["improve"].widget = forms.TextInput(attrs={"size": 40})


PaperFeedbackFormSet = forms.formset_factory(
    PaperFeedbackForm, extra=10, max_num=100, validate_max=True
)


class PaperSheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled feedback sheet"),
        help_text=_("The session's feedback template, filled in: .xlsx or .csv."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
