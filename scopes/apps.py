from django.apps import AppConfig


class ScopesConfig(AppConfig):
    """No models: registers the per-model access rules with access.policy."""

    name = "scopes"

    def ready(self):
        from .rules import register

        register()
