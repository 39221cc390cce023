"""Sign in with a username or with the phone number of the person behind the account.

Promoters know their phone number better than a username, and write it in many ways
(``020 5551 2345``, ``+856 20 55512345``, ``2055512345``):
``common.phones.phone_key`` makes them all one key. A phone number shared by two
accounts signs in neither: the backend never guesses whose account it is.
"""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from common.numbers import ascii_digits
from common.phones import phone_key

# Digits with the punctuation people put in phone numbers; a username with letters in
# it is never read as a phone number.
PHONE_SHAPE = re.compile(r"\+?[\d\s().\-]+")
# The shortest Lao number without the trunk zero: a landline, e.g. 21 123456.
PHONE_MIN_DIGITS = 8


def users_with_phone(typed: str):
    """The active accounts whose person (directly or as a promoter) has this phone."""
    typed = ascii_digits(typed).strip()
    if not PHONE_SHAPE.fullmatch(typed):
        return get_user_model().objects.none()
    key = phone_key(typed)
    if len(key) < PHONE_MIN_DIGITS:
        return get_user_model().objects.none()
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(_phone_match(key))
        .distinct()
    )


def _phone_match(key: str) -> Q:
    return Q(person__phone_key=key)


class UsernameOrPhoneBackend(ModelBackend):
    """Django's model backend, which also accepts a phone number as the username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user_model = get_user_model()
        if username is None:
            username = kwargs.get(user_model.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = self._find(ascii_digits(username))
        if user is None:
            # Hash anyway, so a missing account takes as long as a wrong password.
            user_model().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def _find(self, username: str):
        user_model = get_user_model()
        try:
            return user_model._default_manager.get_by_natural_key(username)
        except user_model.DoesNotExist:
            pass
        return _only(users_with_phone(username))


def _only(queryset):
    matches = list(queryset[:2])
    return matches[0] if len(matches) == 1 else None


def account_for_login(typed: str):
    """The one account that ``typed`` names (its username in any case, or its phone
    number however written), or None: the sign-in lockout counts per account."""
    user_model = get_user_model()
    typed = ascii_digits(typed).strip()
    field = user_model.USERNAME_FIELD
    return (
        user_model._default_manager.filter(**{field: typed}).first()
        or _only(user_model._default_manager.filter(**{f"{field}__iexact": typed}))
        or _only(users_with_phone(typed))
    )
