"""Who reads the trails. One rule, here until the access policy module takes it."""

from accounts.roles import ADMINISTRATORS, user_has_role


def sees_site_history(user) -> bool:
    """Administrators only: the audit trail, the field history and Wagtail's site
    history name people and show changes from every scope."""
    return user_has_role(user, ADMINISTRATORS)
