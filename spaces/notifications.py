"""What communes and the staff are told of proposed spaces: rows of the outbox (chamber.outbox)
written with the move, in the recipient's language when shown or sent. Words are in
emails/spaces/<kind>_{subject,body,sms}.txt."""

from chamber import outbox
from chamber.models import Role, User
from spaces.models import Space, SpaceStatus


def _proposed(params: dict) -> dict:
    return {"space": Space.objects.select_related("commune").get(pk=params["space"])}


def notify_staff_of_proposal(space: Space) -> None:
    """Tell every active staff member that a commune proposed a building."""
    for member in User.objects.filter(role=Role.STAFF, is_active=True):
        outbox.notify(
            member,
            "spaces/proposed",
            key=f"space-{space.pk}-proposed-to-{member.pk}",
            params={"space": space.pk},
            link=("spaces:review", {"pk": space.pk}),
        )


def _decision(params: dict) -> dict:
    status = SpaceStatus(params["status"])
    return {
        "space": Space.objects.select_related("commune").get(pk=params["space"]),
        "status": status,
        "status_label": status.label,
        "note": params.get("note", ""),
    }


def notify_commune_of_decision(space: Space, *, change) -> None:
    """Tell the commune's president (and whoever proposed the space, if another account)
    where the proposal stands: taken for review, approved, or refused with the reason."""
    people = User.objects.filter(role=Role.PRESIDENT, commune_id=space.commune_id)
    recipients = {user.pk: user for user in people}
    if space.proposed_by_id and space.proposed_by_id not in recipients:
        recipients[space.proposed_by_id] = space.proposed_by
    for user in recipients.values():
        outbox.notify(
            user,
            "spaces/decision",
            key=f"space-{space.pk}-{change.pk}-to-{user.pk}",
            params={"space": space.pk, "status": change.to_status, "note": change.note},
            link=("spaces:detail", {"pk": space.pk}),
        )


outbox.register("spaces/proposed", _proposed)
outbox.register("spaces/decision", _decision)
