from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "access"
    verbose_name = _("Access")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from .policy import forget_roles

        def roles_changed(sender, instance, **kwargs):
            if isinstance(instance, get_user_model()):
                forget_roles(instance)

        m2m_changed.connect(
            roles_changed,
            sender=get_user_model().groups.through,
            dispatch_uid="access_roles_changed",
        )
