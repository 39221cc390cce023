"""Every route has an owner: each URL pattern, requested as every role and anonymous.

The test walks the whole URL configuration (``get_resolver()``, the Wagtail admin and
the API included) and requests every pattern as anonymous and as each role of DESIGN
§2, with parameter values taken from the ``world`` fixture. Each pattern must match
exactly one rule:

* Wagtail's and Django's own admin views (several hundred) are grouped: anonymous is
  sent to sign in; a promoter reaches none of them except the account pages. Staff
  roles there are governed by Wagtail's permission checks and Wagtail's own tests.
* Every other pattern has a row in ``EXPECTED``: the answer for each role.

A new URL pattern with no rule fails ``test_every_route_has_exactly_one_rule``.
"""

import datetime
import os
import re
from dataclasses import dataclass

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils import timezone, translation

from audit.services import audit_record
from certificates.models import CertificateJob
from certificates.services import certificate_issue
from projects.models import Indicator
from reports.models import ExportJob
from tests.certificates.conftest import complete
from tests.factories import (
    CampaignFactory,
    DistrictOfficeFactory,
    HistoricalTrainingFactory,
    PersonFactory,
    ProjectFactory,
    PromoterFactory,
    SessionFactory,
    record_meeting,
)
from trainings.models import TraineeFollowUp, TrainerQualification
from trainings.services import qualification_save

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "admin",
    "editor",
    "trainer",
    "trainer2",
    "manager",
    "officer",
    "promoter",
]

# Outcomes: ok (2xx), login (sent to sign in, or 401/403 for an anonymous API call),
# denied (403, or Wagtail's redirect to the dashboard), missing (404: outside the
# user's scope or no such object), method (405), bad (400), redirect (another 3xx).


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    pattern: URLPattern
    kwargs: tuple[tuple[str, str], ...]  # (name, converter or "regex")
    positional: int


def _converters(pattern) -> list[tuple[str, str]]:
    if isinstance(pattern, RoutePattern):
        return [
            (name, type(converter).__name__)
            for name, converter in pattern.converters.items()
        ]
    if isinstance(pattern, RegexPattern):
        return [(name, "regex") for name in pattern.regex.groupindex]
    return []


def _positional(pattern) -> int:
    if isinstance(pattern, RegexPattern):
        return pattern.regex.groups - len(pattern.regex.groupindex)
    return 0


def all_routes() -> list[Route]:
    found = []

    def walk(patterns, prefix="", namespace="", kwargs=(), positional=0):
        for entry in patterns:
            here = [*kwargs, *_converters(entry.pattern)]
            count = positional + _positional(entry.pattern)
            if isinstance(entry, URLResolver):
                inner = namespace
                if entry.namespace:
                    inner = (
                        f"{namespace}:{entry.namespace}"
                        if namespace
                        else (entry.namespace)
                    )
                walk(
                    entry.url_patterns, prefix + str(entry.pattern), inner, here, count
                )
            else:
                name = entry.name or ""
                if namespace and name:
                    name = f"{namespace}:{name}"
                found.append(
                    Route(prefix + str(entry.pattern), name, entry, tuple(here), count)
                )

    with translation.override("lo"):  # the public site's prefix: /lo/
        walk(get_resolver().url_patterns)
    return found


# Grouped rules --------------------------------------------------------------------

WAGTAIL_NAMESPACES = (
    "wagtail",
    "simple_translation:",
)
# Admin pages anyone may open: signing in, resetting a password, scripts and icons.
ANONYMOUS_ADMIN_PAGES = {
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_complete",
    "wagtailadmin_password_reset_confirm",
    "admin:login",
    "admin:logout",
}
# Admin pages a promoter may open besides: the dashboard (which sends them to the
# portal) and their own account.
PROMOTER_ADMIN_PAGES = ANONYMOUS_ADMIN_PAGES | {
    "wagtailadmin_home",
    "wagtailadmin_account",
    "wagtailadmin_account_notification_preferences",
}


def is_wagtail_admin(route: Route) -> bool:
    return route.route.startswith("admin/") and (
        route.name.startswith(WAGTAIL_NAMESPACES) or not route.name
    )


def is_django_admin(route: Route) -> bool:
    return route.route.startswith("django-admin/")


GROUPS = {"wagtail admin": is_wagtail_admin, "django admin": is_django_admin}


