"""Who may do what with a space: pure functions of the user and the space, no queries."""

from chamber.models import User
from spaces.models import Space, SpaceStatus


def is_president_of(user: User, space: Space) -> bool:
    return user.is_authenticated and user.is_president and user.commune_id == space.commune_id


def can_view_space(user: User, space: Space) -> bool:
    return (
        space.is_public
        or user.is_authenticated
        and (user.is_chamber_staff or is_president_of(user, space))
    )


def can_propose_space(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_president


def can_edit_space(user: User, space: Space) -> bool:
    """Staff correct a space at any time; its commune while the proposal is not yet reviewed."""
    if not user.is_authenticated:
        return False
    if user.is_chamber_staff:
        return space.status not in (SpaceStatus.REJECTED, SpaceStatus.WITHDRAWN)
    return is_president_of(user, space) and space.is_editable_by_proposer()


def can_withdraw_space(user: User, space: Space) -> bool:
    return is_president_of(user, space) and space.is_withdrawable()


def can_review_space(user: User, space: Space | None = None) -> bool:
    """Staff review every commune's proposals (`space` kept for a rule per space, if ever)."""
    return user.is_authenticated and user.is_chamber_staff


def can_see_documents(user: User, space: Space) -> bool:
    return user.is_authenticated and (user.is_chamber_staff or is_president_of(user, space))
