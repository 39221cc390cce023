from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from trainings import hooks as training_hooks

from .admin_views import session_certificates_section
from .viewsets import CertificatesViewSetGroup


@hooks.register("register_admin_viewset")
def register_certificates_viewsets():
    return CertificatesViewSetGroup()


@hooks.register("register_log_actions")
def register_certificate_log_actions(actions):
    actions.register_action(
        "suksa.certificate.issue", _("Issue certificate"), _("Certificate issued")
    )
    actions.register_action(
        "suksa.certificate.revoke", _("Revoke certificate"), _("Certificate revoked")
    )
    actions.register_action(
        "suksa.certificate.replace",
        _("Replace certificate"),
        _("Certificate replaced by a corrected one"),
    )
    actions.register_action(
        "suksa.certificate.date",
        _("Change issue date"),
        _("Certificate issue date changed"),
    )


@hooks.register(training_hooks.SESSION_PAGE)
def session_page_certificates(request, session):
    return {"certificate_section": session_certificates_section(request, session)}
