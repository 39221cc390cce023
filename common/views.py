"""The one preview-then-confirm view of every spreadsheet import.

Upload → the import runs as a dry run and its report is shown (the errors, or what
would change) → the user confirms → the same file, kept on the server meanwhile
(``common.previews``, never sent back through the browser), is imported for real.
Nothing is saved before the confirmation. Each import view says only what is its
own: the upload form, where previews wait, how to run its import, what the
preview page shows beside the report, and where to go once it is saved. The
page is ``templates/common/sheet_import.html``, which each import's template
extends with its preview table.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from .previews import preview_keep, preview_take


class PreviewConfirmMixin:
    """For a template view: ``post`` previews an upload or confirms a preview."""

    upload_form_class = None
    # Where previews wait (a storage folder) and the user's session key for them.
    preview_folder = ""
    preview_session_key = ""
    expired_message = gettext_lazy("This preview has expired. Upload the sheet again.")

    def preview_scope(self):
        """What a preview belongs to (a session, a kind of list): the confirmation
        must come from the same page."""
        raise NotImplementedError

    def run_import(self, *, content: bytes, filename: str, dry_run: bool, **options):
        """The import's report (``errors`` empty when it can be or was saved)."""
        raise NotImplementedError

    def imported(self, report):
        """The answer once the confirmed import is saved: a message, a redirect."""
        raise NotImplementedError

    def preview_context(self, report) -> dict:
        """What the preview page shows beside the report."""
        return {}

    def confirm_options(self) -> dict:
        """Choices made on the preview page, for the confirmed import."""
        return {}

    def preview_import(self, form):
        """(report, content, filename) of a valid upload form, as a dry run."""
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = self.run_import(content=content, filename=upload.name, dry_run=True)
        return report, content, upload.name

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.upload_form_class())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = self.upload_form_class(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        report, content, filename = self.preview_import(form)
        token = "" if report.errors else self.keep(content, filename)
        return self.render_to_response(
            self.get_context_data(
                form=form, report=report, token=token, **self.preview_context(report)
            )
        )

    def keep(self, content: bytes, filename: str) -> str:
        """Keep the previewed file until the user confirms (server side only)."""
        return preview_keep(
            self.request,
            folder=self.preview_folder,
            session_key=self.preview_session_key,
            scope=self.preview_scope(),
            content=content,
            filename=filename,
        )

    def confirm(self, request):
        kept = preview_take(
            request,
            folder=self.preview_folder,
            session_key=self.preview_session_key,
            scope=self.preview_scope(),
        )
        if kept is None:
            messages.error(request, self.expired_message)
            return redirect(request.path)
        content, name = kept
        report = self.run_import(
            content=content, filename=name, dry_run=False, **self.confirm_options()
        )
        if report.errors:
            return self.render_to_response(self.get_context_data(report=report))
        return self.imported(report)
