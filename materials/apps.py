from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaterialsConfig(AppConfig):
    name = "materials"
    verbose_name = _("Materials")

    def ready(self):
        # The page form scopes partners, funders and projects by the policy; it
        # is set once the admin's forms can be imported (after the models).
        from .forms import MaterialPageForm
        from .models import MaterialIndexPage, MaterialPage
        from .selectors import material_index_context, material_page_context

        MaterialPage.base_form_class = MaterialPageForm
        # The pages' context comes from the selectors (models may not import them).
        MaterialIndexPage.context_from = staticmethod(material_index_context)
        MaterialPage.context_from = staticmethod(material_page_context)
