"""Demo content for trying the portal: one account per role, spaces and cooperatives in real
communes. Part of the portal, the top layer, as it fills every app. Idempotent: each object is
found by its natural key, and created only when missing; nothing that exists is changed.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from chamber import workflow
from chamber.models import Commune, Craft, Role, User
from chamber.services import sync_role_access
from cooperatives import services as cooperative_services
from cooperatives.models import (
    Cooperative,
    Representative,
    RepresentativeStatus,
    SpaceApplication,
)
from programs import services as program_services
from programs.models import (
    Apprentice,
    Cohort,
    Diagnostic,
    EndangeredCraft,
    MasterArtisan,
    Partner,
    Programme,
    RoadmapAction,
    SafeguardingAction,
)
from spaces import services as space_services
from spaces.models import Condition, Ownership, Space, SpaceKind, SpaceStatus

DEMO_PASSWORD = "demo-pass-2026"

# Communes by their HCP code (chamber/data/communes.csv).
ASRIR = "10.261.05.05"  # Guelmim province, rural
GUELMIM = "10.261.01.03"  # Guelmim province, regional capital
TAGHJIJT = "10.261.03.11"  # Guelmim province, rural
EL_OUATIA = "10.521.01.03"  # Tan-Tan province, urban
TAN_TAN = "10.521.01.01"
MIRLEFT = "10.473.01.07"  # Sidi Ifni province
ASSA = "10.071.01.01"  # Assa-Zag province


@dataclass
class SeedReport:
    created: int = 0
    existing: int = 0


def _account(report, username, *, role, first_name, last_name, language="ar", commune=None):
    user = User.objects.filter(username=username).first()
    if user:
        report.existing += 1
        return user
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=f"{username}@demo.invalid",
        role=role,
        commune=commune,
        language=language,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    sync_role_access(user)
    report.created += 1
    return user


def _cooperative(report, registration_number, *, crafts, **fields):
    cooperative = Cooperative.objects.filter(registration_number=registration_number).first()
    if cooperative:
        report.existing += 1
        return cooperative
    cooperative = Cooperative.objects.create(registration_number=registration_number, **fields)
    cooperative.crafts.set(Craft.objects.filter(code__in=crafts))
    workflow.record_creation(cooperative, actor=None)
    report.created += 1
    return cooperative


def _space(report, commune, name, *, crafts, offset, **fields):
    space = Space.objects.filter(commune=commune, name=name).first()
    if space:
        report.existing += 1
        return space
    space = Space.objects.create(
        commune=commune,
        name=name,
        # Near the commune's centre point, so the map shows it in the right place.
        latitude=commune.latitude + Decimal(offset[0]),
        longitude=commune.longitude + Decimal(offset[1]),
        **fields,
    )
    space.crafts.set(Craft.objects.filter(code__in=crafts))
    workflow.record_creation(space, actor=space.proposed_by)
    # The commune photographs its proposal; past the review, staff complete the file.
    if space.status == SpaceStatus.PROPOSED:
        photographer = space.proposed_by
    else:
        photographer = User.objects.get(username="staff")
    for number, colours in enumerate(PHOTO_COLOURS[: 1 if photographer.is_president else 2]):
        space_services.add_photo(
            space.pk,
            actor=photographer,
            upload=_demo_photo(colours),
            caption=("Façade" if number == 0 else "Salle principale"),
        )
    report.created += 1
    return space


# Sand walls and a door, or a room with windows: pictures drawn here, no file to ship.
PHOTO_COLOURS = [("#d9b98a", "#8a5a33", "#6fa8c9"), ("#efe6d6", "#b08d62", "#f4d27a")]


def _demo_photo(colours) -> SimpleUploadedFile:
    wall, door, sky = colours
    image = Image.new("RGB", (960, 640), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 420, 960, 640), fill="#c8a46e")
    draw.rectangle((140, 180, 820, 520), fill=wall)
    draw.rectangle((420, 330, 540, 520), fill=door)
    for x in (200, 640):
        draw.rectangle((x, 260, x + 110, 340), fill="#3b5f73")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return SimpleUploadedFile("demo.jpg", buffer.getvalue(), content_type="image/jpeg")


@transaction.atomic
def seed_demo() -> SeedReport:
    report = SeedReport()
    communes = {c.official_code: c for c in Commune.objects.select_related("province")}

    staff = _account(report, "staff", role=Role.STAFF, first_name="Khadija", last_name="Bennani")
    president = _account(
        report,
        "president",
        role=Role.PRESIDENT,
        first_name="Mbarek",
        last_name="Ait Lahcen",
        commune=communes[ASRIR],
    )
    president2 = _account(
        report,
        "president2",
        role=Role.PRESIDENT,
        first_name="Salma",
        last_name="El Idrissi",
        language="fr",
        commune=communes[EL_OUATIA],
    )
    coop_user = _account(
        report, "coop", role=Role.COOPERATIVE, first_name="Fatima", last_name="Oubella"
    )
    coop2_user = _account(
        report,
        "coop2",
        role=Role.COOPERATIVE,
        first_name="Mariem",
        last_name="Boujemaa",
        language="fr",
    )
    _account(report, "apprentice", role=Role.APPRENTICE, first_name="Youssef", last_name="Amlal")

    weavers = _cooperative(
        report,
        "2016/0412",
        name="Coopérative Nissae Asrir pour le tissage",
        commune=communes[ASRIR],
        crafts=["tissage-tentes", "tissage-tapis"],
        founded_year=2016,
        women_members=23,
        men_members=0,
        under_30_members=7,
        phone="+212600000101",
        verified=True,
    )
    leather = _cooperative(
        report,
        "2019/1187",
        name="تعاونية الوطية للمصنوعات الجلدية",
        commune=communes[EL_OUATIA],
        crafts=["maroquinerie-sud", "tannerie-cuir"],
        founded_year=2019,
        women_members=11,
        men_members=4,
        under_30_members=5,
        phone="+212600000102",
        verified=True,
    )
    _cooperative(
        report,
        "2021/0033",
        name="Coopérative Tafoukt Mirleft de vannerie",
        commune=communes[MIRLEFT],
        crafts=["vannerie", "vannerie-sud"],
        founded_year=2021,
        women_members=9,
        men_members=2,
        under_30_members=3,
        verified=True,
    )
    _cooperative(
        report,
        "2023/0560",
        name="تعاونية آسا للحلي الفضية",
        commune=communes[ASSA],
        crafts=["bijouterie-argent", "gravure-metaux"],
        founded_year=2023,
        women_members=3,
        men_members=5,
        under_30_members=4,
        verified=False,
    )
    for user, cooperative in ((coop_user, weavers), (coop2_user, leather)):
        if not Representative.objects.filter(user=user).exists():
            representative = Representative.objects.create(
                user=user,
                cooperative=cooperative,
                function="Présidente",
                status=RepresentativeStatus.VERIFIED,
                decided_by=staff,
            )
            workflow.record_creation(representative, actor=staff)

    base = {"proposed_by": president, "ownership": Ownership.COMMUNE}
    _space(
        report,
        communes[ASRIR],
        "Foyer féminin d'Asrir",
        crafts=["tissage-tentes", "tissage-tapis", "couture-sahraouie"],
        offset=("0.004", "0.003"),
        kind=SpaceKind.WOMENS_CENTRE,
        address="Douar Asrir, route de Tighmert",
        floor_area_m2=180,
        rooms=4,
        capacity=30,
        has_electricity=True,
        has_water=True,
        has_sanitation=True,
        step_free_access=True,
        condition=Condition.READY,
        status=SpaceStatus.AVAILABLE,
        reviewed_by=staff,
        description="Salle principale lumineuse, deux ateliers et un magasin.",
        **base,
    )
    _space(
        report,
        communes[ASRIR],
        "المدرسة القديمة بتغمرت",
        crafts=["poterie", "vannerie"],
        offset=("-0.006", "0.008"),
        kind=SpaceKind.FORMER_SCHOOL,
        address="قصر تغمرت",
        floor_area_m2=240,
        rooms=5,
        capacity=40,
        has_electricity=True,
        has_water=False,
        condition=Condition.MINOR_WORKS,
        works_cost_mad=85000,
        status=SpaceStatus.UNDER_REVIEW,
        description="مدرسة مغلقة منذ 2018، السقف يحتاج إلى إصلاح بسيط.",
        **base,
    )
    _space(
        report,
        communes[ASRIR],
        "Salle polyvalente du centre d'Asrir",
        crafts=["couscous-artisanal"],
        offset=("0.001", "-0.004"),
        kind=SpaceKind.COMMUNITY_HALL,
        floor_area_m2=120,
        rooms=1,
        capacity=50,
        has_electricity=True,
        has_water=True,
        has_sanitation=True,
        condition=Condition.READY,
        status=SpaceStatus.PROPOSED,
        **base,
    )
    _space(
        report,
        communes[GUELMIM],
        "Maison de l'artisan, annexe de Guelmim",
        crafts=["maroquinerie-sud", "bijouterie-argent", "tannerie-cuir"],
        offset=("0.002", "0.002"),
        kind=SpaceKind.WORKSHOP,
        address="Avenue Mohammed V, Guelmim",
        floor_area_m2=300,
        rooms=6,
        capacity=45,
        has_electricity=True,
        has_water=True,
        has_sanitation=True,
        has_internet=True,
        step_free_access=True,
        condition=Condition.READY,
        ownership=Ownership.STATE,
        status=SpaceStatus.AVAILABLE,
        reviewed_by=staff,
    )
    _space(
        report,
        communes[TAGHJIJT],
        "دار الشباب تغجيجت",
        crafts=["menuiserie-bois", "bois-sculpte-jdari"],
        offset=("0.003", "-0.002"),
        kind=SpaceKind.YOUTH_CENTRE,
        floor_area_m2=150,
        rooms=3,
        capacity=25,
        has_electricity=True,
        has_sanitation=True,
        condition=Condition.MAJOR_WORKS,
        works_cost_mad=260000,
        ownership=Ownership.STATE,
        status=SpaceStatus.AVAILABLE,
        reviewed_by=staff,
    )
    for name, kind, area, status in (
        ("Maison des jeunes d'El Ouatia", SpaceKind.YOUTH_CENTRE, 200, SpaceStatus.AVAILABLE),
        ("قاعة الاجتماعات البلدية بالوطية", SpaceKind.COMMUNITY_HALL, 90, SpaceStatus.PROPOSED),
    ):
        _space(
            report,
            communes[EL_OUATIA],
            name,
            crafts=["maroquinerie-sud", "couture-sahraouie"],
            offset=("0.002", "0.004"),
            kind=kind,
            floor_area_m2=area,
            rooms=3,
            capacity=30,
            has_electricity=True,
            has_water=True,
            has_sanitation=True,
            condition=Condition.READY,
            ownership=Ownership.COMMUNE,
            status=status,
            proposed_by=president2,
            reviewed_by=staff if status == SpaceStatus.AVAILABLE else None,
        )
    _space(
        report,
        communes[TAN_TAN],
        "Centre culturel de Tan-Tan, aile est",
        crafts=["tissage-tentes", "lutherie"],
        offset=("-0.002", "0.001"),
        kind=SpaceKind.CULTURAL_CENTRE,
        floor_area_m2=140,
        rooms=2,
        capacity=35,
        has_electricity=True,
        has_water=True,
        has_sanitation=True,
        has_internet=True,
        condition=Condition.READY,
        ownership=Ownership.OTHER_PUBLIC,
        status=SpaceStatus.AVAILABLE,
        reviewed_by=staff,
    )
    _applications(report, staff, coop_user, coop2_user, weavers, leather, communes)
    _programmes(report, staff, User.objects.get(username="apprentice"), communes)
    _agreements(report, staff, coop_user, weavers, communes)
    return report


def _applications(report, staff, coop_user, coop2_user, weavers, leather, communes):
    """An application under review, a sent one, and a draft, made through the workflow."""
    if SpaceApplication.objects.filter(cooperative__in=[weavers, leather]).exists():
        report.existing += 3
        return
    start = timezone.localdate() + timedelta(days=45)
    hall = Space.objects.get(name="Foyer féminin d'Asrir")
    common = {"days_per_week": 3, "starts_on": start, "duration_months": 12}
    weaving = cooperative_services.create_application(
        actor=coop_user,
        cooperative_id=weavers.pk,
        data={
            **common,
            "space": hall,
            "craft": Craft.objects.get(code="tissage-tentes"),
            "description": "Tissage de bandes « flij » et montage de tentes pour le moussem.",
            "beneficiaries": 18,
            "women_beneficiaries": 18,
            "equipment": "4 métiers à tisser au sol",
            "expected_monthly_income_mad": 9000,
        },
    )
    cooperative_services.submit_application(weaving.pk, actor=coop_user)
    cooperative_services.start_review(weaving.pk, actor=staff)
    leatherwork = cooperative_services.create_application(
        actor=coop2_user,
        cooperative_id=leather.pk,
        data={
            **common,
            "commune": communes[EL_OUATIA],
            "craft": Craft.objects.get(code="maroquinerie-sud"),
            "description": "Atelier de maroquinerie sahraouie : sacs, coussins, tazaya.",
            "beneficiaries": 12,
            "women_beneficiaries": 9,
            "expected_monthly_income_mad": 6500,
        },
    )
    cooperative_services.submit_application(leatherwork.pk, actor=coop2_user)
    cooperative_services.create_application(
        actor=coop2_user,
        cooperative_id=leather.pk,
        data={
            **common,
            "province": communes[TAN_TAN].province,
            "craft": Craft.objects.get(code="couture-sahraouie"),
            "description": "Couture de melhfas et de derraâs.",
            "beneficiaries": 6,
            "women_beneficiaries": 6,
        },
    )
    report.created += 3


def _programmes(report, staff, apprentice_user, communes):
    """A master artisan, an endangered craft, an open cohort with one applicant, and the
    roadmap of three communes (one action late)."""
    if MasterArtisan.objects.exists():
        report.existing += 1
        return
    tents = Craft.objects.get(code="tissage-tentes")
    leather = Craft.objects.get(code="maroquinerie-sud")
    master = MasterArtisan.objects.create(
        name="Maâlema Aicha Lbaz",
        commune=communes[ASRIR],
        living_treasure=True,
        phone="+212600000201",
    )
    master.crafts.set([tents])
    EndangeredCraft.objects.create(
        craft=tents,
        threat_level="endangered",
        known_practitioners=9,
        where_practised="Asrir, Tighmert, Labyar",
    )
    EndangeredCraft.objects.create(
        craft=leather,
        threat_level="vulnerable",
        known_practitioners=23,
        where_practised="Guelmim, Tan-Tan",
    )
    apprenticeship = Programme.objects.get(code=Programme.APPRENTICESHIP)
    safeguarding = Programme.objects.get(code=Programme.SAFEGUARDING)
    start = timezone.localdate() + timedelta(days=60)
    cohort = Cohort.objects.create(
        programme=apprenticeship,
        craft=tents,
        master=master,
        starts_on=start,
        ends_on=start + timedelta(days=330),
        seats=12,
        certificate="specialisation",
    )
    hall = Space.objects.get(name="Foyer féminin d'Asrir")
    program_services.host_cohort(cohort.pk, actor=staff, space_id=hall.pk, weekdays=0b0111000)
    # An apprentice's phone is their account's (programs 0005), not yet confirmed by a code.
    User.objects.filter(pk=apprentice_user.pk, phone="").update(phone="+212600000301")
    Apprentice.objects.create(
        user=apprentice_user,
        birth_date=date(2007, 5, 14),
        woman=False,
        school_level="primary_6",
        commune=communes[ASRIR],
    )
    program_services.apply_to_cohort(cohort.pk, actor=apprentice_user)
    action = SafeguardingAction.objects.create(
        programme=safeguarding,
        kind="documentation",
        title="Filmer le tissage du flij",
        craft=tents,
        partner=Partner.objects.get(code="unesco"),
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 10, 5),
        participants=14,
        women_participants=12,
        held=True,
    )
    action.masters.set([master])
    chamber_partner = Partner.objects.get(code="chamber")
    today = timezone.localdate()
    for commune_code, title, due, status, progress in (
        (
            ASRIR,
            "Rénover le toit de l'ancienne école de Tighmert",
            today + timedelta(days=90),
            "in_progress",
            40,
        ),
        (
            ASRIR,
            "Former 20 tisserandes au montage de la khaïma",
            today - timedelta(days=20),
            "in_progress",
            60,
        ),
        (
            EL_OUATIA,
            "Ouvrir un point de vente des coopératives au souk",
            today + timedelta(days=150),
            "planned",
            0,
        ),
        (
            TAGHJIJT,
            "Raccorder la maison des jeunes au réseau d'eau",
            today - timedelta(days=5),
            "done",
            100,
        ),
    ):
        action = RoadmapAction.objects.create(
            title=title,
            commune=communes[commune_code],
            programme=apprenticeship,
            responsible=chamber_partner,
            due_on=due,
            status=status,
            progress=progress,
        )
        workflow.record_creation(action, actor=staff)
    Diagnostic.objects.create(
        commune=communes[ASRIR],
        field="premises",
        challenges="Bâtiments communaux fermés depuis 2018.",
        constraints="Toitures en terre à reprendre ; pas d'accès à l'eau à l'école.",
    )
    report.created += 1


def _month_start(day: date, back: int) -> date:
    """The first day of the month `back` months before the month of `day`."""
    month = day.month - 1 - back
    return date(day.year + month // 12, month % 12 + 1, 1)


def _agreements(report, staff, coop_user, weavers, communes):
    """The second half of the journey (issue #13): three cooperatives of Asrir that hold
    agreements, so that the commune's income can be published (3 or more). The weavers' agreement
    ends within the month, with a renewal asked and one monthly report missing; the potters use
    a shared hall on three days (its other days free) and use it little: under-used."""
    if Cooperative.objects.filter(registration_number="2018/0077").exists():
        report.existing += 1
        return
    today = timezone.localdate()
    potters = _cooperative(
        report,
        "2018/0077",
        name="Coopérative Tighmert de poterie",
        commune=communes[ASRIR],
        crafts=["poterie"],
        founded_year=2018,
        women_members=8,
        men_members=3,
        under_30_members=2,
        verified=True,
    )
    couscous = _cooperative(
        report,
        "2020/0301",
        name="تعاونية أسرير للكسكس",
        commune=communes[ASRIR],
        crafts=["couscous-artisanal"],
        founded_year=2020,
        women_members=12,
        men_members=0,
        under_30_members=4,
        verified=True,
    )
    house = _space(
        report,
        communes[ASRIR],
        "Maison de la coopération d'Asrir",
        crafts=["poterie", "couscous-artisanal", "vannerie"],
        offset=("-0.002", "-0.003"),
        kind=SpaceKind.COMMUNITY_HALL,
        address="Place du souk, Asrir",
        floor_area_m2=160,
        rooms=3,
        capacity=40,
        has_electricity=True,
        has_water=True,
        has_sanitation=True,
        condition=Condition.READY,
        ownership=Ownership.COMMUNE,
        status=SpaceStatus.AVAILABLE,
        reviewed_by=staff,
        contact_phone="+212528871010",
    )
    foyer = Space.objects.get(name="Foyer féminin d'Asrir")
    first = _month_start(today, 4)
    agreements = (
        # cooperative, space, craft, weekdays, from, until, (days used per month)
        (weavers, foyer, "tissage-tapis", 0b0000011, first, today + timedelta(days=20), "weave"),
        (potters, house, "poterie", 0b0000111, first, first + timedelta(days=364), "pots"),
        (
            couscous,
            house,
            "couscous-artisanal",
            0b0011000,
            first,
            first + timedelta(days=364),
            "food",
        ),
    )
    filed = {
        # income, women, men, days used, products; None: the month is not reported
        "weave": [
            (8200, 14, 0, 8, "6 tapis, 2 tentes"),
            (9100, 15, 0, 8, "7 tapis"),
            None,
            (10400, 16, 0, 7, "8 tapis, 1 khaïma"),
        ],
        "pots": [
            (2100, 4, 2, 3, "60 jarres"),
            (1600, 3, 2, 2, "45 plats"),
            (1900, 4, 1, 3, "50 tajines"),
            (1200, 3, 1, 2, "30 jarres"),
        ],
        "food": [
            (5400, 10, 0, 8, "220 kg de couscous"),
            (5900, 11, 0, 8, "240 kg"),
            (6300, 12, 0, 8, "260 kg"),
            (6100, 11, 0, 8, "250 kg"),
        ],
    }
    for cooperative, space, craft, weekdays, starts_on, ends_on, key in agreements:
        application = cooperative_services.create_application(
            actor=staff,
            cooperative_id=cooperative.pk,
            data={
                # the weavers have an open application for the Foyer already: this one asked
                # for any space of the commune
                "commune": communes[ASRIR],
                "craft": Craft.objects.get(code=craft),
                "description": "Activité génératrice de revenus, suivie par la chambre.",
                "beneficiaries": cooperative.members,
                "women_beneficiaries": cooperative.women_members,
                "days_per_week": bin(weekdays).count("1"),
                "starts_on": today,
                "duration_months": 12,
            },
            consent_note="Accord de la présidente, par téléphone.",
        )
        cooperative_services.submit_application(application.pk, actor=staff)
        cooperative_services.approve_application(
            application.pk,
            actor=staff,
            space_id=space.pk,
            starts_on=starts_on,
            ends_on=ends_on,
            weekdays=weekdays,
            note="Salle prête, dans la commune de la coopérative.",
        )
        for back, figures in zip(range(4), filed[key], strict=True):
            if figures is None:
                continue
            income, women, men, days, products = figures
            cooperative_services.file_report(
                application.pk,
                actor=staff,
                period_key=_month_start(first, -back).strftime("%Y-%m"),
                data={
                    "income_mad": income,
                    "women_workers": women,
                    "men_workers": men,
                    "days_used": days,
                    "products": products,
                    "comment": "",
                },
            )
        # Filed here all at once; in the story each came within its ten days.
        for filed_report in application.reports.all():
            filed_report.filed_late = False
            filed_report.created_at = datetime.combine(
                filed_report.period_end + timedelta(days=4),
                time(10),
                tzinfo=timezone.get_current_timezone(),
            )
            filed_report.save(update_fields=["filed_late", "created_at"])
        if cooperative == weavers:
            cooperative_services.ask_renewal(
                application.pk,
                actor=coop_user,
                reason="Les commandes du moussem de Guelmim arrivent : une année de plus.",
            )
    report.created += 3
