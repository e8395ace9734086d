from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_staff_group(sender, using="default", **kwargs):
    from chamber.services import ensure_staff_group

    ensure_staff_group(using=using)


class ChamberConfig(AppConfig):
    name = "chamber"
    verbose_name = _("Region, crafts and accounts")

    def ready(self):
        # Permissions exist only once every app has migrated, so the staff group is kept in step
        # after each migrate (sender=None: after all apps, not only this one).
        post_migrate.connect(_ensure_staff_group, dispatch_uid="chamber-staff-group")
