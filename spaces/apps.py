from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    name = "spaces"
    verbose_name = _("Spaces")

    def ready(self):
        # What the spaces hold about a person, for their download (chamber.privacy); nothing
        # here is erased: a space's contact is the commune's, public by design.
        from chamber.privacy import PERSONAL_DATA
        from spaces import (
            notifications,  # noqa: F401 - its kinds of notification, for the worker too
            selectors,
        )

        PERSONAL_DATA.add("spaces", export=selectors.personal_data)
