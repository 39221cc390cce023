"""Materials: a Wagtail library of leaflets, posters, manuals and slide decks.

``MaterialIndexPage`` lists ``MaterialPage`` children; each material has ordered files
(Wagtail documents), served and counted by ``materials.views.file_download``.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.models import RomanisedSlugMixin
from common.text import index_text
from common.widgets import SearchableSelectMultiple

from .serializers import FilesField, NamesField


class BilingualName(models.Model):
    """A topic or audience, named in Lao and in English."""

    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("Short English name used in web addresses, e.g. labour-rights."),
    )
    name_lo = models.CharField(_("name in Lao"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)

    panels = [FieldPanel("name_lo"), FieldPanel("name_en"), FieldPanel("slug")]

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language, falling back to the other one."""
        if get_language() == "en":
            return self.name_en or self.name_lo
        return self.name_lo or self.name_en


class Topic(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Audience(BilingualName):
    class Meta(BilingualName.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class MaterialBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title")
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    image = ImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
    document = DocumentChooserBlock(label=_("Document link"))


class MaterialIndexPage(RomanisedSlugMixin, Page):
    """The library: filters, search and a paginated list of materials.

    Context from ``get_context`` (the template only displays it):

    - ``materials``: the current page of results (a Django ``Page``; iterate it for
      ``MaterialPage`` objects, each with ``download_total``); ``paginator`` is
      ``materials.paginator``.
    - ``result_count``: number of materials matching the filters.
    - ``filters``: the chosen values, ``{"topic", "audience", "kind", "language",
      "q"}`` (strings, "" when not chosen); ``is_filtered``: any of them chosen.
    - ``topics``, ``audiences``: ``Topic`` / ``Audience`` objects for the filter form
      (``slug`` is the value, ``name`` the label in the active language).
    - ``kinds``, ``languages``: ``(value, label)`` pairs for the filter form.
    - ``page_links``: pagination, a list of ``{"number", "url", "current"}``;
      ``previous_url`` / ``next_url`` (or None).

    GET parameters: ``topic``, ``audience``, ``kind``, ``language`` (values above),
    ``q`` (search, Lao or English) and ``page``.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["materials.MaterialPage"]
    template = "materials/material_index_page.html"
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("materials library")

    # The listing is the selectors' work (``material_index_context``); set by
    # ``MaterialsConfig.ready``, as the models come before the selectors.
    context_from = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.context_from(index_page=self, request=request))
        return context


class MaterialPage(RomanisedSlugMixin, Page):
    """One material: a leaflet, poster, manual, slide deck, recording or video.

    Context from ``get_context`` (the template only displays it):

    - ``files``: ``MaterialFile`` objects in order; each has ``url`` (the tracked
      download link), ``display_label``, ``language_name``, ``size`` (bytes or None)
      and ``file_type`` (e.g. "PDF").
    - ``download_count``: how many times this material's files were downloaded.
    - ``topics``, ``audiences``, ``related_courses``: lists.
    - ``kind_name``, ``language_name``: labels in the active language.
    - ``language_links``: for each site language, ``{"code", "name", "url",
      "current", "is_fallback"}``; ``is_fallback`` means the material has no live
      translation in that language and ``url`` shows this page with a notice.
    - ``fallback_from``: a language code when the visitor asked for this material in
      a language it is not translated into (``?fallback=en``), else None;
      ``fallback_from_name``: that language's own name.
    - ``index_page``: the library this material belongs to.
    """

    class Kind(models.TextChoices):
        LEAFLET = "leaflet", _("Leaflet")
        POSTER = "poster", _("Poster")
        MANUAL = "manual", _("Manual")
        SLIDE_DECK = "slide_deck", _("Slide deck")
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")

    summary = models.TextField(
        _("summary"), help_text=_("One or two sentences shown in the list.")
    )
    body = StreamField(MaterialBlock(), blank=True, verbose_name=_("body"))
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="materials", verbose_name=_("topics")
    )
    audiences = ParentalManyToManyField(
        Audience, blank=True, related_name="materials", verbose_name=_("audiences")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(
        _("language of the material"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="lo",
    )
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    related_courses = ParentalManyToManyField(
        "trainings.Course",
        blank=True,
        related_name="materials",
        verbose_name=_("related courses"),
    )
    published_date = models.DateField(
        _("published date"),
        null=True,
        blank=True,
        help_text=_("When the material itself was issued, e.g. its print date."),
    )
    partners = ParentalManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="partnered_materials",
        verbose_name=_("partners"),
    )
    funders = ParentalManyToManyField(
        "people.Organisation",
        blank=True,
        related_name="funded_materials",
        verbose_name=_("funders"),
    )
    projects = ParentalManyToManyField(
        "projects.Project",
        blank=True,
        related_name="materials",
        verbose_name=_("projects"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("language"),
                FieldPanel("published_date"),
                FieldPanel("cover_image"),
            ],
            heading=_("About the material"),
        ),
        InlinePanel("files", label=_("Files"), heading=_("Files")),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
        FieldPanel("related_courses"),
        MultiFieldPanel(
            [
                FieldPanel("partners", widget=SearchableSelectMultiple),
                FieldPanel("funders", widget=SearchableSelectMultiple),
                FieldPanel("projects", widget=SearchableSelectMultiple),
            ],
            heading=_("Partners, funders and projects"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("search_text"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("locale_id"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("kind"),
        APIField("language"),
        APIField("published_date"),
        APIField("topics", serializer=NamesField()),
        APIField("audiences", serializer=NamesField()),
        APIField("files", serializer=FilesField()),
    ]
    parent_page_types = ["materials.MaterialIndexPage"]
    subpage_types = []
    template = "materials/material_page.html"

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def search_text(self) -> str:
        """Title, summary, body and file labels as the search index sees them (Lao as
        one term per character cluster: ``common.text.index_text``)."""
        parts = [self.title, self.summary, strip_tags(str(self.body))]
        parts += [material_file.label for material_file in self.files.all()]
        return index_text(" ".join(part for part in parts if part))

    # ``material_page_context`` of the selectors, set by ``MaterialsConfig.ready``.
    context_from = None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.context_from(page=self, request=request))
        return context


class MaterialFile(Orderable):
    """A file of a material (one per language or format), served by a tracked view."""

    page = ParentalKey(MaterialPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="material_files",
    )
    label = models.CharField(
        _("label"),
        max_length=120,
        blank=True,
        help_text=_("e.g. Leaflet to print (A4). Empty: the document's title."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="lo"
    )

    panels = [FieldPanel("document"), FieldPanel("label"), FieldPanel("language")]

    class Meta(Orderable.Meta):
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.display_label

    @property
    def display_label(self) -> str:
        return self.label or self.document.title

    @property
    def language_name(self) -> str:
        return self.get_language_display()

    @property
    def size(self) -> int | None:
        return self.document.get_file_size()

    @property
    def file_type(self) -> str:
        return self.document.file_extension.upper()

    @property
    def content_type(self) -> str:
        return self.document.content_type

    @property
    def url(self) -> str:
        return reverse("materials:file", args=[self.pk, self.document.filename])


class Download(models.Model):
    """One download of a material's file; written once, never changed."""

    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    page = models.ForeignKey(
        MaterialPage,
        verbose_name=_("material"),
        on_delete=models.CASCADE,
        related_name="downloads",
    )
    material_file = models.ForeignKey(
        MaterialFile,
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="downloads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    district = models.ForeignKey(
        "places.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("downloaded at"), db_index=True)
    # Who downloaded, as a key that changes every day (materials.services): a
    # file counts once per user, or per address for visitors, per day. Neither
    # the user nor the address can be read back from it.
    day = models.DateField(_("day"), null=True, blank=True, editable=False)
    visitor_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        indexes = [models.Index(fields=["page", "at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["material_file", "visitor_key", "day"],
                condition=~models.Q(visitor_key=""),
                name="download_once_per_visitor_file_and_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.page_id} {self.at:%Y-%m-%d %H:%M}"
