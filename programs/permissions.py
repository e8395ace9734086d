"""Who may do what in the programmes."""

from chamber.models import User
from programs.models import Enrolment


def can_manage_programmes(user: User) -> bool:
    return user.is_authenticated and user.is_chamber_staff


def can_see_enrolment(user: User, enrolment: Enrolment) -> bool:
    """The young person themselves, and staff: their personal data goes no further."""
    if not user.is_authenticated:
        return False
    if user.is_chamber_staff:
        return True
    return getattr(getattr(user, "apprentice", None), "pk", None) == enrolment.apprentice_id
