"""The document upload form (allowed types and the largest size, with a clear error)
and the material page's form."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents.forms import BaseDocumentForm


def check_upload(uploaded) -> None:
    """Refuse a file of a type editors may not upload, or one that is too large."""
    allowed = [extension.lower() for extension in settings.WAGTAILDOCS_EXTENSIONS]
    extension = Path(uploaded.name).suffix.lower().lstrip(".")
    if extension not in allowed:
        raise forms.ValidationError(
            _(
                "Files of type “%(extension)s” cannot be uploaded. Allowed: PDF, "
                "Office documents, images, audio and video (%(allowed)s)."
            ),
            code="file_type",
            params={"extension": extension or "?", "allowed": ", ".join(allowed)},
        )
    limit_mb = settings.SUKSA_MAX_UPLOAD_MB
    if uploaded.size > limit_mb * 1024 * 1024:
        raise forms.ValidationError(
            _(
                "This file is %(size)s MB; files can be at most %(limit)s MB. "
                "Make it smaller (e.g. export the PDF for screen) and upload again."
            ),
            code="file_size",
            params={"size": f"{uploaded.size / 1024 / 1024:.1f}", "limit": limit_mb},
        )


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_upload(uploaded)
        return uploaded


class MaterialPageForm(WagtailAdminPageForm):
    """Partners, funders and projects offer only what ``access.policy`` lets the
    editor choose (the page's other fields follow Wagtail's own permissions)."""

    scoped_fields = ("partners", "funders", "projects")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Imported here: the policy reads the materials models.
        from access.forms import scope_fields

        fields = {name: self.fields[name] for name in self.scoped_fields}
        scope_fields(fields, user=self.for_user, model=type(self.instance), form=self)
