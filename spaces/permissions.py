"""Who may do what with a space: pure functions of the user and the space, no queries."""

from chamber.models import User
from chamber.workflow import allowed_moves
from spaces.models import Allocation, AllocationStatus, Space, SpaceStatus

# Staff's decisions on a proposal: the status each takes it from, and the one it gives
# (spaces.views.DecideView). Occupied and available again are the allocations' moves.
REVIEW_DECISIONS = {
    "start": (SpaceStatus.PROPOSED, SpaceStatus.UNDER_REVIEW),
    "approve": (SpaceStatus.UNDER_REVIEW, SpaceStatus.AVAILABLE),
    "reject": (SpaceStatus.UNDER_REVIEW, SpaceStatus.REJECTED),
}


def is_president_of(user: User, space: Space) -> bool:
    return user.is_authenticated and user.is_president and user.commune_id == space.commune_id


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
    return is_president_of(user, space) and SpaceStatus.WITHDRAWN in allowed_moves(space)


def can_review_space(user: User) -> bool:
    """Staff review every commune's proposals and allocate every space."""
    return user.is_authenticated and user.is_chamber_staff


def review_decisions(user: User, space: Space) -> list[str]:
    """The decisions `user` may take on `space` now, from its table of moves."""
    if not can_review_space(user):
        return []
    allowed = allowed_moves(space)
    return [
        name
        for name, (start, status) in REVIEW_DECISIONS.items()
        if space.status == start and status in allowed
    ]


def allocation_closings(user: User, allocation: Allocation) -> list[str]:
    """How `user` may close `allocation` now: ended, terminated, or not at all."""
    if not can_review_space(user):
        return []
    return sorted(allowed_moves(allocation) & {AllocationStatus.ENDED, AllocationStatus.TERMINATED})


def can_see_documents(user: User, space: Space) -> bool:
    return user.is_authenticated and (user.is_chamber_staff or is_president_of(user, space))


def allocation_renewals(user: User, allocation: Allocation) -> list[str]:
    """What `user` may answer about an agreement's renewal now: renew it, refuse it."""
    if not can_review_space(user):
        return []
    allowed = allowed_moves(allocation)
    answers = ["renew"] if AllocationStatus.RENEWED in allowed else []
    if allocation.status == AllocationStatus.RENEWAL_REQUESTED:
        answers.append("decline")
    return answers
