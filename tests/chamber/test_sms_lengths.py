"""Every kind of notification, in every event, fits one SMS segment with its short link at a
realistic address: 70 UCS-2 characters in Arabic, 160 GSM characters in French (issue #14)."""

import pytest

from chamber import outbox, sms
from chamber.models import Notification
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]

SITE = "https://portail.example.ma"  # the address .env.example gives


@pytest.fixture
def cases(users, space_a, application_a, cooperative_a, cohort, allocation_of):
    allocation = allocation_of(factories.SpaceFactory(commune=space_a.commune))
    enrolment = factories.EnrolmentFactory(cohort=cohort)
    representative = factories.RepresentativeFactory(cooperative=cooperative_a)
    made = [("spaces/proposed", {"space": space_a.pk})]
    made += [
        ("spaces/decision", {"space": space_a.pk, "status": status, "note": "Toiture"})
        for status in ("under_review", "available", "rejected", "withdrawn")
    ]
    made.append(("cooperatives/submitted", {"application": application_a.pk}))
    made += [
        ("cooperatives/decision", {"application": application_a.pk, "status": status})
        for status in ("submitted", "under_review", "rejected", "withdrawn")
    ]
    made += [
        ("cooperatives/representation", {"representative": representative.pk, "status": s})
        for s in ("verified", "refused")
    ]
    made += [
        ("cooperatives/agreement", {"allocation": allocation.pk, "event": event, **extra})
        for event, extra in [
            ("ending", {}),
            ("ending", {"to_staff": True}),
            ("renewal_requested", {"to_staff": True}),
            ("renewed", {}),
            ("active", {}),
            ("ended", {}),
            ("terminated", {}),
        ]
    ]
    made.append(
        ("cooperatives/reports_late", {"application": application_a.pk, "periods": ["2027-02"]})
    )
    made.append(("cooperatives/reports_missing", {"count": 12, "day": "2027-03-12"}))
    made.append(("cooperatives/report_due", {"application": application_a.pk, "period": "2027-11"}))
    made += [
        ("programs/enrolment", {"enrolment": enrolment.pk, "status": status})
        for status in ("accepted", "refused", "in_training", "completed", "dropped")
    ]
    made.append(("programs/outcome_asked", {"enrolment": enrolment.pk}))
    return made


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_sms_fits_one_segment(cases, language, settings):
    settings.SITE_URL = SITE
    person = factories.UserFactory(language=language)
    too_long = []
    for number, (kind, params) in enumerate(cases):
        notification = Notification.objects.create(
            pk=10_000 + number, recipient=person, kind=kind, params=params, key=f"k{number}"
        )
        text = outbox.sms_text(notification)
        assert text.endswith(f"{SITE}/n/{notification.pk}")
        assert "&#" not in text and "&amp;" not in text  # never escaped as HTML
        if sms.segments(text) > 1:
            too_long.append(text)
    assert too_long == [], "\n".join(too_long)
