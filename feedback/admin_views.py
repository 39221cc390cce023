"""Feedback in the admin: the session page's section, the printable QR code, the
grid for typing in paper forms and the spreadsheet import of paper forms."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from access.policy import feedback_visible, may, sessions_changeable
from common.uploads import upload_limit
from common.views import PreviewConfirmMixin
from trainings.views import SessionActionView, _session_for

from .forms import PaperFeedbackFormSet, PaperSheetUploadForm
from .models import Feedback
from .selectors import (
    QUESTIONS,
    RATINGS,
    feedback_closes_on,
    feedback_comments,
    feedback_open,
    feedback_summary,
)
from .services import feedback_link_ensure, feedback_paper_record
from .sheets import paper_sheet_import, paper_template

COMMENTS_SHOWN = 50
IMPORT_STORAGE_DIR = "feedback-imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def question_labels() -> dict[str, str]:
    return {
        "relevance": _("Relevance"),
        "trainer": _("Trainer"),
        "materials": _("Materials"),
    }


def feedback_url(token: str) -> str:
    """The form's address as printed in the QR code (the public site's address)."""
    base = settings.SUKSA_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("feedback_form", args=[token])


def session_feedback_section(request, session) -> dict | None:
    """The session page's Feedback block: the figures, the distribution of each
    question and the comments, for whoever sees the session."""
    user = request.user
    if not may(user, "view", Feedback):
        return None
    feedback = feedback_visible(user).filter(session=session)
    summary = feedback_summary(feedback=feedback)
    labels = question_labels()
    comments = feedback_comments(feedback=feedback)
    return {
        "summary": summary,
        "questions": [
            (
                labels[name],
                summary.means.get(name),
                list(
                    zip(RATINGS, summary.distribution.get(name, [0] * 5), strict=True)
                ),
            )
            for name in QUESTIONS
        ],
        "comments": comments[:COMMENTS_SHOWN],
        "more_comments": max(comments.count() - COMMENTS_SHOWN, 0),
        "open": feedback_open(session=session, today=timezone.localdate()),
        "closes_on": feedback_closes_on(session=session),
        "can_add": may(user, "add", Feedback)
        and sessions_changeable(user).filter(pk=session.pk).exists(),
    }


def feedback_qr(request, pk):
    """A printable page: the session's QR code and address, in Lao and English."""
    session = _session_for(request, pk, change=False)
    if not may(request.user, "view", Feedback):
        raise PermissionDenied
    link = feedback_link_ensure(session=session)
    return render(
        request,
        "feedback/admin/qr_print.html",
        {
            "session": session,
            "url": feedback_url(link.token),
            "closes_on": feedback_closes_on(session=session),
        },
    )


class PaperFeedbackAccessMixin:
    """Paper forms: whoever may add feedback, on a session they may change."""

    def dispatch(self, request, *args, **kwargs):
        if not may(request.user, "add", Feedback):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PaperFeedbackView(PaperFeedbackAccessMixin, SessionActionView):
    """Type in paper forms, one row each; saved all together or not at all."""

    template_name = "feedback/admin/paper.html"
    page_title = gettext_lazy("Add paper feedback forms")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", PaperFeedbackFormSet())
        kwargs.setdefault("upload_form", PaperSheetUploadForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        formset = PaperFeedbackFormSet(request.POST)
        if formset.is_valid():
            forms = [form.cleaned_data for form in formset if form.has_changed()]
            try:
                saved = feedback_paper_record(
                    session=self.session, forms=forms, by=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s paper form saved.",
                        "%(count)s paper forms saved.",
                        len(saved),
                    )
                    % {"count": len(saved)},
                )
                return redirect(self.detail_url() + "#feedback")
        else:
            messages.error(
                request, _("Some forms are not complete: nothing was saved.")
            )
        return self.render_to_response(self.get_context_data(formset=formset))


def paper_sheet_template(request, pk):
    """The session's empty paper-forms sheet (.xlsx), headers in Lao and English."""
    session = _session_for(request, pk, change=True)
    if not may(request.user, "add", Feedback):
        raise PermissionDenied
    response = HttpResponse(paper_template(session=session), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{session.code}-feedback.xlsx"'
    )
    return response


@upload_limit("SUKSA_SHEET_MAX_BYTES")
class PaperSheetImportView(
    PreviewConfirmMixin, PaperFeedbackAccessMixin, SessionActionView
):
    """Upload a filled sheet of paper forms, read the preview, confirm: nothing
    is saved before, and then every row or none (the grid's service)."""

    template_name = "feedback/admin/paper_import.html"
    page_title = gettext_lazy("Import paper feedback forms")
    upload_form_class = PaperSheetUploadForm
    preview_folder = IMPORT_STORAGE_DIR
    preview_session_key = "feedback_imports"

    def preview_scope(self):
        return self.session.pk

    def run_import(self, *, content, filename, dry_run, **options):
        return paper_sheet_import(
            session=self.session,
            content=content,
            filename=filename,
            by=self.request.user,
            dry_run=dry_run,
        )

    def imported(self, report):
        count = len(report.forms)
        messages.success(
            self.request,
            ngettext(
                "%(count)s paper form saved.", "%(count)s paper forms saved.", count
            )
            % {"count": count},
        )
        return redirect(self.detail_url() + "#feedback")
