"""Admin screens for certificates: the session's section, jobs, downloads, revoke and
re-issue.

Every view finds its object among those the user may see (404 otherwise), checks the
model permission for the action (``add`` issues, ``change`` revokes), and leaves the
work to certificates.services.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets import AdminDateInput

from access import policy
from trainings.selectors import sessions_changeable_by
from trainings.views import SessionActionView

from .models import Certificate, CertificateJob, CertificateTemplate
from .rendering import template_preview_pdf
from .selectors import certificates_of_holder, certificates_visible_to, job_visible_to
from .services import (
    certificate_issue_date_change,
    certificate_issue_one,
    certificate_job_start,
    certificate_pdf,
    certificate_reissue,
    certificate_revoke,
    session_certificate_eligibility,
)

HEADER_ICON = "tick-inverse"


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# Who may do what -------------------------------------------------------------------


def _user_may_change_session(user, session_id) -> bool:
    return sessions_changeable_by(user).filter(pk=session_id).exists()


def user_may_revoke(user) -> bool:
    """Managers and administrators revoke; trainers do not."""
    return user.has_perm("certificates.change_certificate")


def user_may_reissue(user, certificate: Certificate) -> bool:
    """Administrators, and trainers who may change the certificate's session."""
    return user.has_perm("certificates.add_certificate") and _user_may_change_session(
        user, certificate.enrolment.session_id
    )


def certificate_actions(request, certificate: Certificate) -> dict:
    """The links for one certificate that the user may follow."""
    user = request.user
    valid = certificate.status == Certificate.Status.VALID
    return {
        "pdf_url": reverse("certificates:pdf", args=[certificate.pk]),
        "revoke_url": (
            reverse("certificates:revoke", args=[certificate.pk])
            if valid and user_may_revoke(user)
            else ""
        ),
        "reissue_url": (
            reverse("certificates:reissue", args=[certificate.pk])
            if valid and user_may_reissue(user, certificate)
            else ""
        ),
        "date_url": (
            reverse("certificates:issue_date", args=[certificate.pk])
            if policy.changes_certificate_dates(user)
            else ""
        ),
        "replacement": getattr(certificate, "replaced_by", None),
        "session_url": reverse("sessions:inspect", args=[certificate.session.pk]),
    }


# The session page's section -------------------------------------------------------


def session_certificates_section(request, session) -> dict | None:
    """Who may get a certificate and why not, what was issued, and the latest job."""
    user = request.user
    if not user.has_perm("certificates.view_certificate"):
        return None
    eligibility = session_certificate_eligibility(session=session)
    certificates = list(
        certificates_visible_to(user)
        .filter(enrolment__session=session)
        .order_by("number")
    )
    valid = {
        c.enrolment_id: c for c in certificates if c.status == Certificate.Status.VALID
    }
    eligible_count = sum(1 for e in eligibility if e.eligible)
    may_change = _user_may_change_session(user, session.pk)
    latest_job = session.certificate_jobs.first()
    if latest_job is not None:
        latest_job = job_visible_to(user, latest_job.pk)
    return {
        "rows": [(e, valid.get(e.enrolment.pk)) for e in eligibility],
        "eligible_count": eligible_count,
        "to_issue": sum(
            1 for e in eligibility if e.eligible and e.enrolment.pk not in valid
        ),
        "certificates": certificates,
        "can_issue": (
            may_change
            and user.has_perm("certificates.add_certificatejob")
            and eligible_count > 0
        ),
        "can_revoke": user_may_revoke(user),
        "can_reissue": may_change and user.has_perm("certificates.add_certificate"),
        "latest_job": latest_job,
    }


