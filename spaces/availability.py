"""Which days of the week a shared hall still has free (DESIGN.md §3: a hall with some
weekdays free stays available, and shows which days). Pure functions over the periods its
running allocations take; the selectors feed them, the services decide the status with them.

A weekday is free "for the coming months" when no running allocation uses it at any time
between a date and HORIZON_DAYS later: a cooperative that applies for it can count on it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.dates import WEEKDAYS

from spaces.models import ALL_WEEKDAYS, join_words

# "The coming months": about a quarter, the shortest period an activity is asked for.
HORIZON_DAYS = 91


def taken_mask(busy: Iterable, starts_on: date, ends_on: date) -> int:
    """The weekdays (bits, Monday = 1) that some period of `busy` uses between the dates.
    `busy` holds objects with starts_on, ends_on and weekdays (allocations, matching.Busy)."""
    taken = 0
    for period in busy:
        if period.starts_on <= ends_on and starts_on <= period.ends_on:
            taken |= period.weekdays
    return taken


def free_mask(busy: Iterable, on: date, days: int = HORIZON_DAYS) -> int:
    """The weekdays free every week from `on` for `days` days."""
    return ALL_WEEKDAYS & ~taken_mask(busy, on, on + timedelta(days=days))


def weekday_list(mask: int) -> list[int]:
    """0 for Monday … 6 for Sunday."""
    return [day for day in range(7) if mask & (1 << day)]


def next_free_day(busy: Iterable, on: date) -> date:
    """The first date from `on` on which no running allocation uses that day of the week.

    A day is taken only by a period that covers it, so the answer is within a week of `on`
    or of the day after one of the periods ends: those are the only dates to try."""
    busy = list(busy)
    starts = sorted({on} | {p.ends_on + timedelta(days=1) for p in busy if p.ends_on >= on})
    for start in starts:
        for step in range(7):
            day = start + timedelta(days=step)
            bit = 1 << day.weekday()
            if not any(p.starts_on <= day <= p.ends_on and p.weekdays & bit for p in busy):
                return day
    return on  # not reached: the day after the last period is always free


@dataclass(frozen=True)
class Availability:
    """What the catalogue, the space page and the open data say of a public space's days."""

    free: int  # weekdays free for the coming months (bits)
    next_free_day: date

    @property
    def every_day(self) -> bool:
        return self.free == ALL_WEEKDAYS

    @property
    def none_free(self) -> bool:
        return self.free == 0

    def free_days(self) -> list[int]:
        return weekday_list(self.free)

    def free_day_names(self) -> str:
        """In the reader's words: "Thursday, Friday, Saturday, Sunday"."""
        return join_words(str(WEEKDAYS[day]) for day in self.free_days())


def availability(busy: Iterable, on: date) -> Availability:
    busy = list(busy)
    return Availability(free=free_mask(busy, on), next_free_day=next_free_day(busy, on))
