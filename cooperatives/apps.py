from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        from chamber.privacy import PERSONAL_DATA
        from cooperatives import (
            links,  # noqa: F401 - imported to fill the spaces' pages' slots (chamber.links)
            notifications,
            selectors,
            services,
        )
        from spaces import notices

        # The cooperative and the staff hear of its agreement's life (spaces.notices).
        notices.listen(notifications.notify_agreement)

        # A representative's data: downloaded by them, anonymised when erased (chamber.privacy).
        PERSONAL_DATA.add(
            "cooperatives", export=selectors.personal_data, erase=services.erase_personal_data
        )