class SessionIssueView(SessionActionView):
    """POST only: queue the bulk issue for the session and follow it on the job page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("certificates.add_certificatejob"):
            raise PermissionDenied
        eligibility = session_certificate_eligibility(session=self.session)
        if not any(e.eligible for e in eligibility):
            messages.error(
                request,
                _(
                    "Nobody may receive a certificate: only participants who "
                    "completed the session do."
                ),
            )
            return redirect(self.detail_url())
        try:
            job = certificate_job_start(session=self.session, by=request.user)
        except ValidationError as error:
            _error(request, error)
            return redirect(self.detail_url())
        messages.success(
            request,
            _("Issuing the certificates of %(session)s.")
            % {"session": self.session.code},
        )
        return redirect("certificates:job", job_id=job.pk)


class EnrolmentIssueView(SessionActionView):
    """POST only: issue one participant's certificate from the session page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("certificates.add_certificate"):
            raise PermissionDenied
        enrolment = get_object_or_404(self.session.enrolments, pk=kwargs["enrolment"])
        try:
            certificate, _created = certificate_issue_one(
                enrolment=enrolment, by=request.user
            )
        except ValidationError as error:
            _error(request, error)
            return redirect(self.detail_url())
        messages.success(
            request,
            _("Certificate %(number)s issued to %(person)s.")
            % {"number": certificate.number, "person": enrolment.person},
        )
        return redirect(self.detail_url())


# Jobs -------------------------------------------------------------------------------


def _job_for(request, job_id) -> CertificateJob:
    """The job if the user requested it or reads every session; 404 otherwise."""
    if not request.user.has_perm("certificates.view_certificatejob"):
        raise PermissionDenied
    job = job_visible_to(request.user, job_id)
    if job is None:
        raise Http404
    return job


def job_heading(job: CertificateJob) -> str:
    """What the job page is about now: no longer "issuing" once it is over."""
    if job.state == CertificateJob.State.DONE:
        return _("Certificates issued")
    if job.state == CertificateJob.State.FAILED:
        return _("Issuing failed")
    return _("Issuing certificates")


def job_status_data(job: CertificateJob) -> dict:
    finished = job.state == CertificateJob.State.DONE

    def download_url(file, file_format):
        if not (finished and file):
            return None
        return reverse("certificates:job_download", args=[job.pk, file_format])

    return {
        "state": job.state,
        "state_label": str(job.get_state_display()),
        "heading": job_heading(job),
        "progress": job.progress,
        "done": job.done,
        "total": job.total,
        "message": job.message,
        "pdf_url": download_url(job.combined_pdf, "pdf"),
        "zip_url": download_url(job.archive, "zip"),
    }


