from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _logged_in(sender, request, user, **kwargs):
    from .services import audit_record

    audit_record(action="login.success", user=user, request=request)


def _logged_out(sender, request, user, **kwargs):
    from .services import audit_record

    if user is not None:
        audit_record(action="logout", user=user, request=request)


def _log_entry_saved(sender, instance, created, **kwargs):
    """Wagtail logs every deletion made in the admin; the trail keeps it too."""
    if not created or instance.action != "wagtail.delete":
        return
    from .services import audit_record

    audit_record(
        action="delete",
        user=instance.user,
        object_type=instance.content_type.app_label + "." + instance.content_type.model,
        object_id=instance.object_id,
    )


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        user_logged_in.connect(_logged_in, dispatch_uid="audit.logged_in")
        user_logged_out.connect(_logged_out, dispatch_uid="audit.logged_out")
        from .history import history_register

        history_register()
        from django.db.models.signals import post_save
        from wagtail.models import ModelLogEntry, PageLogEntry

        for model in (ModelLogEntry, PageLogEntry):
            post_save.connect(
                _log_entry_saved, sender=model, dispatch_uid=f"audit.{model.__name__}"
            )
