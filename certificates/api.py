"""API v1 for certificates: lists and PDFs, the bulk issue of a session and its job,
revoking, and the public check of a verification code. Selectors decide who sees
what; services do the writing."""

from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from access import policy
from common.api_errors import service_errors
from common.filters import FilterSet, IntegerFilter
from trainings.selectors import enrolments_visible_to, sessions_visible_to

from .models import Certificate, CertificateJob
from .rendering import verify_url
from .selectors import (
    certificate_public_facts,
    certificates_of_holder,
    certificates_readable_by,
    certificates_visible_to,
    job_visible_to,
)
from .services import (
    certificate_issue_one,
    certificate_job_start,
    certificate_pdf,
    certificate_revoke,
)
from .views import verify_rate_exceeded

PDF = "application/pdf"
ZIP = "application/zip"
NOINDEX = "noindex, nofollow"


def _job_file(job: CertificateJob, kind: str):
    """The job's print PDF or ZIP, only once it is done (None before)."""
    if job.state != CertificateJob.State.DONE:
        return None
    file = job.combined_pdf if kind == "pdf" else job.archive
    return file or None


# Permissions ------------------------------------------------------------------------


# Serializers ------------------------------------------------------------------------


@extend_schema_field(
    serializers.ChoiceField(choices=Certificate.Status.choices),
    component_name="CertificateStatusEnum",
)
class CertificateStatusField(serializers.ChoiceField):
    """A certificate's status, named apart from the other models' "status" choices."""

    def __init__(self, **kwargs):
        super().__init__(choices=Certificate.Status.choices, **kwargs)


class CertificateSerializer(serializers.ModelSerializer):
    status = CertificateStatusField(read_only=True)
    holder = serializers.CharField(source="holder_name")
    session = serializers.IntegerField(source="enrolment.session_id")
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "number",
            "code",
            "status",
            "holder",
            "session",
            "issued_at",
            "issued_on",
            "pdf",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, certificate) -> str:
        url = reverse("api:certificate-pdf", args=[certificate.pk])
        return self.context["request"].build_absolute_uri(url)


class RevokeSerializer(serializers.Serializer):
    # Not required here: the service refuses an empty reason with its own message.
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Why it is revoked."
    )


class JobStartedSerializer(serializers.Serializer):
    job = serializers.IntegerField(help_text="Follow it at /api/v1/jobs/{job}/.")


class JobSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CertificateJob.State.choices)
    progress = serializers.IntegerField(min_value=0, max_value=100)
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    message = serializers.CharField()
    pdf = serializers.SerializerMethodField()
    zip = serializers.SerializerMethodField()

    def _url(self, job, name):
        request = self.context["request"]
        return request.build_absolute_uri(reverse(name, args=[job.pk]))

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf(self, job) -> str | None:
        """The session's certificates in one print file, once the job is done."""
        return self._url(job, "api:job-pdf") if _job_file(job, "pdf") else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_zip(self, job) -> str | None:
        """A ZIP with one PDF per certificate, once the job is done."""
        return self._url(job, "api:job-zip") if _job_file(job, "zip") else None


class BilingualSerializer(serializers.Serializer):
    lo = serializers.CharField()
    en = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    status = CertificateStatusField()
    holder = serializers.CharField()
    holder_latin = serializers.CharField(help_text="The holder in Latin letters.")
    course = BilingualSerializer()
    issued_on = serializers.DateField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    issuer = BilingualSerializer()
    number = serializers.CharField()
    revoked_on = serializers.DateField(allow_null=True)
    replaced_by = serializers.URLField(
        allow_null=True, help_text="Where to check the certificate that replaced it."
    )


