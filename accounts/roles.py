"""The roles of DESIGN §2 as Django groups, with the permissions each one needs.

Later issues add their models' permissions here; ``roles_ensure`` brings the groups in
line with this table after every ``migrate``. The role names are ``access.roles``'s.
"""

from django.utils.translation import gettext_lazy as _

from access.roles import (
    ADMINISTRATORS,
    DISTRICT_OFFICERS,
    EDITORS,
    MANAGERS,
    MODERATORS,
    PROMOTERS,
    TRAINERS,
)

ROLE_LABELS = {
    ADMINISTRATORS: _("Administrator"),
    EDITORS: _("LSSO editor"),
    TRAINERS: _("Trainer"),
    MANAGERS: _("Manager"),
    DISTRICT_OFFICERS: _("District officer"),
    PROMOTERS: _("Promoter"),
    MODERATORS: _("Moderator"),
}

ADMIN_ACCESS = "wagtailadmin.access_admin"


def _crud(model: str, *actions: str) -> list[str]:
    app_label, model_name = model.split(".")
    return [f"{app_label}.{action}_{model_name}" for action in actions]


VIEW = ("view",)
EDIT = ("view", "add", "change")
FULL = ("view", "add", "change", "delete")

# Staff make and revoke their own API tokens (accounts.viewsets); "accounts.change_user"
# (administrators) extends that to everyone's.
API_TOKENS = _crud("wagtailcore.apitoken", *FULL)

