from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site


def menu_pages(*, site: Site | None) -> list[Page]:
    """Live pages under the home page marked "show in menus", in the active language."""
    if site is None:
        return []
    home = site.root_page.localized
    return list(home.get_children().live().in_menu().specific())


def page_translation_links(*, page: Page | None, site: Site | None) -> dict[str, str]:
    """URL of ``page`` in each content language; untranslated ones go to that home."""
    links = {}
    if site is None:
        return links
    for locale in Locale.objects.all():
        translation = None
        if page is not None:
            translation = page.get_translation_or_none(locale)
        if translation is None or not translation.live:
            translation = site.root_page.get_translation_or_none(locale)
        if translation is not None:
            links[locale.language_code] = translation.get_url()
    return links


def active_locale_code() -> str:
    return get_language() or "lo"


def page_in_language(page: Page, language_code: str) -> tuple[Page, bool]:
    """``page`` in another language: ``(translation, False)`` when a live translation
    exists, else ``(page, True)`` — the caller shows ``page`` with a notice."""
    if page.locale.language_code == language_code:
        return page, False
    locale = Locale.objects.filter(language_code=language_code).first()
    translation = page.get_translation_or_none(locale) if locale else None
    if translation is None or not translation.live:
        return page, True
    return translation.specific, False
