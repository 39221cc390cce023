"""Records views of personal data, file exports and API writes made in any view.

Rules rather than calls in every view, so that a new export or delete view is audited
from the day it is added. Services record the rest (certificates, imports, approvals).
"""

from .services import audit_record

# Pages that show one person's personal data (name, phone, birth year, village), and
# searches by phone number (sent in the body: identifiers never go in URLs).
PERSONAL_DATA_VIEWS = {
    "people:inspect",
    "people:edit",
    "api:person-detail",
    "people:phone_search",
    "api:person-search",
}
# API writes whose service records its own event (with the fields changed).
AUDITED_BY_THEIR_SERVICE = {"api:person-detail"}
# Public downloads are not exports of the system's data.
NOT_EXPORTS = {"wagtaildocs_serve", "wagtaildocs_serve_interstitial"}


def _object_id(match) -> str:
    for name in ("pk", "id", "object_id"):
        if name in match.kwargs:
            return str(match.kwargs[name])
    return ""


def _audit_action(request, response, match) -> tuple[str, str] | None:
    name = match.view_name
    if request.method in ("GET", "POST") and response.status_code == 200:
        if name in PERSONAL_DATA_VIEWS:
            return "personal_data.view", ""
    if request.method == "GET" and response.status_code == 200:
        if request.GET.get("export") or (
            name not in NOT_EXPORTS
            and "attachment" in response.headers.get("Content-Disposition", "")
        ):
            return "export", request.GET.get("export", "")
    # Deletions in the admin are taken from Wagtail's log (audit.apps); the API's here.
    if request.method == "DELETE" and response.status_code == 204:
        return "delete", ""
    # API writes; the field history (audit.history) keeps what changed.
    if name.startswith("api:") and name not in AUDITED_BY_THEIR_SERVICE:
        if request.method in ("PUT", "PATCH") and response.status_code == 200:
            return "change", ""
        if request.method == "POST" and response.status_code == 201:
            return "create", ""
    return None


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return response
        found = _audit_action(request, response, match)
        if found is not None:
            action, detail = found
            audit_record(
                action=action,
                request=request,
                object_type=match.view_name,
                object_id=_object_id(match),
                summary=detail,
            )
        return response
