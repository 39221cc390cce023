"""The names of the roles (Django groups). The permissions each role holds are
``accounts.roles``'s; the policy, at the bottom, only needs the names."""

ADMINISTRATORS = "Administrators"
EDITORS = "Editors"
TRAINERS = "Trainers"
MANAGERS = "Managers"
DISTRICT_OFFICERS = "District officers"
PROMOTERS = "Promoters"
# Approves materials (and other pages) that editors submit; Wagtail creates the group.
MODERATORS = "Moderators"

ALL_ROLES = (
    ADMINISTRATORS,
    EDITORS,
    TRAINERS,
    MANAGERS,
    DISTRICT_OFFICERS,
    PROMOTERS,
    MODERATORS,
)
