"""factory_boy factories, one per model and one per role (Hypha's shape)."""

import factory
from django.contrib.auth.hashers import make_password

from chamber.models import Commune, Role, User
from cooperatives.models import Cooperative, Representative
from spaces.models import Condition, Ownership, Space, SpaceKind, SpaceStatus

PASSWORD = "correct-horse-battery-staple"
# One hash for every test account: hashing is slow on purpose.
_PASSWORD_HASH = make_password(PASSWORD)


def commune(official_code: str) -> Commune:
    """Communes are reference data, loaded by migration: tests pick real ones."""
    return Commune.objects.get(official_code=official_code)


def nth_commune(n: int) -> Commune:
    """A real commune, the same for the same n (read each time: tests may reload the data)."""
    communes = Commune.objects.order_by("official_code")
    return communes[n % communes.count()]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = _PASSWORD_HASH
    role = ""


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True

    @factory.post_generation
    def staff_group(self, create, extracted, **kwargs):
        if create:
            from chamber.services import sync_role_access

            sync_role_access(self)


class PresidentFactory(UserFactory):
    role = Role.PRESIDENT
    commune = factory.Sequence(nth_commune)


class RepresentativeUserFactory(UserFactory):
    role = Role.COOPERATIVE


class ApprenticeFactory(UserFactory):
    role = Role.APPRENTICE


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"Coopérative {n}")
    registration_number = factory.Sequence(lambda n: f"2020/{n:04d}")
    commune = factory.Sequence(nth_commune)
    women_members = 10
    men_members = 2
    under_30_members = 4
    verified = True


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(RepresentativeUserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space

    commune = factory.Sequence(nth_commune)
    name = factory.Sequence(lambda n: f"Salle communale {n}")
    kind = SpaceKind.COMMUNITY_HALL
    floor_area_m2 = 120
    rooms = 2
    capacity = 30
    condition = Condition.READY
    ownership = Ownership.COMMUNE
    status = SpaceStatus.AVAILABLE
