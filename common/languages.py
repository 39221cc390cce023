"""The visitor's language, for pages served outside Django's i18n URL prefix."""

from django.conf import settings
from django.http import HttpRequest


def chosen_language(request: HttpRequest) -> str:
    """The visitor's chosen language (the language cookie), Lao unless they chose
    otherwise: many Lao phones are set to English, so Accept-Language is not asked."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    known = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in known else settings.LANGUAGE_CODE
