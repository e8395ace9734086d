"""Who may do what with a cooperative and its applications: functions of the user and the
object. A representative acts only once the chamber has verified them."""

from chamber.models import User
from chamber.workflow import allowed_moves
from cooperatives.models import (
    ApplicationStatus,
    Cooperative,
    Representative,
    RepresentativeStatus,
    SpaceApplication,
)
from spaces.models import AllocationStatus


def representation_of(user: User) -> Representative | None:
    if not (user.is_authenticated and user.is_cooperative_representative):
        return None
    return getattr(user, "representation", None)


def speaks_for(user: User, cooperative_id: int) -> bool:
    """A verified representative of this cooperative."""
    representation = representation_of(user)
    return bool(
        representation
        and representation.status == RepresentativeStatus.VERIFIED
        and representation.cooperative_id == cooperative_id
    )


def can_edit_cooperative(user: User, cooperative: Cooperative) -> bool:
    return user.is_authenticated and (user.is_chamber_staff or speaks_for(user, cooperative.pk))


def can_apply_for(user: User, cooperative: Cooperative) -> bool:
    """Its verified representatives, once the cooperative itself is verified; or staff, filing
    for it (assisted filing)."""
    if not (user.is_authenticated and cooperative.verified):
        return False
    return user.is_chamber_staff or speaks_for(user, cooperative.pk)


def can_see_application(user: User, application: SpaceApplication) -> bool:
    return user.is_authenticated and (
        user.is_chamber_staff or speaks_for(user, application.cooperative_id)
    )


def can_review_applications(user: User) -> bool:
    return user.is_authenticated and user.is_chamber_staff


def application_actions(user: User, application: SpaceApplication) -> set[str]:
    """What `user` may do to `application` now, from its table of moves and their role: the
    names of the buttons its page shows (cooperatives.views.ApplicationActionView)."""
    if not can_see_application(user, application):
        return set()
    allowed = allowed_moves(application)
    staff = can_review_applications(user)
    actions = set()
    if application.is_editable:
        actions.add("edit")
    if ApplicationStatus.SUBMITTED in allowed:
        actions.add("submit")
    if ApplicationStatus.WITHDRAWN in allowed:
        actions.add("withdraw")
    # Staff copy only what they filed with the cooperative's consent.
    if not application.is_open and (not staff or application.is_assisted):
        actions.add("apply-again")
    if staff:
        if ApplicationStatus.UNDER_REVIEW in allowed:
            actions |= {"start-review", "approve"}  # approval takes a sent one for review
        if ApplicationStatus.REJECTED in allowed:
            actions |= {"reject", "approve"}
    return actions


def can_ask_renewal(user: User, application: SpaceApplication) -> bool:
    """Its cooperative (or staff on its behalf) may ask to renew a running agreement once,
    until staff answer."""
    allocation = application.allocation
    return (
        can_apply_for(user, application.cooperative)
        and allocation is not None
        and AllocationStatus.RENEWAL_REQUESTED in allowed_moves(allocation)
    )


def can_file_report(user: User, application: SpaceApplication) -> bool:
    """An approved application's cooperative reports on its activity (staff may, for it)."""
    return (
        user.is_authenticated
        and application.status == ApplicationStatus.APPROVED
        and application.allocation_id is not None
        and (user.is_chamber_staff or speaks_for(user, application.cooperative_id))
    )


def interest_of(user: User):
    """The cooperative a representative may mark spaces for (verified, both), or None."""
    representation = representation_of(user)
    if representation is None or not can_apply_for(user, representation.cooperative):
        return None
    return representation.cooperative


def can_see_interest(user: User, space) -> bool:
    """How many cooperatives are interested in a space: for staff and the space's commune."""
    return user.is_authenticated and (
        user.is_chamber_staff or (user.is_president and user.commune_id == space.commune_id)
    )
