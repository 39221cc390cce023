from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language, get_language_info
from wagtail.models import Page, Site

from cms.selectors import menu_pages, page_translation_links

register = template.Library()


@register.inclusion_tag("cms/includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to the same page in each language (or that language's home page)."""
    request = context.get("request")
    page = context.get("page")
    site = Site.find_for_request(request) if request else None
    page_links = (
        page_translation_links(page=page, site=site) if isinstance(page, Page) else {}
    )
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
