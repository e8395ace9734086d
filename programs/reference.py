"""The two programmes of DESIGN.md §1, their partners and first objectives, in both languages.
Targets are a starting point for the chamber to set in the admin. One idempotent loader, for
the data migration and for tests that empty the database."""

PARTNERS = [
    ("unesco", "اليونسكو", "UNESCO"),
    ("wilaya", "ولاية جهة كلميم وادنون", "Wilaya de la région Guelmim-Oued Noun"),
    (
        "directorate",
        "المديرية الجهوية للصناعة التقليدية والاقتصاد الاجتماعي والتضامني",
        "Direction régionale de l'artisanat et de l'économie sociale et solidaire",
    ),
    (
        "chamber",
        "غرفة الصناعة التقليدية لجهة كلميم وادنون",
        "Chambre d'artisanat de la région Guelmim-Oued Noun",
    ),
    ("communes", "جماعات الجهة", "Communes de la région"),
]
PROGRAMMES = [
    (
        "safeguarding",
        "صون الحرف المهددة بالاندثار",
        "Sauvegarde des métiers de l'artisanat menacés de disparition",
        "توثيق الحرف المهددة بالاندثار ونقل مهاراتها من المعلمين إلى الأجيال الجديدة، "
        "بشراكة مع اليونسكو والولاية.",
        "Documenter les métiers menacés de disparition et transmettre le savoir-faire des maîtres "
        "artisans aux nouvelles générations, avec l'UNESCO et la Wilaya.",
        ["unesco", "wilaya", "directorate", "chamber"],
        [
            ("crafts_documented", 10),
            ("safeguarding_actions", 12),
            ("action_participants", 300),
            ("master_artisans", 15),
        ],
    ),
    (
        "apprenticeship",
        "التكوين بنمط التدرج المهني",
        "Formation par apprentissage",
        "تأهيل الشباب المنقطعين عن الدراسة (15 إلى 30 سنة) في الحرف وإدماجهم في سوق الشغل.",
        "Qualifier les jeunes sortis de l'école (15 à 30 ans) dans les métiers de l'artisanat et "
        "les insérer dans l'emploi.",
        ["directorate", "chamber", "communes"],
        [("apprentices_trained", 120), ("women_apprentices", 60)],
    ),
]


def ensure_programmes(Partner, Programme, Objective):  # noqa: N803 - model classes
    partners = {}
    for code, name_ar, name_fr in PARTNERS:
        partners[code], _ = Partner.objects.get_or_create(
            code=code, defaults={"name_ar": name_ar, "name_fr": name_fr}
        )
    for code, name_ar, name_fr, text_ar, text_fr, partner_codes, objectives in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            code=code,
            defaults={
                "name_ar": name_ar,
                "name_fr": name_fr,
                "description_ar": text_ar,
                "description_fr": text_fr,
            },
        )
        if created:
            programme.partners.set([partners[c] for c in partner_codes])
            for indicator, target in objectives:
                Objective.objects.create(programme=programme, indicator=indicator, target=target)
