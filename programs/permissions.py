"""Who may do what in the programmes."""

from chamber.models import User
from chamber.workflow import allowed_moves
from programs.models import Enrolment, EnrolmentStatus

# Staff's moves of an enrolment, by the status each gives it (programs.views).
ENROLMENT_MOVES = {
    "accept": EnrolmentStatus.ACCEPTED,
    "refuse": EnrolmentStatus.REFUSED,
    "start": EnrolmentStatus.IN_TRAINING,
    "complete": EnrolmentStatus.COMPLETED,
    "drop": EnrolmentStatus.DROPPED,
}


def can_manage_programmes(user: User) -> bool:
    return user.is_authenticated and user.is_chamber_staff


def can_see_enrolment(user: User, enrolment: Enrolment) -> bool:
    """The young person themselves, and staff: their personal data goes no further."""
    if not user.is_authenticated:
        return False
    if user.is_chamber_staff:
        return True
    return getattr(getattr(user, "apprentice", None), "pk", None) == enrolment.apprentice_id


def enrolment_actions(user: User, enrolment: Enrolment) -> list[str]:
    """The moves `user` may make on `enrolment` now, from its table, and "outcome" once the
    training is completed."""
    if not can_manage_programmes(user):
        return []
    allowed = allowed_moves(enrolment)
    actions = [name for name, status in ENROLMENT_MOVES.items() if status in allowed]
    if enrolment.status == EnrolmentStatus.COMPLETED:
        actions.append("outcome")
    return actions


def can_record_outcome(user: User, enrolment: Enrolment) -> bool:
    """Staff, and the young person themselves once their training is completed (they are
    asked six months after it: programs.notifications)."""
    if can_manage_programmes(user):
        return True
    return enrolment.status == EnrolmentStatus.COMPLETED and can_see_enrolment(user, enrolment)
