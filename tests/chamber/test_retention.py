"""What the portal forgets on schedule (law 09-08): `manage.py forget_expired`."""

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from chamber.models import ImportCheck
from chamber.services import forget_expired

pytestmark = [pytest.mark.on_day("2026-12-01"), pytest.mark.django_db]


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def login(model, username: str, at: datetime, **fields):
    """An axes record made at `at` (its time is set on creation, so it is moved after)."""
    record = model.objects.create(
        username=username, user_agent="x", ip_address="10.0.0.1", **fields
    )
    model.objects.filter(pk=record.pk).update(attempt_time=at)
    return record


def usernames(model) -> set[str]:
    return set(model.objects.values_list("username", flat=True))


def test_login_records_are_kept_90_days():
    login(AccessLog, "old", ago(days=91))
    login(AccessLog, "recent", ago(days=89))
    assert forget_expired()["login records"] == 1
    assert usernames(AccessLog) == {"recent"}


def test_failed_login_records_are_kept_90_days():
    login(AccessFailureLog, "old", ago(days=91))
    login(AccessFailureLog, "recent", ago(days=89))
    assert forget_expired()["failed-login records"] == 1
    assert usernames(AccessFailureLog) == {"recent"}


def test_the_retention_of_login_records_is_a_setting(settings):
    settings.LOGIN_RECORDS_RETENTION_DAYS = 30
    login(AccessLog, "old", ago(days=31))
    login(AccessLog, "recent", ago(days=29))
    forget_expired()
    assert usernames(AccessLog) == {"recent"}


def test_failed_login_counters_go_once_their_cool_off_is_over(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    login(AccessAttempt, "over", ago(minutes=16), failures_since_start=5)
    login(AccessAttempt, "still-locked", ago(minutes=14), failures_since_start=5)
    assert forget_expired()["failed-login counters"] == 1
    assert usernames(AccessAttempt) == {"still-locked"}


def test_without_a_cool_off_failed_login_counters_stay_as_long_as_login_records(settings):
    settings.AXES_COOLOFF_TIME = None
    login(AccessAttempt, "old", ago(days=91), failures_since_start=5)
    login(AccessAttempt, "locked", ago(days=2), failures_since_start=5)
    forget_expired()
    assert usernames(AccessAttempt) == {"locked"}


def test_expired_sessions_are_deleted_and_live_ones_kept():
    for key, expiry in (("expired", ago(seconds=1)), ("live", ago(seconds=-3600))):
        Session.objects.create(
            session_key=key * 4, session_data=SessionStore().encode({}), expire_date=expiry
        )
    assert forget_expired()["expired sessions"] == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["livelivelivelive"]


def test_import_checks_nobody_confirmed_are_deleted(users):
    staff = users("staff")
    for token, made in (("old", ago(hours=13)), ("recent", ago(hours=11))):
        ImportCheck.objects.create(
            kind="spaces", token=token, created_by=staff, created_at=made, records=[]
        )
    assert forget_expired()["import checks"] == 1
    assert list(ImportCheck.objects.values_list("token", flat=True)) == ["recent"]


def test_form_tokens_that_can_no_longer_be_sent_are_deleted():
    submissions = pytest.importorskip("chamber.submissions")
    from chamber.models import SubmittedForm

    SubmittedForm.objects.create(token="old", kind="x", created_at=ago(days=3))
    SubmittedForm.objects.create(token="recent", kind="x", created_at=ago(hours=1))
    assert timedelta(days=3) > submissions.FORM_TOKEN_LIFETIME
    assert forget_expired()["submitted forms"] == 1
    assert list(SubmittedForm.objects.values_list("token", flat=True)) == ["recent"]


def test_the_command_reports_what_it_deleted_and_is_idempotent():
    login(AccessLog, "old", ago(days=100))
    out = StringIO()
    call_command("forget_expired", stdout=out)
    assert "login records: 1 deleted" in out.getvalue()
    out = StringIO()
    call_command("forget_expired", stdout=out)
    assert "login records: 0 deleted" in out.getvalue()


def test_the_old_command_still_drops_stale_import_checks(users):
    ImportCheck.objects.create(
        kind="spaces",
        token="old",
        created_by=users("staff"),
        created_at=datetime(2026, 11, 1, tzinfo=ZoneInfo("Africa/Casablanca")),
        records=[],
    )
    out = StringIO()
    call_command("drop_stale_import_checks", stdout=out)
    assert "1 import check(s) dropped." in out.getvalue()
    assert not ImportCheck.objects.exists()