# The table -------------------------------------------------------------------------
# Columns: anonymous admin editor trainer trainer2 manager officer promoter
# Each route, then on the next line what each role gets, in this order:
#   anonymous admin editor trainer trainer2 manager officer promoter
# ("(root)" is the empty route, /). SUKSA_ROUTES_PRINT=1 prints what they get now.
ROUTE_TABLE = r"""
healthz
    ok ok ok ok ok ok ok ok
admin/two-factor/
    login ok ok ok ok ok ok ok
admin/two-factor/verify/
    login denied denied denied denied denied denied denied
admin/materials/downloads/
    login ok ok denied denied ok denied denied
admin/promoters-sheets/<str:kind>/export.<str:file_format>
    login ok denied denied denied ok ok denied
admin/promoters-sheets/<str:kind>/import/
    login ok denied denied denied denied ok denied
admin/promoters-sheets/meetings/<int:pk>/photo/
    login missing missing missing missing missing missing denied
admin/reports/
    login ok denied ok ok ok ok denied
admin/reports/export.<str:fmt>
    login ok denied ok ok ok ok denied
admin/reports/people.<str:fmt>
    login ok denied denied denied ok denied denied
admin/reports/dhis2.<str:fmt>
    login ok denied ok ok ok ok denied
admin/reports/results/
    login ok denied ok ok ok ok denied
admin/reports/outcome/
    login ok denied ok ok ok ok denied
admin/reports/results.<str:fmt>
    login missing denied missing missing missing missing denied
admin/reports/downloads/
    login method method method method method method denied
admin/reports/downloads/<int:job_id>/
    login missing missing missing missing ok missing denied
admin/reports/downloads/<int:job_id>/status/
    login missing missing missing missing ok missing denied
admin/reports/downloads/<int:job_id>/file/
    login missing missing missing missing ok missing denied
admin/reports/approvals/
    login ok denied denied denied ok denied denied
admin/reports/approvals/<int:pk>/unapprove/
    login missing denied denied denied missing denied denied
admin/provinces/
    login ok ok ok ok ok ok denied
admin/provinces/results/
    login ok ok ok ok ok ok denied
admin/provinces/new/
    login ok denied denied denied denied denied denied
admin/provinces/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/provinces/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/provinces/history/<int:pk>/
    login ok denied denied denied denied denied denied
admin/provinces/history-results/<int:pk>/
    login ok denied denied denied denied denied denied
admin/provinces/usage/<int:pk>/
    login ok denied denied denied denied denied denied
admin/provinces/copy/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/
    login ok ok ok ok ok ok denied
admin/districts/results/
    login ok ok ok ok ok ok denied
admin/districts/new/
    login ok denied denied denied denied denied denied
admin/districts/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/history/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/history-results/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/usage/<int:pk>/
    login ok denied denied denied denied denied denied
admin/districts/copy/<int:pk>/
    login ok denied denied denied denied denied denied
admin/villages/
    login ok denied ok ok ok ok denied
admin/villages/results/
    login ok denied ok ok ok ok denied
admin/villages/new/
    login ok denied ok ok denied ok denied
admin/villages/edit/<int:pk>/
    login ok denied denied denied denied ok denied
admin/villages/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/villages/history/<int:pk>/
    login ok denied ok ok denied ok denied
admin/villages/history-results/<int:pk>/
    login ok denied ok ok denied ok denied
admin/villages/usage/<int:pk>/
    login ok denied denied denied denied ok denied
admin/villages/copy/<int:pk>/
    login ok denied ok ok denied ok denied
admin/people/
    login ok denied ok ok ok ok denied
admin/people/results/
    login ok denied ok ok ok ok denied
admin/people/new/
    login ok denied ok ok denied ok denied
admin/people/edit/<int:pk>/
    login ok denied ok missing denied missing denied
admin/people/delete/<int:pk>/
    login ok missing denied missing denied missing denied
admin/people/history/<int:pk>/
    login ok missing ok missing denied missing denied
admin/people/history-results/<int:pk>/
    login ok missing ok missing denied missing denied
admin/people/usage/<int:pk>/
    login ok missing ok missing denied missing denied
admin/people/inspect/<int:pk>/
    login ok missing ok missing ok missing denied
admin/people/personal-data/<int:pk>/
    login ok missing denied missing denied missing denied
admin/people/erase/<int:pk>/
    login ok missing denied missing denied missing denied
admin/people/find-by-phone/
    login ok denied ok ok denied denied denied
admin/organisations/
    login ok denied ok ok ok ok denied
admin/organisations/results/
    login ok denied ok ok ok ok denied
admin/organisations/new/
    login ok denied ok ok denied ok denied
admin/organisations/edit/<int:pk>/
    login missing denied denied denied denied denied denied
admin/organisations/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/organisations/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/organisations/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/organisations/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/organisations/copy/<int:pk>/
    login missing denied missing missing denied missing denied
admin/sessions/
    login ok denied ok ok ok denied denied
admin/sessions/results/
    login ok denied ok ok ok denied denied
admin/sessions/new/
    login ok denied ok ok denied denied denied
admin/sessions/edit/<int:pk>/
    login ok denied ok missing denied denied denied
admin/sessions/delete/<int:pk>/
    login ok missing denied missing denied missing denied
admin/sessions/history/<int:pk>/
    login ok missing ok missing denied missing denied
admin/sessions/history-results/<int:pk>/
    login ok missing ok missing denied missing denied
admin/sessions/usage/<int:pk>/
    login ok missing ok missing denied missing denied
admin/sessions/inspect/<int:pk>/
    login ok missing ok missing ok missing denied
admin/sessions/<str:pk>/attendance/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/scores/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/study/
    login missing denied missing missing denied denied denied
admin/feedback/session/<str:pk>/paper/
    login ok denied ok missing denied denied denied
admin/feedback/session/<str:pk>/paper/import/
    login ok denied ok missing denied denied denied
admin/feedback/session/<str:pk>/paper/template.xlsx
    login ok denied ok missing denied denied denied
admin/feedback/session/<str:pk>/qr/
    login ok denied ok missing ok denied denied
admin/sessions/<str:pk>/import/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/paste/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/participants/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/complete/
    login ok denied ok missing denied denied denied
admin/sessions/<str:pk>/sheet.<str:file_format>
    login ok denied ok missing ok denied denied
admin/courses/
    login ok denied ok ok ok denied denied
admin/courses/results/
    login ok denied ok ok ok denied denied
admin/courses/new/
    login ok denied ok ok denied denied denied
admin/courses/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/courses/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/courses/history/<int:pk>/
    login ok denied ok ok denied denied denied
admin/courses/history-results/<int:pk>/
    login ok denied ok ok denied denied denied
admin/courses/usage/<int:pk>/
    login ok denied denied denied denied denied denied
admin/courses/copy/<int:pk>/
    login ok denied ok ok denied denied denied
admin/trainer_roster/
    login ok denied ok ok ok denied denied
admin/trainer_roster/results/
    login ok denied ok ok ok denied denied
admin/trainer_roster/new/
    login ok denied denied denied denied denied denied
admin/trainer_roster/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/trainer_roster/delete/<int:pk>/
    login ok missing denied missing denied missing denied
admin/trainer_roster/history/<int:pk>/
    login ok missing denied missing denied missing denied
admin/trainer_roster/history-results/<int:pk>/
    login ok missing denied missing denied missing denied
admin/trainer_roster/usage/<int:pk>/
    login ok missing denied missing denied missing denied
admin/trainer_roster/inspect/<int:pk>/
    login ok missing ok missing ok missing denied
admin/historical_trainings/
    login ok denied ok ok ok ok denied
admin/historical_trainings/results/
    login ok denied ok ok ok ok denied
admin/historical_trainings/new/
    login ok denied ok ok denied denied denied
admin/historical_trainings/edit/<int:pk>/
    login ok denied ok denied denied denied denied
admin/historical_trainings/delete/<int:pk>/
    login ok missing ok denied denied denied denied
admin/historical_trainings/history/<int:pk>/
    login ok missing ok ok denied denied denied
admin/historical_trainings/history-results/<int:pk>/
    login ok missing ok ok denied denied denied
admin/historical_trainings/usage/<int:pk>/
    login ok missing ok ok denied denied denied
admin/historical_trainings/inspect/<int:pk>/
    login ok missing ok ok ok ok denied
admin/person_chooser/
    login ok denied ok ok ok ok denied
admin/person_chooser/results/
    login ok denied ok ok ok ok denied
admin/person_chooser/chosen/<str:pk>/
    login missing denied missing missing missing missing denied
admin/person_chooser/chosen-multiple/
    login ok denied ok ok ok ok denied
admin/person_chooser/create/
    login ok denied ok ok denied ok denied
admin/certificates/
    login ok denied ok ok ok denied denied
admin/certificates/results/
    login ok denied ok ok ok denied denied
admin/certificates/new/
    login denied denied denied denied denied denied denied
admin/certificates/edit/<int:pk>/
    login denied denied denied denied denied denied denied
admin/certificates/delete/<int:pk>/
    login denied missing denied missing denied missing denied
admin/certificates/history/<int:pk>/
    login ok missing ok missing ok missing denied
admin/certificates/history-results/<int:pk>/
    login ok missing ok missing ok missing denied
admin/certificates/usage/<int:pk>/
    login denied missing denied missing denied missing denied
admin/certificates/inspect/<int:pk>/
    login ok missing ok missing ok missing denied
admin/certificates/pdf/<int:pk>/
    login ok missing ok missing ok missing missing
admin/certificates/revoke/<int:pk>/
    login ok missing denied missing ok missing denied
admin/certificates/reissue/<int:pk>/
    login ok missing ok missing denied missing denied
admin/certificates/issue-date/<int:pk>/
    login ok missing denied missing denied missing denied
admin/certificates/session/<str:pk>/issue/
    login method denied method missing denied denied denied
admin/certificates/session/<str:pk>/issue/<int:enrolment>/
    login method denied method missing denied denied denied
admin/certificates/jobs/<int:job_id>/
    login ok denied ok missing ok denied denied
admin/certificates/jobs/<int:job_id>/status/
    login ok denied ok missing ok denied denied
admin/certificates/jobs/<int:job_id>/certificates.<str:file_format>
    login missing denied missing missing missing denied denied
admin/certificate_templates/
    login ok ok denied denied denied denied denied
admin/certificate_templates/results/
    login ok ok denied denied denied denied denied
admin/certificate_templates/new/
    login ok denied denied denied denied denied denied
admin/certificate_templates/edit/<int:pk>/
    login missing missing denied denied denied denied denied
admin/certificate_templates/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/certificate_templates/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/certificate_templates/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/certificate_templates/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/certificate_templates/preview/<int:pk>/
    login missing missing denied denied denied denied denied
admin/promoters/
    login ok denied denied denied ok ok denied
admin/promoters/results/
    login ok denied denied denied ok ok denied
admin/promoters/new/
    login ok denied denied denied denied ok denied
admin/promoters/edit/<int:pk>/
    login ok denied denied denied denied ok denied
admin/promoters/delete/<int:pk>/
    login ok missing missing missing denied ok denied
admin/promoters/history/<int:pk>/
    login ok missing missing missing denied ok denied
admin/promoters/history-results/<int:pk>/
    login ok missing missing missing denied ok denied
admin/promoters/usage/<int:pk>/
    login ok missing missing missing denied ok denied
admin/promoters/inspect/<int:pk>/
    login ok missing missing missing ok ok denied
admin/village_meetings/
    login ok denied denied denied ok ok denied
admin/village_meetings/results/
    login ok denied denied denied ok ok denied
admin/village_meetings/new/
    login ok denied denied denied denied ok denied
admin/village_meetings/edit/<int:pk>/
    login ok denied denied denied denied ok denied
admin/village_meetings/delete/<int:pk>/
    login ok missing missing missing denied ok denied
admin/village_meetings/history/<int:pk>/
    login ok missing missing missing denied ok denied
admin/village_meetings/history-results/<int:pk>/
    login ok missing missing missing denied ok denied
admin/village_meetings/usage/<int:pk>/
    login ok missing missing missing denied ok denied
admin/village_meetings/inspect/<int:pk>/
    login ok missing missing missing ok ok denied
admin/campaigns/
    login ok denied denied denied ok ok denied
admin/campaigns/results/
    login ok denied denied denied ok ok denied
admin/campaigns/new/
    login ok denied denied denied ok denied denied
admin/campaigns/edit/<int:pk>/
    login ok denied denied denied ok denied denied
admin/campaigns/delete/<int:pk>/
    login ok missing missing missing ok denied denied
admin/campaigns/history/<int:pk>/
    login ok missing missing missing ok denied denied
admin/campaigns/history-results/<int:pk>/
    login ok missing missing missing ok denied denied
admin/campaigns/usage/<int:pk>/
    login ok missing missing missing ok denied denied
admin/campaigns/inspect/<int:pk>/
    login ok missing missing missing ok ok denied
admin/district_offices/
    login ok denied denied denied ok ok denied
admin/district_offices/results/
    login ok denied denied denied ok ok denied
admin/district_offices/new/
    login ok denied denied denied denied denied denied
admin/district_offices/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/district_offices/delete/<int:pk>/
    login ok missing missing missing denied denied denied
admin/district_offices/history/<int:pk>/
    login ok missing missing missing denied denied denied
admin/district_offices/history-results/<int:pk>/
    login ok missing missing missing denied denied denied
admin/district_offices/usage/<int:pk>/
    login ok missing missing missing denied denied denied
admin/district_offices/inspect/<int:pk>/
    login ok missing missing missing ok ok denied
admin/information_centres/
    login ok denied denied denied ok ok denied
admin/information_centres/results/
    login ok denied denied denied ok ok denied
admin/information_centres/new/
    login ok denied denied denied denied denied denied
admin/information_centres/edit/<int:pk>/
    login missing denied denied denied denied denied denied
admin/information_centres/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/information_centres/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/information_centres/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/information_centres/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/information_centres/inspect/<int:pk>/
    login missing missing missing missing missing missing denied
admin/centre_visits/
    login ok denied denied denied ok ok denied
admin/centre_visits/results/
    login ok denied denied denied ok ok denied
admin/centre_visits/new/
    login ok denied denied denied denied ok denied
admin/centre_visits/edit/<int:pk>/
    login missing denied denied denied denied missing denied
admin/centre_visits/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/centre_visits/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/centre_visits/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/centre_visits/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/centre_visits/inspect/<int:pk>/
    login missing missing missing missing missing missing denied
admin/projects/
    login ok ok ok ok ok ok denied
admin/projects/results/
    login ok ok ok ok ok ok denied
admin/projects/new/
    login ok denied denied denied denied denied denied
admin/projects/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/projects/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/projects/history/<int:pk>/
    login ok denied denied denied denied denied denied
admin/projects/history-results/<int:pk>/
    login ok denied denied denied denied denied denied
admin/projects/usage/<int:pk>/
    login ok denied denied denied denied denied denied
admin/projects/inspect/<int:pk>/
    login ok ok ok ok ok ok denied
admin/indicators/
    login ok ok ok ok ok ok denied
admin/indicators/results/
    login ok ok ok ok ok ok denied
admin/indicators/new/
    login ok denied denied denied denied denied denied
admin/indicators/edit/<int:pk>/
    login ok denied denied denied denied denied denied
admin/indicators/delete/<int:pk>/
    login ok denied denied denied denied denied denied
admin/indicators/history/<int:pk>/
    login ok denied denied denied denied denied denied
admin/indicators/history-results/<int:pk>/
    login ok denied denied denied denied denied denied
admin/indicators/usage/<int:pk>/
    login ok denied denied denied denied denied denied
admin/indicators/inspect/<int:pk>/
    login ok ok ok ok ok ok denied
admin/follow_ups/
    login ok denied denied denied denied ok denied
admin/follow_ups/results/
    login ok denied denied denied denied ok denied
admin/follow_ups/new/
    login missing missing missing missing missing missing denied
admin/follow_ups/edit/<int:pk>/
    login missing denied denied denied denied missing denied
admin/follow_ups/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/follow_ups/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/follow_ups/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/follow_ups/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/follow_ups/inspect/<int:pk>/
    login missing missing missing missing missing missing denied
admin/trainee_follow_ups/
    login ok denied ok ok ok ok denied
admin/trainee_follow_ups/results/
    login ok denied ok ok ok ok denied
admin/trainee_follow_ups/new/
    login missing missing missing missing missing missing denied
admin/trainee_follow_ups/edit/<int:pk>/
    login ok denied ok missing denied missing denied
admin/trainee_follow_ups/delete/<int:pk>/
    login ok missing denied missing denied missing denied
admin/trainee_follow_ups/history/<int:pk>/
    login ok missing ok missing denied missing denied
admin/trainee_follow_ups/history-results/<int:pk>/
    login ok missing ok missing denied missing denied
admin/trainee_follow_ups/usage/<int:pk>/
    login ok missing ok missing denied missing denied
admin/trainee_follow_ups/inspect/<int:pk>/
    login ok missing ok missing ok missing denied
admin/promoter_topics/
    login ok denied denied denied denied denied denied
admin/promoter_topics/results/
    login ok denied denied denied denied denied denied
admin/promoter_topics/new/
    login ok denied denied denied denied denied denied
admin/promoter_topics/edit/<int:pk>/
    login missing denied denied denied denied denied denied
admin/promoter_topics/delete/<int:pk>/
    login missing missing missing missing missing missing denied
admin/promoter_topics/history/<int:pk>/
    login missing missing missing missing missing missing denied
admin/promoter_topics/history-results/<int:pk>/
    login missing missing missing missing missing missing denied
admin/promoter_topics/usage/<int:pk>/
    login missing missing missing missing missing missing denied
admin/audit/
    login ok denied denied denied denied denied denied
admin/audit/results/
    login ok denied denied denied denied denied denied
admin/audit/new/
    login denied denied denied denied denied denied denied
admin/audit/edit/<int:pk>/
    login denied denied denied denied denied denied denied
admin/audit/delete/<int:pk>/
    login denied denied denied denied denied denied denied
admin/audit/history/<int:pk>/
    login denied denied denied denied denied denied denied
admin/audit/history-results/<int:pk>/
    login denied denied denied denied denied denied denied
admin/audit/usage/<int:pk>/
    login denied denied denied denied denied denied denied
admin/audit/inspect/<int:pk>/
    login ok denied denied denied denied denied denied
admin/field-history/
    login ok denied denied denied denied denied denied
admin/field-history/results/
    login ok denied denied denied denied denied denied
admin/field-history/new/
    login denied denied denied denied denied denied denied
admin/field-history/edit/<int:pk>/
    login denied denied denied denied denied denied denied
admin/field-history/delete/<int:pk>/
    login denied denied denied denied denied denied denied
admin/field-history/history/<int:pk>/
    login denied denied denied denied denied denied denied
admin/field-history/history-results/<int:pk>/
    login denied denied denied denied denied denied denied
admin/field-history/usage/<int:pk>/
    login denied denied denied denied denied denied denied
documents/^(\d+)/(.*)$
    missing missing missing missing missing missing missing missing
documents/authenticate_with_password/<int:restriction_id>/
    missing missing missing missing missing missing missing missing
materials/files/<int:file_id>/<str:filename>
    redirect redirect redirect redirect redirect redirect redirect redirect
api/v2/^pages/
    ok ok ok ok ok ok ok ok
api/v2/^pages/<int:pk>/
    missing missing missing missing missing missing missing missing
api/v2/^pages/find/
    missing missing missing missing missing missing missing missing
i18n/setlang/
    redirect redirect redirect redirect redirect redirect redirect redirect
language/<str:code>/
    redirect redirect redirect redirect redirect redirect redirect redirect
verify/
    ok ok ok ok ok ok ok ok
verify/<str:code>/
    ok ok ok ok ok ok ok ok
feedback/<str:token>/
    missing missing missing missing missing missing missing missing
api/v1/reports/trained/
    login ok denied ok ok ok ok denied
api/v1/reports/tot/
    login ok denied ok ok ok ok denied
api/v1/reports/follow-ups/
    login ok denied ok ok ok ok denied
api/v1/reports/learning/
    login ok denied ok ok ok ok denied
api/v1/reports/outcome/
    login ok denied ok ok ok ok denied
api/v1/reports/outreach/
    login ok denied ok ok ok ok denied
api/v1/reports/coverage/
    login ok denied ok ok ok ok denied
api/v1/reports/cascade/<int:session_id>/
    login ok denied ok missing ok missing denied
api/v1/projects/<int:pk>/results/
    login ok denied ok ok ok ok denied
api/v1/sessions/<int:pk>/certificates/
    login method method method method method method method
api/v1/enrolments/<int:pk>/certificate/
    login method method method method method method method
api/v1/verify/<str:code>/
    ok ok ok ok ok ok ok ok
feedback/<str:token>/
    missing missing missing missing missing missing missing missing
api/v1/^provinces/$
    login ok ok ok ok ok ok ok
api/v1/^provinces/(?P<pk>[^/.]+)/$
    login ok ok ok ok ok ok ok
api/v1/^districts/$
    login ok ok ok ok ok ok ok
api/v1/^districts/(?P<pk>[^/.]+)/$
    login ok ok ok ok ok ok ok
api/v1/^people/$
    login ok ok ok ok ok ok ok
api/v1/^people/(?P<pk>[^/.]+)/$
    login ok missing ok missing ok missing missing
api/v1/^people/search/$
    login method method method method method method method
api/v1/^courses/$
    login ok ok ok ok ok ok ok
api/v1/^courses/(?P<pk>[^/.]+)/$
    login ok ok ok ok ok ok ok
api/v1/^sessions/$
    login ok ok ok ok ok ok ok
api/v1/^sessions/(?P<pk>[^/.]+)/$
    login ok missing ok missing ok missing missing
api/v1/^sessions/(?P<pk>[^/.]+)/cascade/$
    login ok missing ok missing ok missing missing
api/v1/^sessions/(?P<pk>[^/.]+)/complete/$
    login method method method method method method method
api/v1/^sessions/(?P<pk>[^/.]+)/import/$
    login method method method method method method method
api/v1/^sessions/(?P<pk>[^/.]+)/sheet\.csv$
    login ok missing ok missing ok missing missing
api/v1/^sessions/(?P<pk>[^/.]+)/sheet\.pdf$
    login ok missing ok missing ok missing missing
api/v1/^sessions/(?P<pk>[^/.]+)/sheet\.xlsx$
    login ok missing ok missing ok missing missing
api/v1/^enrolments/$
    login ok ok ok ok ok ok ok
api/v1/^enrolments/(?P<pk>[^/.]+)/$
    login ok missing ok missing ok missing missing
api/v1/^attendance/$
    login ok ok ok ok ok ok ok
api/v1/^certificates/$
    login ok ok ok ok ok ok ok
api/v1/^certificates/mine/$
    login ok ok ok ok ok ok ok
api/v1/^certificates/(?P<pk>[^/.]+)/$
    login ok missing ok missing ok missing missing
api/v1/^certificates/(?P<pk>[^/.]+)/pdf/$
    login ok missing ok missing ok missing missing
api/v1/^certificates/(?P<pk>[^/.]+)/revoke/$
    login method method method method method method method
api/v1/^jobs/(?P<pk>[^/.]+)/$
    login ok missing ok missing ok missing missing
api/v1/^jobs/(?P<pk>[^/.]+)/pdf/$
    login missing missing missing missing missing missing missing
api/v1/^jobs/(?P<pk>[^/.]+)/zip/$
    login missing missing missing missing missing missing missing
api/v1/^promoters/$
    login ok ok ok ok ok ok ok
api/v1/^promoters/(?P<pk>[^/.]+)/$
    login ok missing missing missing ok ok ok
api/v1/^offices/$
    login ok ok ok ok ok ok ok
api/v1/^offices/(?P<pk>[^/.]+)/$
    login ok missing missing missing ok ok missing
api/v1/^meetings/$
    login ok ok ok ok ok ok ok
api/v1/^meetings/(?P<pk>[^/.]+)/$
    login ok missing missing missing ok ok ok
api/v1/^centres/$
    login ok ok ok ok ok ok ok
api/v1/^centres/(?P<pk>[^/.]+)/$
    login missing missing missing missing missing missing missing
api/v1/^centre-visits/$
    login ok ok ok ok ok ok ok
api/v1/^centre-visits/(?P<pk>[^/.]+)/$
    login missing missing missing missing missing missing missing
api/v1/^projects/$
    login ok ok ok ok ok ok ok
api/v1/^projects/(?P<pk>[^/.]+)/$
    login ok ok ok ok ok ok missing
api/v1/
    login ok ok ok ok ok ok ok
api/v1/schema/
    ok ok ok ok ok ok ok ok
api/v1/docs/
    ok ok ok ok ok ok ok ok
sw.js
    ok ok ok ok ok ok ok ok
manifest.webmanifest
    ok ok ok ok ok ok ok ok
(root)
    redirect redirect redirect redirect redirect redirect redirect redirect
lo/saved/
    ok ok ok ok ok ok ok ok
lo/portal/
    login ok denied denied denied denied denied ok
lo/portal/login/
    ok redirect redirect redirect redirect redirect redirect redirect
lo/portal/logout/
    method method method method method method method method
lo/portal/materials/
    login ok denied denied denied denied denied ok
lo/portal/meetings/
    login ok denied denied denied denied denied ok
lo/portal/meetings/new/
    login ok denied denied denied denied denied ok
lo/portal/certificates/
    login ok denied denied denied denied denied ok
lo/portal/certificates/<int:pk>/pdf/
    login missing denied denied denied denied denied missing
lo/portal/follow-ups/
    login ok denied denied denied denied denied ok
lo/portal/follow-ups/<int:pk>/
    login missing denied denied denied denied denied missing
lo/_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/
    missing missing missing missing missing missing missing missing
lo/_util/login/
    ok ok ok ok ok ok ok ok
lo/^((?:[\w\-]+/)*)$
    ok ok ok ok ok ok ok ok
"""


