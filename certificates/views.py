"""Public verification of a certificate by its code or number: anyone, in Lao and
English."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from common.network import client_address, rate_exceeded

from .codes import TYPED_MAX_LENGTH, typed_for_address
from .selectors import certificate_public_facts


def verify_rate_exceeded(request: HttpRequest) -> bool:
    """At most SUKSA_VERIFY_RATE_PER_MINUTE look-ups a minute from one address."""
    return rate_exceeded(
        f"verify-rate:{client_address(request)}",
        limit=settings.SUKSA_VERIFY_RATE_PER_MINUTE,
    )


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_GET
def verify(request: HttpRequest, code: str | None = None) -> HttpResponse:
    typed = request.GET.get("code", "").strip()
    if code is None and (address := typed_for_address(typed)):
        return redirect("verify", code=address)
    if code is None and typed:
        code = typed[:TYPED_MAX_LENGTH]  # neither a code nor a number: "unknown"
    if code is None:
        return _noindex(TemplateResponse(request, "certificates/verify.html", {}))
    if verify_rate_exceeded(request):
        return _noindex(
            TemplateResponse(
                request, "certificates/verify_slow_down.html", {}, status=429
            )
        )
    facts = certificate_public_facts(typed=code)
    status = 200 if facts else 404
    return _noindex(
        TemplateResponse(
            request,
            "certificates/verify.html",
            {"facts": facts, "code": code, "looked_up": True},
            status=status,
        )
    )