ROLE_PERMISSIONS: dict[str, list[str]] = {
    ADMINISTRATORS: [
        ADMIN_ACCESS,
        *API_TOKENS,
        *_crud("places.province", *FULL),
        *_crud("places.district", *FULL),
        *_crud("places.village", *FULL),
        *_crud("people.person", *FULL),
        *_crud("people.organisation", *FULL),
        *_crud("accounts.user", *FULL),
        *_crud("auth.group", *FULL),
        *_crud("cms.sitesettings", "change"),
        *_crud("trainings.course", *FULL),
        *_crud("trainings.session", *FULL),
        *_crud("trainings.enrolment", *FULL),
        *_crud("trainings.attendance", *FULL),
        *_crud("trainings.trainerqualification", *FULL),
        *_crud("trainings.traineefollowup", "view", "change"),
        *_crud("feedback.feedback", *FULL),
        *_crud("trainings.historicaltraining", *FULL),
        *_crud("certificates.certificate", *FULL),
        *_crud("certificates.certificatejob", *FULL),
        *_crud("certificates.certificatetemplate", *FULL),
        *_crud("periods.periodapproval", *EDIT),
        *_crud("materials.topic", *FULL),
        *_crud("materials.audience", *FULL),
        *_crud("materials.download", *VIEW),
        *_crud("audit.auditevent", *VIEW),
        *_crud("promoters.districtoffice", *FULL),
        *_crud("promoters.promoter", *FULL),
        *_crud("promoters.villagemeeting", *FULL),
        *_crud("promoters.campaign", *FULL),
        *_crud("promoters.informationcentre", *FULL),
        *_crud("promoters.centrevisit", *FULL),
        *_crud("promoters.topic", *FULL),
        *_crud("promoters.followup", "view", "change"),
        *_crud("projects.project", *FULL),
        *_crud("projects.indicator", *FULL),
        *_crud("projects.indicatortarget", *FULL),
    ],
    EDITORS: [
        ADMIN_ACCESS,
        *API_TOKENS,
        *_crud("certificates.certificatetemplate", "view", "change"),
        *_crud("materials.topic", *EDIT),
        *_crud("materials.audience", *EDIT),
        *_crud("materials.download", *VIEW),
        *_crud("places.province", *VIEW),
        *_crud("places.district", *VIEW),
        *_crud("projects.project", *VIEW),
        *_crud("projects.indicator", *VIEW),
        *_crud("projects.indicatortarget", *VIEW),
    ],
    TRAINERS: [
        ADMIN_ACCESS,
        *API_TOKENS,
        *_crud("trainings.course", "view", "add"),
        *_crud("trainings.session", *EDIT),
        *_crud("trainings.enrolment", *FULL),
        *_crud("trainings.attendance", *FULL),
        *_crud("trainings.trainerqualification", *VIEW),
        *_crud("trainings.traineefollowup", "view", "change"),
        *_crud("feedback.feedback", "view", "add"),
        *_crud("trainings.historicaltraining", *FULL),
        *_crud("people.person", *EDIT),
        *_crud("people.organisation", "view", "add"),
        *_crud("places.province", *VIEW),
        *_crud("places.district", *VIEW),
        *_crud("places.village", "view", "add"),
        *_crud("certificates.certificate", "view", "add"),
        *_crud("certificates.certificatejob", "view", "add"),
        *_crud("projects.project", *VIEW),
        *_crud("projects.indicator", *VIEW),
        *_crud("projects.indicatortarget", *VIEW),
    ],
    MANAGERS: [
        ADMIN_ACCESS,
        *API_TOKENS,
        *_crud("trainings.course", *VIEW),
        *_crud("trainings.session", *VIEW),
        *_crud("trainings.enrolment", *VIEW),
        *_crud("trainings.attendance", *VIEW),
        *_crud("trainings.trainerqualification", *VIEW),
        *_crud("trainings.traineefollowup", *VIEW),
        *_crud("feedback.feedback", *VIEW),
        *_crud("trainings.historicaltraining", *VIEW),
        *_crud("people.person", *VIEW),
        *_crud("people.organisation", *VIEW),
        *_crud("places.province", *VIEW),
        *_crud("places.district", *VIEW),
        *_crud("places.village", *VIEW),
        # Managers revoke certificates ("change"); they never issue them.
        *_crud("certificates.certificate", "view", "change"),
        *_crud("certificates.certificatejob", *VIEW),
        # Managers approve a district's period and un-approve it (reports).
        *_crud("periods.periodapproval", *EDIT),
        *_crud("materials.download", *VIEW),
        *_crud("promoters.districtoffice", *VIEW),
        *_crud("promoters.promoter", *VIEW),
        *_crud("promoters.villagemeeting", *VIEW),
        *_crud("promoters.campaign", *FULL),
        *_crud("promoters.informationcentre", *VIEW),
        *_crud("promoters.centrevisit", *VIEW),
        *_crud("projects.project", *VIEW),
        *_crud("projects.indicator", *VIEW),
        *_crud("projects.indicatortarget", *VIEW),
    ],
    DISTRICT_OFFICERS: [
        ADMIN_ACCESS,
        *API_TOKENS,
        *_crud("people.person", *EDIT),
        *_crud("people.organisation", "view", "add"),
        *_crud("places.province", *VIEW),
        *_crud("places.district", *VIEW),
        *_crud("places.village", *EDIT),
        *_crud("trainings.traineefollowup", "view", "change"),
        *_crud("trainings.historicaltraining", *VIEW),
        # Row-level scope (their offices' districts) comes from promoters.selectors.
        *_crud("promoters.districtoffice", *VIEW),
        *_crud("promoters.promoter", *FULL),
        *_crud("promoters.villagemeeting", *FULL),
        *_crud("promoters.campaign", *VIEW),
        *_crud("promoters.informationcentre", *VIEW),
        *_crud("promoters.centrevisit", *FULL),
        *_crud("promoters.followup", "view", "change"),
        *_crud("projects.project", *VIEW),
        *_crud("projects.indicator", *VIEW),
        *_crud("projects.indicatortarget", *VIEW),
    ],
    # Promoters work in the portal; admin access lets them sign in to their account
    # (password, language) and nothing more.
    PROMOTERS: [ADMIN_ACCESS],
    MODERATORS: [
        ADMIN_ACCESS,
        *_crud("materials.topic", *EDIT),
        *_crud("materials.audience", *EDIT),
        *_crud("materials.download", *VIEW),
    ],
}

# Page and media permissions granted on the root page and root collection.
ROLE_PAGE_PERMISSIONS = {
    ADMINISTRATORS: ["add_page", "change_page", "publish_page", "lock_page"],
    EDITORS: ["add_page", "change_page"],
    MODERATORS: ["add_page", "change_page", "publish_page", "lock_page"],
}
ROLE_COLLECTION_PERMISSIONS = {
    MODERATORS: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    ADMINISTRATORS: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
    EDITORS: [
        "add_image",
        "change_image",
        "choose_image",
        "add_document",
        "change_document",
        "choose_document",
    ],
}
