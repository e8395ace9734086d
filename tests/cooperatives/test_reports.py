"""Activity reports (issue #13): the cooperative files one per month of its agreement from a
phone, staff may file for it, bad figures are answered on their field, late ones listed and
reminded, a space used on fewer than half of its days flagged."""

from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chamber.submissions import new_token
from cooperatives import reports, selectors, services
from cooperatives.models import ActivityReport
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.on_day("2026-12-01")]


@pytest.fixture
def approved(application_a, users, commune_a, cooperative_a):
    """Cooperative A (10 women, 2 men) given a hall on Mondays and Wednesdays in 2027."""
    services.submit_application(application_a.pk, actor=users("coop_a"))
    space = factories.SpaceFactory(commune=commune_a, name="Salle des fêtes")
    services.approve_application(
        application_a.pk,
        actor=users("staff"),
        space_id=space.pk,
        starts_on=date(2027, 1, 4),
        ends_on=date(2027, 12, 31),
        weekdays=0b101,
        note="La salle la plus proche",
    )
    application_a.refresh_from_db()
    return application_a


def figures(**changes):
    data = {
        "period": "2027-01",
        "income_mad": "4500",
        "women_workers": "8",
        "men_workers": "1",
        "days_used": "7",
        "products": "12 tapis",
        "comment": "",
        "form_token": new_token(),
    }
    return {**data, **changes}


def file(client, application, **changes):
    return client.post(
        f"/fr/cooperatives/applications/{application.pk}/reports/new/", figures(**changes)
    )


def test_january_2027_gives_nine_days_on_mondays_and_wednesdays(approved):
    period = reports.period_of(date(2027, 1, 4), "month")
    # from Monday 4 January: 4, 6, 11, 13, 18, 20, 25, 27 — eight days
    assert reports.days_given(approved.allocation, period) == 8


def test_the_cooperative_files_two_monthly_reports(client_as, approved):
    with time_machine.travel(date(2027, 3, 2)):
        client = client_as("coop_a")  # logged in that day: sessions do not last months
        assert file(client, approved).status_code == 302
        assert file(client, approved, period="2027-02", income_mad="5200").status_code == 302
        page = client.get(f"/fr/cooperatives/applications/{approved.pk}/").content.decode()
    assert sorted(r.income_mad for r in approved.reports.all()) == [4500, 5200]
    assert "5 200" in page or "5\u202f200" in page or "5\xa0200" in page
    report = approved.reports.get(period_start=date(2027, 1, 1))
    assert (report.period_end, report.on_behalf) == (date(2027, 1, 31), False)


def test_staff_file_a_report_for_the_cooperative_recorded_as_such(client_as, approved):
    with time_machine.travel(date(2027, 2, 2)):
        assert file(client_as("staff"), approved).status_code == 302
    report = ActivityReport.objects.get()
    assert report.on_behalf and report.filed_by.is_chamber_staff


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"income_mad": "-100"}, "income_mad"),
        ({"income_mad": "mille"}, "income_mad"),
        ({"women_workers": "11"}, "women_workers"),  # 10 women members
        ({"men_workers": "3"}, "men_workers"),  # 2 men members
        ({"days_used": "9"}, "days_used"),  # 8 days given in January
        ({"days_used": "-1"}, "days_used"),
        ({"period": "2026-12"}, "period"),  # before the agreement
        ({"period": "2027-03"}, "period"),  # not begun
        ({"period": "2027-13"}, "period"),
        ({"period": "\x00"}, "period"),
        ({"products": "x" * 501}, "products"),
    ],
)
def test_a_figure_that_cannot_be_is_explained_on_its_field_and_nothing_is_saved(
    client_as, approved, changes, field
):
    with time_machine.travel(date(2027, 2, 2)):
        response = file(client_as("coop_a"), approved, **changes)
    assert response.status_code in (200, 400)
    assert field in response.context["form"].errors
    assert response.context["form"]["comment"].value() == ""
    assert response.context["form"]["products"].value() == figures(**changes)["products"]
    assert not ActivityReport.objects.exists()


