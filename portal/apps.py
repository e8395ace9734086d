from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The roof (DESIGN.md §4): the project package and the site's own pages. It may import
    every app; no app imports it."""

    name = "portal"
    verbose_name = _("Portal")
