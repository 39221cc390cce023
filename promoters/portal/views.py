"""Portal pages. Each view checks access (``portal_view``) and calls one selector or
service; the offline queue posts to ``meeting_record_view`` and reads its JSON."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from access import policy
from certificates.models import Certificate
from certificates.selectors import certificates_of_holder
from certificates.services import certificate_pdf
from common.admin_views import add_service_error
from materials.selectors import materials_visible_to
from promoters.selectors import (
    meetings_visible_to,
    topic_list,
    village_list_for_promoter,
)
from promoters.services import meeting_record
from trainings.models import TraineeFollowUp
from trainings.selectors import trainee_follow_ups_in_order

from .access import kept_offline, portal_view, wants_json
from .forms import FollowUpForm, MeetingForm, PortalLoginForm

MEETINGS_PER_PAGE = 20
MATERIALS_PER_PAGE = 20


class PortalLoginView(auth_views.LoginView):
    template_name = "promoters/portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return reverse("portal:home")


class PortalLogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("portal:login")


@portal_view
def home(request):
    return TemplateResponse(
        request,
        "promoters/portal/home.html",
        {
            "section": "home",
            "meeting_count": _own_meetings(request.user).count(),
            "certificate_count": certificates_of_holder(request.user)
            .filter(status=Certificate.Status.VALID)
            .count(),
            "follow_ups_to_answer": _own_follow_ups(request.user)
            .filter(status=TraineeFollowUp.Status.DUE, due_on__lte=timezone.localdate())
            .count(),
        },
    )


@portal_view
def materials(request):
    queryset = materials_visible_to(request.user, language=get_language()).order_by(
        "-published_date", "-first_published_at", "title"
    )
    page = Paginator(queryset, MATERIALS_PER_PAGE).get_page(request.GET.get("page"))
    public = set(
        materials_visible_to(AnonymousUser())
        .filter(pk__in=[material.pk for material in page])
        .values_list("pk", flat=True)
    )
    for material in page:
        material.restricted = material.pk not in public
    return TemplateResponse(
        request,
        "promoters/portal/materials.html",
        {"section": "materials", "materials": page},
    )


def _own_meetings(user):
    """Meetings the user led or recorded: the portal shows nobody else's, whatever
    the user's other roles."""
    own = Q(led_by__person__user=user) | Q(recorded_by=user)
    return meetings_visible_to(user).filter(own).distinct()


@portal_view
@kept_offline
def meetings(request):
    queryset = (
        _own_meetings(request.user).prefetch_related("topics").order_by("-date", "-pk")
    )
    page = Paginator(queryset, MEETINGS_PER_PAGE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "promoters/portal/meetings.html",
        {"section": "meetings", "meetings": page},
    )


def _meeting_form(request, promoter):
    return MeetingForm(
        request.POST if request.method == "POST" else None,
        villages=village_list_for_promoter(promoter=promoter).order_by("name_lo"),
        topics=topic_list(),
        materials=materials_visible_to(request.user, language=get_language()).order_by(
            "title"
        ),
    )


def _record(request, form, promoter):
    """Store the form's meeting; the service's errors go beside their fields."""
    try:
        return meeting_record(
            user=request.user,
            client_uuid=form.cleaned_data["client_uuid"],
            date=form.cleaned_data["date"],
            village=form.cleaned_data["village"],
            kind=form.cleaned_data["kind"],
            led_by=[promoter],
            turnout=form.counts("turnout"),
            registrations=form.counts("registrations"),
            topics=form.cleaned_data["topics"],
            materials=form.cleaned_data["materials"],
            notes=form.cleaned_data["notes"],
        )
    except ValidationError as error:
        errors = error.error_dict if hasattr(error, "error_dict") else {None: error}
        for field, field_errors in errors.items():
            form.add_error(field if field in form.fields else None, field_errors)
        return None, False


@portal_view
@require_http_methods(["GET", "POST"])
def meeting_record_view(request):
    promoter = request.promoter
    if promoter is None:
        return TemplateResponse(
            request,
            "promoters/portal/meeting_form.html",
            {"section": "record", "no_record": True},
        )
    form = _meeting_form(request, promoter)
    if request.method == "POST" and form.is_valid():
        meeting, created = _record(request, form, promoter)
        if meeting is not None:
            return _recorded(request, meeting, created)
    if request.method == "POST" and wants_json(request):
        return JsonResponse(
            {"status": "invalid", "errors": _form_errors(form)}, status=400
        )
    return TemplateResponse(
        request,
        "promoters/portal/meeting_form.html",
        {"section": "record", "form": form},
    )


def _recorded(request, meeting, created):
    facts = {
        "village": meeting.village.name,
        "date": date_format(meeting.date, "SHORT_DATE_FORMAT"),
    }
    if created:
        message = _("Meeting saved: %(village)s, %(date)s.") % facts
    else:
        message = (
            _(
                "This meeting (%(village)s, %(date)s) had already been received. "
                "It is saved once."
            )
            % facts
        )
    from_queue = request.headers.get("X-Meeting-Queue") == "background"
    if not from_queue:
        messages.success(request, message)
    if wants_json(request):
        return JsonResponse(
            {
                "status": "created" if created else "already_received",
                "message": message,
                "redirect": reverse("portal:meetings"),
                "meeting": {"id": meeting.pk, **facts},
            },
            status=201 if created else 200,
        )
    return redirect("portal:meetings")


def _form_errors(form) -> list[dict]:
    """Errors with the label the promoter saw, for the waiting list to show."""
    labelled = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = ""
        if field is not None and not field.widget.is_hidden:
            group = getattr(field, "group_label", None)
            label = f"{group}: {field.label}" if group else str(field.label)
        labelled.append({"field": name, "label": label, "messages": list(errors)})
    return labelled


@portal_view
@kept_offline
def certificates(request):
    return TemplateResponse(
        request,
        "promoters/portal/certificates.html",
        {
            "section": "certificates",
            "certificates": certificates_of_holder(request.user).order_by(
                "-issued_on", "-issued_at"
            ),
        },
    )


@portal_view
def certificate_download(request, pk: int):
    """The holder's own valid certificate as PDF; anyone else's is not found."""
    certificate = (
        certificates_of_holder(request.user)
        .filter(pk=pk, status=Certificate.Status.VALID)
        .first()
    )
    if certificate is None:
        raise Http404
    response = HttpResponse(
        certificate_pdf(certificate=certificate), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


def _own_follow_ups(user):
    """The user's own follow-ups as a trainee (their Person's enrolments): the
    portal shows nobody else's, whatever the user's other roles."""
    return trainee_follow_ups_in_order(
        policy.trainee_follow_ups_changeable(user).filter(enrolment__person__user=user)
    )


@portal_view
def follow_ups(request):
    page = Paginator(_own_follow_ups(request.user), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return TemplateResponse(
        request,
        "promoters/portal/follow_ups.html",
        {"section": "follow_ups", "follow_ups": page, "today": timezone.localdate()},
    )


@portal_view
@require_http_methods(["GET", "POST"])
def follow_up_answer(request, pk: int):
    follow_up = get_object_or_404(_own_follow_ups(request.user), pk=pk)
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        instance=follow_up,
        recorded_by=request.user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("portal:follow-ups")
    return TemplateResponse(
        request,
        "promoters/portal/follow_up_form.html",
        {"section": "follow_ups", "form": form, "follow_up": follow_up},
    )
