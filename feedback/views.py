"""The public feedback form, reached by the session's QR code: anyone with the
link, on a phone, in Lao or English. No account, no name: the token is the key."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from common.languages import chosen_language
from common.network import client_address, rate_exceeded

from .forms import FeedbackForm
from .selectors import feedback_closes_on, feedback_link_find, feedback_open
from .services import feedback_submit

TOKEN_MAX_LENGTH = 64


def _flooded(request: HttpRequest, token: str) -> bool:
    """Too many forms a minute from one address, or an hour to one session."""
    by_address = rate_exceeded(
        f"feedback-rate:{client_address(request)}",
        limit=settings.SUKSA_FEEDBACK_RATE_PER_MINUTE,
    )
    by_session = rate_exceeded(
        f"feedback-session:{token}",
        limit=settings.SUKSA_FEEDBACK_RATE_PER_SESSION_HOUR,
        seconds=3600,
    )
    return by_address or by_session


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = TemplateResponse(request, template, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The token never leaves the site ("no-referrer" would make the form post with
    # "Origin: null", which the CSRF check refuses).
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, token: str) -> HttpResponse:
    # Lao unless the participant chose English with the switch (the cookie).
    translation.activate(chosen_language(request))
    request.LANGUAGE_CODE = translation.get_language()
    link = feedback_link_find(token=token[:TOKEN_MAX_LENGTH])
    if link is None:
        raise Http404
    session = link.session
    context = {"session": session}
    if not feedback_open(session=session, today=timezone.localdate()):
        closes_on = feedback_closes_on(session=session)
        return _page(
            request, "feedback/closed.html", {**context, "closes_on": closes_on}, 410
        )
    if request.method == "GET":
        template = (
            "feedback/thanks.html" if "sent" in request.GET else "feedback/form.html"
        )
        return _page(request, template, {**context, "form": FeedbackForm()})
    if _flooded(request, link.token):
        return _page(request, "feedback/slow_down.html", context, status=429)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            feedback_submit(
                session=session, today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{request.path}?sent=1")
    return _page(request, "feedback/form.html", {**context, "form": form}, status=400)