def verification(facts: dict) -> dict:
    """The public facts of certificate_public_facts(), shaped for the API."""
    code = facts["replaced_by_code"]
    return {
        "status": facts["status"],
        "holder": facts["holder"],
        "holder_latin": facts["holder_latin"],
        "course": {"lo": facts["course_lo"], "en": facts["course_en"]},
        "issued_on": facts["issued_on"],
        "starts_on": facts["starts_on"],
        "ends_on": facts["ends_on"],
        "issuer": {"lo": facts["issuer_lo"], "en": facts["issuer_en"]},
        "number": facts["number"],
        "revoked_on": facts["revoked_on"],
        "replaced_by": verify_url(code) if code else None,
    }


# Views ------------------------------------------------------------------------------


class CertificateFilter(FilterSet):
    session = IntegerFilter(field_name="enrolment__session")

    class Meta:
        model = Certificate
        fields = ["session", "status"]


CERTIFICATE_SCOPE = (
    " Certificates of the sessions the user sees (administrators and managers "
    "every session, a trainer those they lead or created) and the user's own as a "
    "holder."
)


@extend_schema_view(
    list=extend_schema(
        description="Certificates of the sessions the user sees, with their "
        "number, holder, session, status and PDF link. `session` and `status` "
        "narrow the list." + CERTIFICATE_SCOPE
    ),
    retrieve=extend_schema(
        description="One certificate, by id, among those the user reaches."
        + CERTIFICATE_SCOPE
    ),
)
class CertificateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Certificates of the sessions the user sees; a holder also reaches their own
    (`mine`, a certificate and its PDF)."""

    serializer_class = CertificateSerializer
    filterset_class = CertificateFilter

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            return certificates_visible_to(user)
        if self.action == "mine":
            return certificates_of_holder(user)
        return certificates_readable_by(user)

    @extend_schema(
        responses=CertificateSerializer(many=True),
        filters=True,
        description="The signed-in person's own certificates as a holder (none "
        "for most staff); `session` and `status` narrow the list.",
    )
    @action(detail=False)
    def mine(self, request):
        """The signed-in person's own certificates (none for most staff)."""
        return self.list(request)

    @extend_schema(
        responses={(200, PDF): OpenApiTypes.BINARY},
        description="The certificate as PDF; a revoked or replaced one only for "
        "administrators (404 for others)." + CERTIFICATE_SCOPE,
    )
    @action(detail=True)
    def pdf(self, request, pk=None):
        """The certificate as PDF; a revoked or replaced one only for
        administrators."""
        certificate = self.get_object()
        if not policy.certificate_file_served(request.user, certificate):
            raise Http404
        response = HttpResponse(certificate_pdf(certificate=certificate), PDF)
        response["Content-Disposition"] = (
            f'attachment; filename="{certificate.number}.pdf"'
        )
        return response

    @extend_schema(
        request=RevokeSerializer,
        responses=CertificateSerializer,
        description="Revoke a valid certificate, saying why: managers and "
        "administrators, for the certificates of the sessions they see. The "
        "answer is the certificate, now revoked.",
    )
    @action(
        detail=True,
        methods=["post"],
    )
    def revoke(self, request, pk=None):
        """Revoke a valid certificate, saying why (managers and administrators)."""
        certificate = self.get_object()
        body = RevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        with service_errors():
            certificate = certificate_revoke(
                certificate=certificate,
                reason=body.validated_data["reason"],
                by=request.user,
            )
        return Response(self.get_serializer(certificate).data)


class SessionCertificatesView(generics.GenericAPIView):
    """Issue the certificates of a session's participants who completed it, in the
    background: those already issued are kept (issuing again changes nothing)."""

    serializer_class = JobStartedSerializer
    # Issuing: the certificate permission, on a session the user may change.
    policy_model = Certificate

    def get_queryset(self):
        return sessions_visible_to(self.request.user)

    @extend_schema(
        request=None,
        responses={202: JobStartedSerializer},
        description="Issue the certificates of a session's participants who "
        "completed it, in the background: those already issued are kept (issuing "
        "again changes nothing). Answers 202 with the job's id, to follow at "
        "`jobs/{id}/`. For those with the permission to add certificates, on a "
        "session they see.",
    )
    def post(self, request, pk):
        with service_errors():
            job = certificate_job_start(session=self.get_object(), by=request.user)
        return Response({"job": job.pk}, status=status.HTTP_202_ACCEPTED)


