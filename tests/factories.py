"""factory_boy factories: one per model of the portal, and one per role (Hypha's shape).

Reference data (provinces, communes, crafts, partners, programmes) is loaded by migration:
their factories pick an existing row by its code, or make one if the code is new. Dates are
relative to today, so that no factory depends on the calendar. A history row's factory makes
a row as chamber.workflow writes it, for tests that read histories.
"""

from datetime import date, timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from chamber.models import (
    Commune,
    Craft,
    Delivery,
    Erasure,
    ImportCheck,
    Notification,
    PhoneCode,
    Province,
    Role,
    SubmittedForm,
    User,
)
from chamber.submissions import new_token
from cooperatives.models import (
    ActivityReport,
    ApplicationStatusChange,
    Cooperative,
    CooperativeStatusChange,
    PlanDecision,
    Representative,
    RepresentativeStatusChange,
    SpaceApplication,
    SpaceInterest,
)
from programs.models import (
    Apprentice,
    Cohort,
    Diagnostic,
    EndangeredCraft,
    Enrolment,
    EnrolmentOutcomeChange,
    EnrolmentStatusChange,
    MasterArtisan,
    Objective,
    Partner,
    Programme,
    RoadmapAction,
    RoadmapActionStatusChange,
    SafeguardingAction,
)
from spaces.models import (
    Allocation,
    AllocationStatusChange,
    Condition,
    MatchingPolicy,
    Ownership,
    Space,
    SpaceDocument,
    SpaceKind,
    SpacePhoto,
    SpaceStatus,
    SpaceStatusChange,
)

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


def in_days(days: int):
    return factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=days))


# --- chamber -------------------------------------------------------------------------------


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ["code"]

    code = "guelmim"
    hcp_code = factory.Sequence(lambda n: f"99.{n:03d}")
    name_fr = factory.LazyAttribute(lambda p: p.code.title())
    capital_ar = "—"
    capital_fr = factory.LazyAttribute(lambda p: p.code.title())


class CommuneFactory(factory.django.DjangoModelFactory):
    """A real commune by its HCP code (Asrir unless told), or a made-up one for a new code."""

    class Meta:
        model = Commune
        django_get_or_create = ["official_code"]

    official_code = "10.261.05.05"
    province = factory.SubFactory(ProvinceFactory)
    name_fr = factory.Sequence(lambda n: f"Commune {n}")
    kind = "rural"
    latitude = "28.9"
    longitude = "-10.0"


class CraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Craft
        django_get_or_create = ["code"]

    code = "tissage-tapis"
    name_fr = factory.LazyAttribute(lambda c: c.code)
    family = "textiles"


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


class ImportCheckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImportCheck

    kind = "cooperatives"
    token = factory.Sequence(lambda n: f"token-{n:037d}")
    created_by = factory.SubFactory(StaffFactory)
    records = factory.LazyFunction(lambda: [{"registration_number": "2016/0412"}])


class ErasureFactory(factory.django.DjangoModelFactory):
    """The record of an erasure (chamber.services.erase_person writes the real ones)."""

    class Meta:
        model = Erasure

    person = factory.SubFactory(
        ApprenticeFactory, username=factory.Sequence(lambda n: f"erased-{n}")
    )
    account_number = factory.SelfAttribute("person.pk")
    actor = factory.SubFactory(StaffFactory)
    note = "Letter of the person"


