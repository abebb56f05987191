from django.apps import AppConfig


class PixPortalConfig(AppConfig):
    """The project itself, as an app for its commands (seed_demo): the top of the layers."""

    name = "pix_portal"
    verbose_name = "Pix Portal"
