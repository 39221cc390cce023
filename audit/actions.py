"""The actions the audit trail records, with the label administrators read."""

from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "login.success": _("Signed in"),
    "login.failure": _("Failed sign-in"),
    "login.lockout": _("Locked out after failed sign-ins"),
    "login.locked": _("Sign-in refused while locked out"),
    "login.two_factor": _("Two-step sign-in passed"),
    "login.two_factor_failure": _("Two-step sign-in failed"),
    "logout": _("Signed out"),
    "two_factor.enrol": _("Two-step sign-in turned on"),
    "two_factor.disable": _("Two-step sign-in turned off"),
    "two_factor.recovery": _("New recovery codes"),
    "certificate.issue": _("Certificate issued"),
    "certificate.revoke": _("Certificate revoked"),
    "certificate.reissue": _("Certificate re-issued"),
    "import": _("Import"),
    "export": _("Export"),
    "personal_data.view": _("Personal data viewed"),
    "personal_data.export": _("Personal data exported"),
    "personal_data.erase": _("Personal data erased"),
    "create": _("Created"),
    "change": _("Changed"),
    "person.change": _("Person's details changed"),
    "delete": _("Deleted"),
    "approve": _("Approved"),
    "unapprove": _("Approval withdrawn"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))