class JobView(WagtailAdminTemplateMixin, TemplateView):
    """The job's progress; static/js/job-progress.js keeps it up to date."""

    template_name = "certificates/admin/job.html"
    page_title = gettext_lazy("Issuing certificates")
    header_icon = HEADER_ICON

    def dispatch(self, request, *args, **kwargs):
        self.job = _job_for(request, kwargs["job_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return job_heading(self.job)

    def get_page_subtitle(self):
        return self.job.session.code

    def get_breadcrumbs_items(self):
        session = self.job.session
        return self.breadcrumbs_items + [
            {"url": reverse("sessions:index"), "label": _("Sessions")},
            {
                "url": reverse("sessions:inspect", args=[session.pk]),
                "label": session.code,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        status = job_status_data(self.job)
        return super().get_context_data(
            job=self.job,
            status=status,
            finished=status["state"]
            in (CertificateJob.State.DONE, CertificateJob.State.FAILED),
            **kwargs,
        )


def job_status(request, job_id: int) -> JsonResponse:
    response = JsonResponse(job_status_data(_job_for(request, job_id)))
    response["Cache-Control"] = "no-store"
    return response


JOB_FILES = {
    "pdf": ("combined_pdf", "application/pdf"),
    "zip": ("archive", "application/zip"),
}


def job_download(request, job_id: int, file_format: str) -> FileResponse:
    """The job's certificates in one PDF for printing, or one PDF each in a ZIP."""
    job = _job_for(request, job_id)
    if file_format not in JOB_FILES:
        raise Http404
    field_name, content_type = JOB_FILES[file_format]
    file = getattr(job, field_name)
    if job.state != CertificateJob.State.DONE or not file:
        raise Http404
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"{job.session.code}-certificates.{file_format}",
        content_type=content_type,
    )


# One certificate --------------------------------------------------------------------


def _certificate_for_download(user, pk) -> Certificate:
    """Staff download what they may see; a holder their own valid certificates."""
    if user.has_perm("certificates.view_certificate"):
        certificate = certificates_visible_to(user).filter(pk=pk).first()
        if certificate is not None:
            return certificate
    return get_object_or_404(
        certificates_of_holder(user).filter(status=Certificate.Status.VALID), pk=pk
    )


def certificate_download(request, pk: int) -> HttpResponse:
    certificate = _certificate_for_download(request.user, pk)
    response = HttpResponse(
        certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


class CertificateActionView(WagtailAdminTemplateMixin, TemplateView):
    """A confirmation page for one certificate the user may see (404 otherwise)."""

    header_icon = HEADER_ICON

    def user_may(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.certificate = get_object_or_404(
            certificates_visible_to(request.user), pk=kwargs["pk"]
        )
        if not self.user_may(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.certificate.number

    def inspect_url(self) -> str:
        return reverse("certificates:inspect", args=[self.certificate.pk])

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("certificates:index"), "label": _("Certificates")},
            {"url": self.inspect_url(), "label": self.certificate.number},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            certificate=self.certificate,
            is_valid=self.certificate.status == Certificate.Status.VALID,
            cancel_url=self.inspect_url(),
            **kwargs,
        )


class CertificateRevokeView(CertificateActionView):
    template_name = "certificates/admin/certificate_revoke.html"
    page_title = gettext_lazy("Revoke certificate")

    def user_may(self, user) -> bool:
        return user_may_revoke(user)

    def post(self, request, *args, **kwargs):
        reason = request.POST.get("reason", "")
        try:
            certificate_revoke(
                certificate=self.certificate, reason=reason, by=request.user
            )
        except ValidationError as error:
            _error(request, error)
            return self.render_to_response(self.get_context_data(reason=reason))
        messages.success(
            request,
            _("Certificate %(number)s is revoked.")
            % {"number": self.certificate.number},
        )
        return redirect(self.inspect_url())


class CertificateReissueView(CertificateActionView):
    template_name = "certificates/admin/certificate_reissue.html"
    page_title = gettext_lazy("Re-issue certificate")

    def user_may(self, user) -> bool:
        return user_may_reissue(user, self.certificate)

    def get_context_data(self, **kwargs):
        person = self.certificate.enrolment.person
        return super().get_context_data(
            person=person,
            name_unchanged=(
                person.full_name == self.certificate.holder_name
                and person.latin_name == self.certificate.holder_latin_name
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            replacement = certificate_reissue(
                certificate=self.certificate, by=request.user
            )
        except ValidationError as error:
            _error(request, error)
            return redirect(self.inspect_url())
        messages.success(
            request,
            _("Certificate %(new)s replaces %(old)s.")
            % {"new": replacement.number, "old": self.certificate.number},
        )
        return redirect("certificates:inspect", replacement.pk)


class IssueDateForm(forms.Form):
    issued_on = forms.DateField(label=gettext_lazy("Issue date"), widget=AdminDateInput)
    reason = forms.CharField(
        label=gettext_lazy("Why does the date change?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required. Kept in the audit log with your name."),
    )


class CertificateIssueDateView(CertificateActionView):
    template_name = "certificates/admin/certificate_issue_date.html"
    page_title = gettext_lazy("Change issue date")

    def user_may(self, user) -> bool:
        return policy.changes_certificate_dates(user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "form", IssueDateForm(initial={"issued_on": self.certificate.issued_on})
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = IssueDateForm(request.POST)
        if form.is_valid():
            try:
                certificate_issue_date_change(
                    certificate=self.certificate, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The issue date of %(number)s is now %(day)s.")
                    % {
                        "number": self.certificate.number,
                        "day": f"{form.cleaned_data['issued_on']:%d/%m/%Y}",
                    },
                )
                return redirect(self.inspect_url())
        return self.render_to_response(self.get_context_data(form=form))


# A template's preview ----------------------------------------------------------------


class TemplatePreviewView(PermissionCheckedMixin, View):
    """A sample certificate laid out with a template, as PDF: those who may change
    templates see what their changes print (saved changes; nobody's data)."""

    model = CertificateTemplate
    permission_required = "change"

    def get(self, request, pk):
        template = get_object_or_404(
            policy.changeable(request.user, CertificateTemplate), pk=pk
        )
        response = HttpResponse(template_preview_pdf(template), "application/pdf")
        response["Content-Disposition"] = 'inline; filename="certificate-preview.pdf"'
        response["Cache-Control"] = "no-store"
        return response
