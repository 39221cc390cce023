"""Setting up the site: locales and the Lao and English home pages; Lao slugs."""

from django.db import transaction
from django.db.models import Q
from wagtail.models import Locale, Page, Site

from .models import HomePage
from .slugs import LAO_SLUG_PATTERN, page_slug

HOME_TITLES = {"lo": "ສຶກສາ", "en": "Suksa"}
HOME_INTROS = {
    "lo": (
        "ການຝຶກອົບຮົມ ແລະ ການສ້າງຄວາມອາດສາມາດ ດ້ານປະກັນສັງຄົມ "
        "ຂອງອົງການປະກັນສັງຄົມແຫ່ງຊາດ ແລະ ຄູ່ຮ່ວມງານ."
    ),
    "en": (
        "Training and capacity building on social security by the Lao Social "
        "Security Organisation and its partners."
    ),
}


@transaction.atomic
def site_ensure_home_pages() -> HomePage:
    """Create the Lao home page, its English translation and the default site.

    Idempotent: existing home pages are kept as editors left them.
    """
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code in ("lo", "en")
    }
    home = HomePage.objects.filter(locale=locales["lo"]).first()
    if home is None:
        root = Page.get_first_root_node() or _root_create(locales["lo"])
        home = HomePage(
            title=HOME_TITLES["lo"],
            slug="suksa",
            intro=HOME_INTROS["lo"],
            locale=locales["lo"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    english = home.get_translation_or_none(locales["en"])
    if english is None:
        english = home.copy_for_translation(locales["en"])
        english.title = HOME_TITLES["en"]
        english.intro = HOME_INTROS["en"]
        english.save_revision().publish()
    _site_point_at(home)
    return home


def _root_create(locale: Locale) -> Page:
    """The tree's root, as Wagtail's first migration makes it (gone after a flush)."""
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def _site_point_at(home: HomePage) -> None:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Suksa",
        )
        return
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = site.site_name or "Suksa"
        site.save()
        if not isinstance(old_root.specific, HomePage) and old_root.depth == 2:
            old_root.delete()


@transaction.atomic
def page_slugs_romanise() -> list[tuple[str, str]]:
    """Give every page whose slug has Lao letters (made before Lao titles were
    romanised, without their vowel and tone marks) a Latin slug from its title.

    The old addresses keep working: Wagtail's redirects app records a redirect for a
    live page whose slug changes. Returns ``(old slug, new slug)`` pairs.
    """
    changed = []
    lao_slugs = Page.objects.filter(Q(slug__regex=LAO_SLUG_PATTERN)).order_by("path")
    for page in lao_slugs:
        old_slug = page.slug
        page.slug = page_slug(page)
        if page.slug != old_slug:
            page.save(clean=False, update_fields=["slug", "url_path"])
            changed.append((old_slug, page.slug))
    return changed