class NotificationFactory(factory.django.DjangoModelFactory):
    """Something a person was told (chamber.outbox.notify writes the real ones)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(ApprenticeFactory)
    kind = "programs/outcome_asked"
    params = factory.LazyFunction(lambda: {"enrolment": 0})
    key = factory.Sequence(lambda n: f"notification-{n}")


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    notification = factory.SubFactory(NotificationFactory)
    channel = "email"


class PhoneCodeFactory(factory.django.DjangoModelFactory):
    """A code sent by SMS (chamber.phone_codes.send_code makes the real ones)."""

    class Meta:
        model = PhoneCode

    user = factory.SubFactory(ApprenticeFactory, phone="+212600000301", phone_verified=True)
    purpose = "sign_in"
    phone = factory.SelfAttribute("user.phone")
    digest = "0" * 64
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=10))


class SubmittedFormFactory(factory.django.DjangoModelFactory):
    """A one-time form token claimed by a proposal (chamber.submissions)."""

    class Meta:
        model = SubmittedForm

    token = factory.LazyFunction(new_token)
    kind = "spaces:propose"
    user = factory.SubFactory(PresidentFactory)


class HistoryFactory(factory.django.DjangoModelFactory):
    """A history row as chamber.workflow writes it: each history names its object and the
    statuses it moved between."""

    class Meta:
        abstract = True

    actor = factory.SubFactory(StaffFactory)


# --- spaces --------------------------------------------------------------------------------


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


class SpacePhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpacePhoto

    space = factory.SubFactory(SpaceFactory)
    image = factory.django.ImageField(color="#c8a46e", width=64, height=48)
    thumbnail = factory.django.ImageField(color="#c8a46e", width=32, height=24)
    caption = "Façade"
    is_cover = True


class SpaceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceDocument

    space = factory.SubFactory(SpaceFactory)
    file = factory.django.FileField(data=b"%PDF-1.4\ntrailer\n%%EOF\n", filename="plan.pdf")
    title = "Plan"
    size = 24


class SpaceStatusChangeFactory(HistoryFactory):
    class Meta:
        model = SpaceStatusChange

    space = factory.SubFactory(SpaceFactory)
    from_status, to_status = SpaceStatus.UNDER_REVIEW, SpaceStatus.AVAILABLE


class AllocationFactory(factory.django.DjangoModelFactory):
    """An active allocation, Monday to Wednesday for a year from next month. Made directly,
    without the overlap check: tests of that check go through spaces.services."""

    class Meta:
        model = Allocation

    space = factory.SubFactory(SpaceFactory, status=SpaceStatus.OCCUPIED)
    purpose = "cooperative_activity"
    holder = "Coopérative"
    starts_on = in_days(30)
    ends_on = in_days(395)
    weekdays = 0b0000111
    agreement_reference = factory.Sequence(lambda n: f"GON-TEST-{n:05d}")


class AllocationStatusChangeFactory(HistoryFactory):
    class Meta:
        model = AllocationStatusChange

    allocation = factory.SubFactory(AllocationFactory)
    from_status, to_status = "", "active"


class MatchingPolicyFactory(factory.django.DjangoModelFactory):
    """The one policy row (made by migration): got, or made with the defaults."""

    class Meta:
        model = MatchingPolicy
        django_get_or_create = ["pk"]

    pk = 1


# --- cooperatives --------------------------------------------------------------------------


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


class CooperativeStatusChangeFactory(HistoryFactory):
    class Meta:
        model = CooperativeStatusChange

    cooperative = factory.SubFactory(CooperativeFactory)
    from_status, to_status = False, True


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    user = factory.SubFactory(RepresentativeUserFactory)
    cooperative = factory.SubFactory(CooperativeFactory)


class RepresentativeStatusChangeFactory(HistoryFactory):
    class Meta:
        model = RepresentativeStatusChange

    representative = factory.SubFactory(RepresentativeFactory)
    from_status, to_status = "", "pending"
    actor = factory.LazyAttribute(lambda row: row.representative.user)


class SpaceApplicationFactory(factory.django.DjangoModelFactory):
    """A draft of a verified cooperative for any space of its commune, starting in 30 days."""

    class Meta:
        model = SpaceApplication

    cooperative = factory.SubFactory(CooperativeFactory)
    commune = factory.LazyAttribute(lambda a: a.cooperative.commune)
    craft = factory.SubFactory(CraftFactory)
    description = "Tissage de tapis."
    beneficiaries = 12
    women_beneficiaries = 10
    days_per_week = 3
    starts_on = in_days(30)
    duration_months = 12


class ActivityReportFactory(factory.django.DjangoModelFactory):
    """A month's report of an approved application (made directly, without the service's
    rules: tests of those go through cooperatives.services)."""

    class Meta:
        model = ActivityReport

    application = factory.SubFactory(
        SpaceApplicationFactory,
        status="approved",
        allocation=factory.SubFactory(AllocationFactory),
    )
    period_start = factory.LazyFunction(lambda: date(2027, 1, 1))
    period_end = factory.LazyFunction(lambda: date(2027, 1, 31))
    income_mad = 4500
    women_workers = 8
    men_workers = 1
    days_used = 10
    days_given = 13  # Monday to Wednesday in January 2027


class SpaceInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpaceInterest

    space = factory.SubFactory(SpaceFactory)
    cooperative = factory.SubFactory(CooperativeFactory)


class ApplicationStatusChangeFactory(HistoryFactory):
    class Meta:
        model = ApplicationStatusChange

    application = factory.SubFactory(SpaceApplicationFactory)
    from_status, to_status = "", "draft"


class PlanDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanDecision

    application = factory.SubFactory(SpaceApplicationFactory, status="submitted")
    space = factory.SubFactory(SpaceFactory)
    kind = "exclude"
    reason = "La salle est trop loin."
    actor = factory.SubFactory(StaffFactory)


# --- programs ------------------------------------------------------------------------------


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        django_get_or_create = ["code"]

    code = "chamber"
    name_fr = factory.LazyAttribute(lambda p: p.code)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["code"]

    code = Programme.APPRENTICESHIP
    name_fr = factory.LazyAttribute(lambda p: p.code)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective
        django_get_or_create = ["programme", "indicator"]

    programme = factory.SubFactory(ProgrammeFactory)
    indicator = "apprentices_trained"
    target = 100


class EndangeredCraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EndangeredCraft
        django_get_or_create = ["craft"]

    craft = factory.SubFactory(CraftFactory, code="tissage-tentes")
    threat_level = "endangered"
    known_practitioners = 9


class MasterArtisanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MasterArtisan

    name = factory.Sequence(lambda n: f"Maâlema {n}")
    commune = factory.SubFactory(CommuneFactory)
    phone = "+212600000201"


class SafeguardingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingAction

    programme = factory.SubFactory(ProgrammeFactory, code=Programme.SAFEGUARDING)
    kind = "exhibition"
    title = factory.Sequence(lambda n: f"Exposition {n}")
    craft = factory.SubFactory(CraftFactory, code="tissage-tentes")
    starts_on = in_days(150)
    ends_on = in_days(152)


class CohortFactory(factory.django.DjangoModelFactory):
    """An open apprenticeship cohort starting in 60 days, for 330 days."""

    class Meta:
        model = Cohort

    programme = factory.SubFactory(ProgrammeFactory)
    craft = factory.SubFactory(CraftFactory, code="tissage-tentes")
    master = factory.SubFactory(MasterArtisanFactory)
    starts_on = in_days(60)
    ends_on = in_days(390)
    seats = 12
    certificate = "specialisation"


class ApprenticeProfileFactory(factory.django.DjangoModelFactory):
    """A young person's profile, 18 at the start of a cohort in 60 days."""

    class Meta:
        model = Apprentice

    user = factory.SubFactory(ApprenticeFactory)
    birth_date = factory.LazyFunction(
        lambda: timezone.localdate() + timedelta(days=60) - timedelta(days=18 * 366)
    )
    school_level = "primary_6"
    commune = factory.SubFactory(CommuneFactory)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    apprentice = factory.SubFactory(ApprenticeProfileFactory)


class EnrolmentStatusChangeFactory(HistoryFactory):
    class Meta:
        model = EnrolmentStatusChange

    enrolment = factory.SubFactory(EnrolmentFactory)
    from_status, to_status = "", "applied"
    actor = factory.LazyAttribute(lambda row: row.enrolment.apprentice.user)


class EnrolmentOutcomeChangeFactory(HistoryFactory):
    class Meta:
        model = EnrolmentOutcomeChange

    enrolment = factory.SubFactory(EnrolmentFactory, status="completed", outcome="employed")
    from_status, to_status = "", "employed"


class DiagnosticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Diagnostic

    commune = factory.SubFactory(CommuneFactory)
    field = "premises"
    challenges = "Bâtiments communaux fermés."


class RoadmapActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapAction

    title = factory.Sequence(lambda n: f"Action {n}")
    commune = factory.SubFactory(CommuneFactory)
    responsible = factory.SubFactory(PartnerFactory)
    due_on = in_days(90)


class RoadmapActionStatusChangeFactory(HistoryFactory):
    class Meta:
        model = RoadmapActionStatusChange

    action = factory.SubFactory(RoadmapActionFactory)
    from_status, to_status = "", "planned"
