from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programmes")

    def ready(self):
        # A young person's data: downloaded by them, anonymised when erased (chamber.privacy).
        from chamber.privacy import PERSONAL_DATA
        from programs import (
            notifications,  # noqa: F401 - its kinds of notification, for the worker too
            selectors,
            services,
        )

        PERSONAL_DATA.add(
            "programs", export=selectors.personal_data, erase=services.erase_personal_data
        )
