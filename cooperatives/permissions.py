"""Who may do what with a cooperative and its applications: functions of the user and the
object. A representative acts only once the chamber has verified them."""

from chamber.models import User
from cooperatives.models import Cooperative, Representative, RepresentativeStatus, SpaceApplication


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
