from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page, ReferenceIndex

from .admin_views import VIEW_PERMISSION, DownloadsReportView
from .models import MaterialIndexPage
from .services import material_workflow_ensure
from .views import access_denied
from .viewsets import MaterialsViewSetGroup


@hooks.register("register_admin_viewset")
def register_materials_viewsets():
    return MaterialsViewSetGroup()


@hooks.register("register_admin_urls")
def register_downloads_report_url():
    return [
        path(
            "materials/downloads/",
            DownloadsReportView.as_view(),
            name="materials_downloads",
        )
    ]


class DownloadsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_downloads_report_menu_item():
    return DownloadsMenuItem(
        _("Material downloads"),
        reverse("materials_downloads"),
        icon_name="download",
        order=300,
    )


@hooks.register("after_create_page")
def review_new_material_libraries(request, page):
    if isinstance(page.specific, MaterialIndexPage):
        material_workflow_ensure(index_page=page)


@hooks.register("before_serve_document")
def serve_documents_through_materials(document, request):
    """Wagtail's /documents/ route must not bypass a material's privacy.

    A material's file goes to the tracked route (privacy checked, download counted);
    a document linked from a page body is refused where that page is refused.
    """
    material_file = document.material_files.order_by("pk").first()
    if material_file is not None:
        return redirect(material_file.url)
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]):
        denied = access_denied(request, page)
        if denied is not None:
            return denied
    return None