class EnrolmentCertificateView(generics.GenericAPIView):
    """Issue one participant's certificate now (201), or give theirs back (200)."""

    serializer_class = CertificateSerializer
    policy_model = Certificate

    def get_queryset(self):
        return enrolments_visible_to(self.request.user)

    @extend_schema(
        request=None,
        responses={200: CertificateSerializer, 201: CertificateSerializer},
        description="Issue one participant's certificate now (201), or give theirs "
        "back (200). For those with the permission to add certificates, on an "
        "enrolment in a session they see.",
    )
    def post(self, request, pk):
        with service_errors():
            certificate, created = certificate_issue_one(
                enrolment=self.get_object(), by=request.user
            )
        return Response(
            self.get_serializer(certificate).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


JOB_SCOPE = (
    " Only the user who started the job, managers and administrators follow it "
    "(404 for anyone else)."
)


@extend_schema_view(
    retrieve=extend_schema(
        description="A bulk issue of certificates: its status and progress, then "
        "the links to its print PDF and ZIP once done." + JOB_SCOPE
    )
)
class JobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A bulk issue: its progress, then its print PDF and ZIP. Only the user who
    started it, managers and administrators follow it."""

    serializer_class = JobSerializer

    def get_queryset(self):
        # Who may follow a job is decided one job at a time, by job_visible_to().
        return CertificateJob.objects.none()

    def get_object(self):
        try:
            job = job_visible_to(self.request.user, int(self.kwargs["pk"]))
        except ValueError:
            job = None
        if job is None:
            raise Http404
        self.check_object_permissions(self.request, job)
        return job

    def _download(self, kind: str, content_type: str):
        job = self.get_object()
        file = _job_file(job, kind)
        if file is None:
            raise Http404
        return FileResponse(
            file.open("rb"),
            as_attachment=True,
            filename=f"{job.session.code}-certificates.{kind}",
            content_type=content_type,
        )

    @extend_schema(
        responses={(200, PDF): OpenApiTypes.BINARY},
        description="All the session's certificates in one file to print (404 "
        "until done)." + JOB_SCOPE,
    )
    @action(detail=True)
    def pdf(self, request, pk=None):
        """All the session's certificates in one file to print (404 until done)."""
        return self._download("pdf", PDF)

    @extend_schema(
        responses={(200, ZIP): OpenApiTypes.BINARY},
        description="One PDF per certificate in a ZIP (404 until done)." + JOB_SCOPE,
    )
    @action(detail=True)
    def zip(self, request, pk=None):
        """One PDF per certificate in a ZIP (404 until done)."""
        return self._download("zip", ZIP)


class VerifyView(APIView):
    """Check a certificate by its verification code (read whatever the case, with
    I/L read as 1, O as 0 and spaces or dashes ignored) or by its printed number:
    anyone, no sign-in. Answers the facts the public page shows, and nothing else
    about the person."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        auth=[],
        responses={
            200: VerificationSerializer,
            404: inline_serializer(
                "VerificationUnknown",
                {"status": serializers.ChoiceField(choices=["unknown"])},
            ),
            429: inline_serializer(
                "VerificationTooMany", {"detail": serializers.CharField()}
            ),
        },
    )
    def get(self, request, code):
        if verify_rate_exceeded(request):
            message = _(
                "Too many certificates were checked from your connection in the last "
                "minute. Wait a minute and try again."
            )
            return Response(
                {"detail": message}, status=status.HTTP_429_TOO_MANY_REQUESTS
            )
        facts = certificate_public_facts(typed=code)
        if facts is None:
            return Response({"status": "unknown"}, status=status.HTTP_404_NOT_FOUND)
        return Response(VerificationSerializer(verification(facts)).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = NOINDEX
        return response
