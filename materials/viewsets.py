from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from access.admin import PolicySnippetViewSet

from .models import Audience, Topic


class TopicViewSet(PolicySnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name_lo", "name_en", "slug"]
    search_fields = ["name_lo", "name_en", "slug"]
    menu_order = 100


class AudienceViewSet(PolicySnippetViewSet):
    model = Audience
    icon = "group"
    list_display = ["name_lo", "name_en", "slug"]
    search_fields = ["name_lo", "name_en", "slug"]
    menu_order = 110


class MaterialsViewSetGroup(SnippetViewSetGroup):
    items = (TopicViewSet, AudienceViewSet)
    menu_icon = "doc-full"
    menu_label = _("Materials")
    menu_name = "materials"
    menu_order = 250
