from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_staff_group(sender, using="default", **kwargs):
    from chamber.services import ensure_staff_group

    ensure_staff_group(using=using)


def _shorten_staff_sessions(sender, request, user, **kwargs):
    """DESIGN.md §6: staff sessions are shorter than the others, however they log in (the
    portal's page or the admin's)."""
    from django.conf import settings

    if user.is_staff:
        request.session.set_expiry(settings.STAFF_SESSION_AGE)


class ChamberConfig(AppConfig):
    name = "chamber"
    verbose_name = _("Region, crafts and accounts")

    def ready(self):
        # Permissions exist only after migrate, so the staff group is refreshed after each one
        # (the signal comes once per migrated app; the refresh is idempotent).
        post_migrate.connect(_ensure_staff_group, dispatch_uid="chamber-staff-group")
        user_logged_in.connect(_shorten_staff_sessions, dispatch_uid="chamber-staff-sessions")
        # The account's own part of a person's data; its erasure is chamber.services'.
        from chamber import selectors
        from chamber.privacy import PERSONAL_DATA

        PERSONAL_DATA.add("chamber", export=selectors.personal_data)
