"""The calendar of an agreement's activity reports (issue #13): which periods it reports on
(calendar months or quarters), how many days the space was given in each, when each report
is due, and whether the space is under-used. Pure functions of an allocation and the
reports; the services and selectors read the database.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from spaces.models import Allocation, AllocationStatus

# A report is due this many days after the end of its period.
GRACE_DAYS = 10
# Under-used: fewer than half of the days given were used, over the last reports.
UNDER_USED_SHARE = 0.5
UNDER_USED_REPORTS = 3


class ReportEvery(models.TextChoices):
    MONTH = "month", _("Every month")
    QUARTER = "quarter", _("Every quarter")


@dataclass(frozen=True)
class Period:
    starts_on: date  # first day of the month or quarter (the report's key)
    ends_on: date  # its last day
    every: str

    @property
    def key(self) -> str:
        return self.starts_on.strftime("%Y-%m")

    @property
    def due_on(self) -> date:
        return self.ends_on + timedelta(days=GRACE_DAYS)


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def period_of(day: date, every: str) -> Period:
    """The month or quarter that holds `day`."""
    month = day.month if every == ReportEvery.MONTH else 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, month, 1)
    last_month = month if every == ReportEvery.MONTH else month + 2
    return Period(start, _month_end(date(day.year, last_month, 1)), every)


def period_label(period: Period) -> str:
    """March 2027, or January – March 2027 for a quarter, in the reader's words."""
    last = formats.date_format(period.ends_on, "F Y")
    if period.starts_on.month == period.ends_on.month:
        return last
    return gettext("%(first)s – %(last)s") % {
        "first": formats.date_format(period.starts_on, "F"),
        "last": last,
    }


def period_from_key(key: str, every: str) -> Period | None:
    """The period a form's choice names ("2027-03"), or None for anything else."""
    try:
        year, month = (int(part) for part in key.split("-"))
        start = date(year, month, 1)
    except (ValueError, TypeError):
        return None
    period = period_of(start, every)
    return period if period.starts_on == start else None


def periods(allocation: Allocation, every: str, *, until: date | None = None) -> list[Period]:
    """The periods the agreement reports on, in order: those that overlap it, and that have
    begun by `until` when given (a report on a month not yet begun cannot be filed)."""
    last = allocation.ends_on if until is None else min(allocation.ends_on, until)
    found = []
    period = period_of(allocation.starts_on, every)
    while period.starts_on <= last:
        found.append(period)
        period = period_of(period.ends_on + timedelta(days=1), every)
    return found


def _last_day(allocation: Allocation) -> date:
    """The agreement's last day: its end, or the day it was stopped early."""
    if allocation.status == AllocationStatus.TERMINATED and allocation.closed_at:
        return min(allocation.ends_on, timezone.localdate(allocation.closed_at))
    return allocation.ends_on


def open_periods(allocation: Allocation, every: str, today: date) -> list[Period]:
    """The periods a report may be filed for today: begun, and within the agreement (before
    it was stopped, for one stopped early)."""
    return periods(allocation, every, until=min(today, _last_day(allocation)))


def days_given(allocation: Allocation, period: Period) -> int:
    """The days of the period on which the agreement gives the space (its weekdays)."""
    start = max(period.starts_on, allocation.starts_on)
    end = min(period.ends_on, _last_day(allocation))
    if end < start:
        return 0
    weeks, extra = divmod((end - start).days + 1, 7)
    days = weeks * bin(allocation.weekdays).count("1")
    for step in range(extra):
        if allocation.weekdays & (1 << (start + timedelta(days=weeks * 7 + step)).weekday()):
            days += 1
    return days


def under_used(reports) -> bool:
    """Whether the space was used on fewer than half of the days given, over the last three
    reports (all of them while there are fewer). `reports` hold days_used and days_given."""
    last = sorted(reports, key=lambda r: r.period_start)[-UNDER_USED_REPORTS:]
    given = sum(r.days_given for r in last)
    used = sum(r.days_used for r in last)
    return given > 0 and used < UNDER_USED_SHARE * given
