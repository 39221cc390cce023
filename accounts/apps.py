from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    # post_migrate is sent once per app and each app's permissions are created by its
    # own signal, so the groups are synced when the last app with models has sent it.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label != last.label:
        return
    from .services import roles_ensure

    roles_ensure()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")
        from django.contrib.auth.signals import (
            user_logged_in,
            user_logged_out,
            user_login_failed,
        )

        from .lockout import on_logged_in, on_login_failed
        from .middleware import on_logged_out

        user_login_failed.connect(on_login_failed, dispatch_uid="accounts.lockout")
        user_logged_in.connect(on_logged_in, dispatch_uid="accounts.lockout_clear")
        user_logged_out.connect(on_logged_out, dispatch_uid="accounts.clear_site_data")
