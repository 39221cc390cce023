from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running an installation: backup and restore commands (no models)."""

    name = "operations"
    verbose_name = "Operations"