def test_a_month_reported_already_is_explained_on_the_period(client_as, approved):
    with time_machine.travel(date(2027, 2, 2)):
        client = client_as("coop_a")
        file(client, approved)
        response = file(client, approved, income_mad="9999")
    assert "a déjà son rapport" in response.context["form"].errors["period"][0]
    assert ActivityReport.objects.get().income_mad == 4500


def test_another_cooperative_cannot_file_or_see_the_reports(client_as, approved):
    with time_machine.travel(date(2027, 2, 2)):
        assert file(client_as("coop_b"), approved).status_code == 404
    assert not ActivityReport.objects.exists()


def test_a_draft_has_no_report_to_file(client_as, application_a):
    response = client_as("coop_a").get(
        f"/fr/cooperatives/applications/{application_a.pk}/reports/new/"
    )
    assert response.status_code == 302
    assert response.url == f"/fr/cooperatives/applications/{application_a.pk}/"


def _jpeg() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "orange").save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_is_reencoded_and_shown_to_the_cooperative_and_staff_only(
    client_as, approved, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(date(2027, 2, 2)):
        data = figures(photo=SimpleUploadedFile("tapis.jpg", _jpeg(), "image/jpeg"))
        client = client_as("coop_a")
        client.post(f"/fr/cooperatives/applications/{approved.pk}/reports/new/", data)
        report = ActivityReport.objects.get()
        url = f"/fr/cooperatives/applications/{approved.pk}/reports/{report.pk}/photo.jpg"
        assert client_as("coop_a").get(url)["Content-Type"] == "image/jpeg"
        assert client_as("staff").get(url).status_code == 200
        assert client_as("coop_b").get(url).status_code == 404


def test_a_file_that_is_no_photo_is_explained_on_its_field(client_as, approved):
    with time_machine.travel(date(2027, 2, 2)):
        data = figures(photo=SimpleUploadedFile("tapis.jpg", b"<html>", "image/jpeg"))
        response = client_as("coop_a").post(
            f"/fr/cooperatives/applications/{approved.pk}/reports/new/", data
        )
    assert response.context["form"].errors["photo"]
    assert not ActivityReport.objects.exists()


def _report(application, month, days_used):
    period = reports.period_of(date(2027, month, 1), "month")
    return ActivityReport.objects.create(
        application=application,
        period_start=period.starts_on,
        period_end=period.ends_on,
        income_mad=1000,
        women_workers=5,
        men_workers=0,
        days_used=days_used,
        days_given=reports.days_given(application.allocation, period),
    )


def test_a_space_used_on_fewer_than_half_of_its_days_is_flagged(approved):
    for month in (1, 2, 3):
        _report(approved, month, 3)  # about 8 or 9 days given each month
    assert approved.allocation_id in selectors.under_used_allocations([approved.allocation_id])
    _report(approved, 4, 8)
    _report(approved, 5, 8)
    assert not selectors.under_used_allocations([approved.allocation_id])


def test_late_reports_are_listed_and_reminded_once_each(
    client_as, approved, users, django_capture_on_commit_callbacks
):
    _report(approved, 1, 8)
    with time_machine.travel(date(2027, 4, 12)):
        late = selectors.missing_reports()
        with django_capture_on_commit_callbacks(execute=True):
            assert services.remind_missing_reports() == 1
            assert services.remind_missing_reports() == 0
        page = client_as("staff").get("/fr/cooperatives/staff/reports/").content.decode()
    [(application, missing)] = late
    # February is 12 days past due; March is due on 10 April: both late
    assert [row.period.key for row in missing] == ["2027-02", "2027-03"]
    assert "février 2027" in page and "mars 2027" in page
    # the cooperative is reminded of its periods; the staff are told how many fell late
    [message] = [m for m in mail.outbox if m.to == [users("coop_a").email]]
    assert "février 2027" in message.body or "فبراير 2027" in message.body
    [told] = [m for m in mail.outbox if m.to == [users("staff").email]]
    assert told.subject == "تعاونية واحدة متأخرة في تقارير نشاطها"  # one, in Arabic
    with time_machine.travel(date(2027, 5, 12)), django_capture_on_commit_callbacks(execute=True):
        assert services.remind_missing_reports() == 1  # April fell late too


def test_staff_set_quarterly_reports(client_as, approved):
    response = client_as("staff").post(
        f"/fr/cooperatives/applications/{approved.pk}/reports/every/", {"report_every": "quarter"}
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.report_every == "quarter"
    with time_machine.travel(date(2027, 4, 2)):
        assert file(client_as("coop_a"), approved, days_used="20").status_code == 302
    assert ActivityReport.objects.get().period_end == date(2027, 3, 31)


def test_only_staff_set_the_reporting_period(client_as, approved):
    response = client_as("coop_a").post(
        f"/fr/cooperatives/applications/{approved.pk}/reports/every/", {"report_every": "quarter"}
    )
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.report_every == "month"


def test_a_reporting_period_that_is_no_choice_is_explained_on_its_field(client_as, approved):
    response = client_as("staff").post(
        f"/fr/cooperatives/applications/{approved.pk}/reports/every/", {"report_every": "weekly"}
    )
    assert response.status_code == 400
    assert response.context["report_every_form"].errors["report_every"]
    approved.refresh_from_db()
    assert approved.report_every == "month"


def test_staff_correct_a_report_in_the_admin_within_the_days_given(client_as, approved):
    report = _report(approved, 1, 5)
    url = f"/fr/admin/cooperatives/activityreport/{report.pk}/change/"
    client = client_as("staff")
    fields = {
        "income_mad": "6000",
        "women_workers": "5",
        "men_workers": "0",
        "products": "",
        "comment": "",
    }
    response = client.post(url, {**fields, "days_used": "40"})
    assert response.status_code == 200
    assert "days_used" in response.context["adminform"].form.errors
    response = client.post(url, {**fields, "days_used": "6"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.income_mad, report.days_used) == (6000, 6)


def test_the_reporting_period_stays_once_reports_are_filed(client_as, approved):
    _report(approved, 1, 5)
    response = client_as("staff").post(
        f"/fr/cooperatives/applications/{approved.pk}/reports/every/", {"report_every": "quarter"}
    )
    assert response.status_code == 400
    assert response.context["report_every_form"].errors["report_every"]
    approved.refresh_from_db()
    assert approved.report_every == "month"


def test_a_photo_lost_from_the_storage_answers_404(client_as, approved):
    report = _report(approved, 1, 5)
    report.photo.name = "cooperatives/reports/gone.jpg"
    report.save(update_fields=["photo"])
    url = f"/fr/cooperatives/applications/{approved.pk}/reports/{report.pk}/photo.jpg"
    assert client_as("coop_a").get(url).status_code == 404


def test_a_second_run_the_same_day_tells_the_staff_again(approved, users):
    from chamber.models import Notification

    _report(approved, 1, 8)
    with time_machine.travel(date(2027, 4, 12)):
        assert services.remind_missing_reports() == 1
        [first] = Notification.objects.filter(
            recipient=users("staff"), kind="cooperatives/reports_missing"
        )
        assert first.params["count"] == 1
        assert services.remind_missing_reports() == 0  # nothing new: nobody told again
    assert Notification.objects.filter(kind="cooperatives/reports_missing").count() == 1


def test_a_report_now_due_is_told_once_before_it_falls_late(approved, users):
    from chamber.models import Notification

    coop = users("coop_a")
    with time_machine.travel(date(2027, 2, 3)):  # January is over; its report is due by 10
        assert services.remind_missing_reports() == 0  # nothing late yet
        services.remind_missing_reports()  # the next run the same day: told once
    [due] = Notification.objects.filter(recipient=coop, kind="cooperatives/report_due")
    assert due.params["period"] == "2027-01"
    _report(approved, 2, 8)  # February filed before its month is even over
    with time_machine.travel(date(2027, 3, 2)):
        services.remind_missing_reports()
    assert Notification.objects.filter(recipient=coop, kind="cooperatives/report_due").count() == 1
