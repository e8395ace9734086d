"""Reads of the region and the crafts, shaped for the pages that show them, and what this
layer holds about a person."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from chamber.models import (
    Commune,
    Craft,
    Delivery,
    DeliveryState,
    Erasure,
    ImportCheck,
    Notification,
    Province,
    User,
)
from chamber.templatetags.phones import e164


def provinces_with_communes() -> QuerySet[Province]:
    """Every province with its communes (two queries, whatever the number of communes)."""
    return Province.objects.annotate(
        urban_count=Count("communes", filter=Q(communes__kind="urban")),
        commune_count=Count("communes"),
    ).prefetch_related(Prefetch("communes", queryset=Commune.objects.order_by("official_code")))


def crafts() -> QuerySet[Craft]:
    return Craft.objects.order_by("family", "-endangered", "code")


ACCOUNT_FIELDS = [
    "id",
    "username",
    "first_name",
    "last_name",
    "email",
    "language",
    "phone_verified",
    "notify_by",
    "role",
    "is_active",
    "is_staff",
    "is_superuser",
    "date_joined",
    "last_login",
]
LOGIN_FIELDS = ["attempt_time", "ip_address", "user_agent", "path_info"]


def personal_data(user: User) -> dict:
    """The account (never its password), its link, its login records, and what the person
    did in this layer: import dry runs waiting (counted, not their rows: those are about
    others) and erasures made."""
    account = {field: getattr(user, field) for field in ACCOUNT_FIELDS}
    commune = user.commune
    account["commune"] = (
        {"id": commune.pk, "name_ar": commune.name_ar, "name_fr": commune.name_fr}
        if commune
        else None
    )
    account["phone"] = e164(user.phone)
    account["groups"] = list(user.groups.values_list("name", flat=True))
    return {
        "account": account,
        "logins": list(
            AccessLog.objects.filter(username=user.username).values(*LOGIN_FIELDS, "logout_time")
        ),
        "failed_logins": list(
            AccessAttempt.objects.filter(username=user.username).values(
                *LOGIN_FIELDS, "failures_since_start"
            )
        )
        + list(AccessFailureLog.objects.filter(username=user.username).values(*LOGIN_FIELDS)),
        "import_checks": [
            {"kind": check.kind, "created_at": check.created_at, "rows": len(check.records)}
            for check in ImportCheck.objects.filter(created_by=user).order_by("created_at")
        ],
        "erasures_made": list(
            Erasure.objects.filter(actor=user).values("account_number", "at", "note")
        ),
        "notifications": [
            {
                "kind": notification.kind,
                "details": notification.params,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
                "deliveries": [
                    {"channel": d.channel, "state": d.state, "sent_at": d.sent_at}
                    for d in notification.deliveries.all()
                ],
            }
            for notification in user.notifications.prefetch_related("deliveries")
        ],
    }


def notifications_of(user: User) -> QuerySet[Notification]:
    """The person's notifications, newest first (their in-portal list)."""
    return Notification.objects.filter(recipient=user).select_related("recipient")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def get_notification_for(user: User, pk: int) -> Notification:
    """The person's own notification; 404 for anyone else's."""
    return get_object_or_404(notifications_of(user), pk=pk)


def failed_deliveries() -> int:
    """How many messages the outbox gave up on, for the staff to look at and resend."""
    return Delivery.objects.filter(state=DeliveryState.FAILED).count()
