from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        # Fills the slots of the spaces' pages with the cooperatives' links (chamber.links).
        from cooperatives import links  # noqa: F401