def _parse(table: str) -> dict[str, str]:
    lines = [line for line in table.splitlines() if line.strip()]
    routes = [line if line != "(root)" else "" for line in lines[0::2]]
    return dict(zip(routes, (line.strip() for line in lines[1::2]), strict=True))


EXPECTED = _parse(ROUTE_TABLE)


def expected_row(route: Route) -> dict[str, str] | None:
    row = EXPECTED.get(route.route)
    return dict(zip(ROLES, row.split(), strict=True)) if row else None


# Requests --------------------------------------------------------------------------


@pytest.fixture
def world(make_user, admin_user, home_pages):
    """One of each thing a URL can point at, owned by the demo users."""
    users = {name: make_user(name) for name in ROLES[2:-1]}
    users["admin"] = admin_user
    users["promoter"] = make_user("promoter")
    session = SessionFactory(created_by=users["trainer"])
    project = ProjectFactory()
    person = PersonFactory(full_name="ນາງ ບົວພັນ", phone="020 5551 2345")
    enrolment, _absent = complete(session, [person], [PersonFactory()])
    certificate, _created = certificate_issue(enrolment=enrolment, by=admin_user)
    job = CertificateJob.objects.create(session=session, requested_by=users["trainer"])
    office = DistrictOfficeFactory(officers=[users["officer"]])
    promoter = PromoterFactory(
        person=PersonFactory(user=users["promoter"]), office=office
    )
    meeting = record_meeting(promoter, user=users["promoter"])
    campaign = CampaignFactory(districts=[office.district])
    event = audit_record(action="export")
    qualification = qualification_save(
        qualification=TrainerQualification(
            person=person, course=session.course, qualified_on=session.ends_on
        )
    )
    trainee_follow_up = TraineeFollowUp.objects.create(
        enrolment=enrolment, months=3, due_on=session.ends_on
    )
    historical = HistoricalTrainingFactory(
        district=office.district, recorded_by=users["trainer"]
    )
    export_job = ExportJob.objects.create(
        requested_by=users["manager"],
        kind=ExportJob.Kind.REPORT,
        file_format="csv",
        language="en",
        state=ExportJob.State.DONE,
        file=ContentFile(b"figures", name="export-jobs/routes-test.csv"),
        filename="suksa-report-all-time.csv",
        content_type="text/csv",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    objects = {
        "session": session,
        "person": person,
        "enrolment": enrolment,
        "certificate": certificate,
        "job": job,
        "export_job": export_job,
        "course": session.course,
        "district": session.district,
        "province": session.district.province,
        "village": promoter.village,
        "organisation": None,
        "promoter": promoter,
        "office": office,
        "meeting": meeting,
        "campaign": campaign,
        "trainee_follow_up": trainee_follow_up,
        "event": event,
        "qualification": qualification,
        "historical_training": historical,
        "history_entry": LogEntry.objects.order_by("pk").first(),
        "page": home_pages,
        "project": project,
        "indicator": Indicator.objects.create(
            project=project,
            code="1.1",
            title_lo="ຕົວຊີ້ວັດ",
            title_en="Indicator",
            figure="people_trained",
        ),
    }
    return users, objects


# Which object a pattern's parameter points at, by the pattern's namespace or basename.
SUBJECTS = {
    "sessions": "session",
    "session": "session",
    "people": "person",
    "person": "person",
    "personal": "person",
    "certificates": "certificate",
    "certificate": "certificate",
    "courses": "course",
    "course": "course",
    "districts": "district",
    "district": "district",
    "provinces": "province",
    "province": "province",
    "villages": "village",
    "enrolment": "enrolment",
    "promoters": "promoter",
    "promoter": "promoter",
    "district_offices": "office",
    "office": "office",
    "village_meetings": "meeting",
    "trainee_follow_ups": "trainee_follow_up",
    "meeting": "meeting",
    "campaigns": "campaign",
    "audit": "event",
    "field_history": "history_entry",
    "job": "job",
    "trainer_roster": "qualification",
    "projects": "project",
    "project": "project",
    "indicators": "indicator",
    "historical_trainings": "historical_training",
}
VALUES = {
    "file_format": "xlsx",
    "fmt": "csv",
    "format": "json",
    "code": "certificate",
    "kind": "promoters",
}
MISSING = 999999


def subject_of(route: Route) -> str:
    name = route.name.split(":")[-2] if ":" in route.name else route.name
    if route.name.startswith("api:"):
        name = route.name.split(":")[1].rsplit("-", 1)[0].split("-")[0]
    if name.startswith("certificates") and "job" in route.name:
        return "job"
    if "session/<" in route.route:  # e.g. certificates' session/<pk>/issue/
        return "session"
    return SUBJECTS.get(name, "")


def url_for(route: Route, objects) -> str:
    kwargs = {}
    for name, converter in route.kwargs:
        if name in VALUES:
            value = VALUES[name]
            if value == "certificate":
                value = objects["certificate"].code
        elif name in ("job_id",) and route.name.startswith("reports_export_job"):
            value = objects["export_job"].pk
        elif name in ("job_id",):
            value = objects["job"].pk
        elif name in ("enrolment",):
            value = objects["enrolment"].pk
        elif name in ("session_id",):
            value = objects["session"].pk
        elif name in ("page_id",):
            value = objects["page"].pk
        elif name in ("pk", "id", "object_id", "instance_id"):
            subject = objects.get(subject_of(route))
            value = subject.pk if subject is not None else MISSING
        elif choices := re.search(rf"\(\?P<{name}>([\w|]+)\)", route.route):
            value = choices.group(1).split("|")[0]  # e.g. (?P<app_label>auth|…)
        elif converter in ("IntConverter", "regex"):
            value = MISSING
        else:
            value = "x"
        kwargs[name] = value
    args = ["1"] * route.positional
    with translation.override("lo"):
        return reverse(route.name, args=args or None, kwargs=kwargs or None)


SPECIAL_URLS = {
    "admin/^.*/$": "/admin/no-such-page/",
    "admin/test404/": "/admin/test404/",
    "django-admin/": "/django-admin/",
    "lo/^((?:[\\w\\-]+/)*)$": "/lo/",
}


def url_of(route: Route, objects) -> str:
    if route.route in SPECIAL_URLS:
        return SPECIAL_URLS[route.route]
    if not route.name:
        return "/" + re.sub(r"[\^$]", "", route.route)
    return url_for(route, objects)


def outcome(response, role: str, url: str) -> str:
    status = response.status_code
    if 200 <= status < 300:
        return "ok"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if "login" in location:
            return "login"
        if location.rstrip("/").endswith("/admin") or location.startswith("/admin/?"):
            return "denied"
        return "redirect"
    if status == 401 or (status == 403 and role == "anonymous"):
        return "login"
    return {403: "denied", 404: "missing", 405: "method", 400: "bad"}.get(
        status, str(status)
    )


@pytest.fixture
def clients(world):
    users, _objects = world
    made = {"anonymous": Client(raise_request_exception=False)}
    for role in ROLES[1:]:
        made[role] = Client(raise_request_exception=False)
        made[role].force_login(users[role])
    return made


def request(clients, world, role, url) -> str:
    users, _objects = world
    client = clients[role]
    if role != "anonymous" and "_auth_user_id" not in client.session:
        client.force_login(users[role])  # a sign-out route signed it out
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    if response.status_code >= 500:
        return "ERROR"  # never expected: a server error fails the test
    return outcome(response, role, url)


# Tests -----------------------------------------------------------------------------


def test_every_route_has_exactly_one_rule():
    uncovered, doubly = [], []
    for route in all_routes():
        rules = [name for name, matches in GROUPS.items() if matches(route)]
        if route.route in EXPECTED:
            rules.append("table")
        if not rules:
            uncovered.append(f"{route.route} ({route.name})")
        elif len(rules) > 1:
            doubly.append(f"{route.route}: {rules}")
    assert not uncovered, "Routes without an expectation:\n" + "\n".join(uncovered)
    assert not doubly, "Routes with more than one rule:\n" + "\n".join(doubly)


def test_the_table_names_no_route_that_is_gone():
    routes = {route.route for route in all_routes()}

    assert sorted(set(EXPECTED) - routes) == []


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_route(clients, world, role):
    """One test per role, so parallel runs share the walk out.

    SUKSA_ROUTES_PRINT=1 prints what the role gets on each route (the table's rows
    are the roles' answers side by side)."""
    _users, objects = world
    printing = bool(os.environ.get("SUKSA_ROUTES_PRINT"))
    wrong = []
    for route in all_routes():
        row = expected_row(route)
        if row is None and not (
            printing and not any(matches(route) for matches in GROUPS.values())
        ):
            continue
        url = url_of(route, objects)
        got = request(clients, world, role, url)
        if printing:
            print(f"{route.route or '(root)'} as {role}: {got}")
        if got == "ERROR" or (row is not None and got != row[role]):
            want = row[role] if row else "?"
            wrong.append(f"{route.route} {url} as {role}: {got}, not {want}")
    assert not wrong, "\n".join(wrong)


def test_the_admins_own_pages_send_anonymous_to_sign_in_and_keep_promoters_out(
    clients, world
):
    _users, objects = world
    wrong = []
    for route in all_routes():
        if not (is_wagtail_admin(route) or is_django_admin(route)):
            continue
        url = url_of(route, objects)
        anonymous = request(clients, world, "anonymous", url)
        promoter = request(clients, world, "promoter", url)
        if anonymous == "ERROR" or promoter == "ERROR":
            wrong.append(f"{route.route} {url}: server error")
        if route.name not in ANONYMOUS_ADMIN_PAGES and anonymous != "login":
            wrong.append(f"{route.route} {url} as anonymous: {anonymous}")
        if route.name not in PROMOTER_ADMIN_PAGES and promoter not in (
            "denied",
            "login",
            "method",
            "redirect",
        ):
            wrong.append(f"{route.route} {url} as promoter: {promoter}")
    assert not wrong, "\n".join(wrong)


def test_the_django_admin_is_for_superusers_only(clients, world):
    for role in ROLES[2:]:
        response = clients[role].get("/django-admin/")
        assert response.status_code == 302, role
        assert "login" in response["Location"]
    assert clients["admin"].get("/django-admin/").status_code == 200


def test_the_person_chooser_shows_only_people_in_the_users_scope(clients, world):
    for role in ("editor", "trainer2", "officer"):
        listing = clients[role].get("/admin/person_chooser/results/")
        assert "ບົວພັນ" not in listing.content.decode(), role


def test_a_promoter_in_the_admin_reaches_only_their_account(clients, world):
    promoter = clients["promoter"]

    assert promoter.get("/admin/")["Location"] == "/lo/portal/"
    assert promoter.get(reverse("wagtailadmin_account")).status_code == 200
    assert promoter.get("/admin/api/main/pages/").status_code == 403
    assert promoter.get("/admin/choose-page/").status_code == 403
    assert promoter.get("/admin/reports/site-history/").status_code == 403
