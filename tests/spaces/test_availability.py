"""The free days of a shared hall, from its running allocations (spaces.availability)."""

from datetime import date

from spaces.availability import availability, free_mask, next_free_day
from spaces.matching import Busy

MONDAY = date(2027, 1, 4)


def test_a_hall_with_nothing_booked_is_free_every_day():
    found = availability([], MONDAY)
    assert found.every_day and found.next_free_day == MONDAY


def test_a_hall_booked_monday_to_wednesday_is_free_thursday_to_sunday():
    busy = [Busy(date(2027, 1, 1), date(2027, 12, 31), 0b0000111)]
    found = availability(busy, MONDAY)
    assert found.free_days() == [3, 4, 5, 6]
    assert found.next_free_day == date(2027, 1, 7)  # the Thursday


def test_a_day_taken_later_in_the_coming_months_is_not_free():
    busy = [Busy(date(2027, 2, 1), date(2027, 3, 31), 0b1)]
    assert free_mask(busy, MONDAY) == 0b1111110


def test_a_day_taken_after_the_coming_months_is_free():
    busy = [Busy(date(2027, 9, 1), date(2027, 12, 31), 0b1)]
    assert free_mask(busy, MONDAY) == 0b1111111


def test_a_full_hall_is_next_free_the_day_after_its_first_agreement_ends():
    busy = [
        Busy(date(2027, 1, 1), date(2027, 6, 30), 0b0001111),
        Busy(date(2027, 1, 1), date(2027, 12, 31), 0b1110000),
    ]
    assert free_mask(busy, MONDAY) == 0
    # 30 June 2027 is a Wednesday: Thursday 1 July is the first day no agreement takes
    assert next_free_day(busy, MONDAY) == date(2027, 7, 1)


def test_a_full_hall_whose_agreement_ends_on_a_weekday_taken_by_another_waits_for_it():
    busy = [
        Busy(date(2027, 1, 1), date(2027, 6, 30), 0b1111111),
        Busy(date(2027, 7, 1), date(2027, 12, 31), 0b0111111),
    ]
    # from 1 July only Sundays are free: the first is 4 July
    assert next_free_day(busy, MONDAY) == date(2027, 7, 4)
