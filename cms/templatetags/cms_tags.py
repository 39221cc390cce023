import re
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse, translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

from cms.models import HomePage, StandardPage
from cms.selectors import menu_pages, page_in_language, page_translation_links

register = template.Library()

# Untranslated pages of these types switch to the other language's home page; any other
# page type shows its own language's version with a notice (translation_notice).
HOME_FALLBACK_TYPES = (HomePage, StandardPage)


def _fallback_links(page: Page, request) -> dict[str, str]:
    links = {}
    for code, _name in settings.LANGUAGES:
        shown, is_fallback = page_in_language(page, code)
        url = shown.get_url(request=request)
        links[code] = f"{url}?{urlencode({'fallback': code})}" if is_fallback else url
    return links


@register.inclusion_tag("cms/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in each language.

    Where a page has no translation, a home or standard page links to that language's
    home page; any other page (a material) links to the version there is, which then
    shows a notice in the language the visitor asked for.
    """
    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    if isinstance(page, HOME_FALLBACK_TYPES):
        page_links = page_translation_links(page=page, site=site)
    elif isinstance(page, Page):
        page_links = _fallback_links(page, request)
    else:
        page_links = {}
    current = get_language()
    languages = []
    for code, _name in settings.LANGUAGES:
        url = page_links.get(code)
        if url is None and request is not None:
            path = request.get_full_path()
            url = translate_url(path, code)
            if url == path:  # not under /lo/ or /en/: remember the choice instead
                switch = reverse("switch_language", args=[code])
                url = f"{switch}?{urlencode({'next': path})}"
        languages.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": url,
                "current": code == current,
            }
        )
    return {"languages": languages}


@register.inclusion_tag("cms/includes/navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    current = context.get("page")
    return {
        "home": site.root_page.localized if site else None,
        "pages": menu_pages(site=site),
        "current": current,
    }


@register.inclusion_tag("cms/includes/translation_notice.html", takes_context=True)
def translation_notice(context):
    """On ``?fallback=en``: tell the visitor this page has no English version yet."""
    request = context.get("request")
    page = context.get("page")
    if request is None or not isinstance(page, Page):
        return {}
    wanted = request.GET.get("fallback")
    known = {code for code, _name in settings.LANGUAGES}
    if wanted not in known or wanted == page.locale.language_code:
        return {}
    if isinstance(page, HOME_FALLBACK_TYPES) or not page_in_language(page, wanted)[1]:
        return {}
    parent = page.get_parent()
    elsewhere, parent_is_fallback = page_in_language(parent, wanted)
    return {
        "wanted": wanted,
        "shown": page.locale.language_code,
        "stay_url": page.get_url(request=request),
        "elsewhere_url": (
            f"/{wanted}/" if parent_is_fallback else elsewhere.get_url(request=request)
        ),
    }


@cache
def _static_source(path: str) -> str:
    found = finders.find(path)
    if found is None:
        raise template.TemplateSyntaxError(f"No static file {path!r} to inline")
    # The file's opening comment is for its readers, not for every page's weight.
    text = Path(found).read_text(encoding="utf-8")
    return re.sub(r"\A\s*/\*.*?\*/\s*", "", text, flags=re.S)


@register.simple_tag
def inline_static(path: str) -> str:
    """A static JavaScript file's text, to put inside <script> and save a request."""
    if settings.DEBUG:
        _static_source.cache_clear()
    return mark_safe(_static_source(path))
