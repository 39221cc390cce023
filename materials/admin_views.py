"""Admin: downloads of materials by month, district and material, with exports."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from common.sheets import rows_to_csv, rows_to_xlsx
from places.models import District, Province

from .selectors import download_counts

VIEW_PERMISSION = "materials.view_download"


class DownloadFilterForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"),
        queryset=Province.objects.all(),
        required=False,
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("District"),
        queryset=District.objects.select_related("province"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                gettext_lazy("The start date is after the end date.")
            )
        return cleaned


def export_rows(counts) -> list[list]:
    """The (month, district, material) table as spreadsheet rows with a header."""
    rows = [[_("Month"), _("District"), _("Material"), _("Language"), _("Downloads")]]
    for row in counts.rows:
        rows.append(
            [
                row["month"].strftime("%Y-%m"),
                row["district"] or _("Not known"),
                row["title"],
                row["language"],
                row["count"],
            ]
        )
    return rows


class DownloadsReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "materials/admin/downloads.html"
    page_title = gettext_lazy("Material downloads")
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(VIEW_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = DownloadFilterForm(request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        self.counts = download_counts(
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            district=filters.get("district"),
            province=filters.get("province"),
        )
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and (self.form.is_valid() or not request.GET):
            return self._export(export)
        return super().get(request, *args, **kwargs)

    def _export(self, export_format: str) -> HttpResponse:
        rows = export_rows(self.counts)
        stamp = timezone.localdate().isoformat()
        if export_format == "csv":
            content, content_type = rows_to_csv(rows), "text/csv; charset=utf-8"
        else:
            content = rows_to_xlsx(rows, title=_("Downloads"))
            content_type = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="material-downloads-{stamp}.{export_format}"'
        )
        return response

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("export", None)
        return super().get_context_data(
            form=self.form,
            counts=self.counts,
            query=query.urlencode(),
            **kwargs,
        )
