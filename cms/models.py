from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index

from .slugs import page_slug


class RomanisedSlugMixin:
    """A page titled in Lao gets a short Latin slug (``cms.slugs``), whether it is made
    in the editor (whose script drops Lao vowel and tone marks), copied, or made by a
    service: every save cleans the page first, a draft with ``minimal_clean``."""

    def full_clean(self, *args, **kwargs):
        self.slug = page_slug(self)
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.slug = page_slug(self)
        super().minimal_clean()


class ContentBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class HomePage(RomanisedSlugMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ContentBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    template = "cms/home_page.html"

    class Meta:
        verbose_name = _("home page")


class StandardPage(RomanisedSlugMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ContentBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    template = "cms/standard_page.html"

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    organisation_lo = models.CharField(
        _("organisation name in Lao"),
        max_length=200,
        default="ອົງການປະກັນສັງຄົມແຫ່ງຊາດ",
    )
    organisation_en = models.CharField(
        _("organisation name in English"),
        max_length=200,
        default="Lao Social Security Organisation",
    )
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("site settings")
