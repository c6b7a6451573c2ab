"""Working-day calendar: hand-checked days of the official Kazakh calendar and properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicsflow.models.deadlines.calendar import WorkCalendar, calendar_for
from ethicsflow.models.policy import load_policy
from tests.support.calendar import policy_with

D = dt.date
CAL = calendar_for(load_policy())

dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=1, max_value=60)


def test_is_working_day_worked_sunday_2025_01_05() -> None:
    # Government decree for 2025 moved the day off from Sunday 5 January to Friday 3 January.
    assert CAL.is_working_day(D(2025, 1, 5))
    assert not CAL.is_working_day(D(2025, 1, 3))


def test_is_working_day_nauryz_2025_observed_days() -> None:
    # Nauryz 21-23 March 2025 fell on Fri-Sun; Saturday and Sunday moved to Mon 24 and Tue 25.
    for day in (D(2025, 3, 21), D(2025, 3, 24), D(2025, 3, 25)):
        assert not CAL.is_working_day(day)
    assert CAL.is_working_day(D(2025, 3, 20))
    assert CAL.is_working_day(D(2025, 3, 26))


def test_is_working_day_ordinary_weekend_is_off() -> None:
    # Saturday 15 and Sunday 16 February 2025: no holiday, no transfer.
    assert not CAL.is_working_day(D(2025, 2, 15))
    assert not CAL.is_working_day(D(2025, 2, 16))
    assert CAL.is_working_day(D(2025, 2, 17))


def test_add_working_days_counts_worked_sunday() -> None:
    # From Thu 2 Jan 2025 (holiday): Fri 3 off, Sat 4 off, Sun 5 worked (1), Mon 6 (2),
    # Tue 7 Orthodox Christmas, Wed 8 (3).
    assert CAL.add_working_days(D(2025, 1, 2), 3) == D(2025, 1, 8)


def test_add_working_days_zero_returns_same_day() -> None:
    # n == 0 is the anchor itself, even on a holiday.
    assert CAL.add_working_days(D(2025, 3, 21), 0) == D(2025, 3, 21)


def test_add_working_days_negative_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        CAL.add_working_days(D(2025, 3, 21), -1)


def test_add_working_days_across_new_year_2026() -> None:
    # Wed 31 Dec 2025; 1-2 Jan 2026 holidays, 3-4 weekend: Mon 5 Jan 2026 is the first.
    assert CAL.add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)


def test_working_days_between_half_open_interval() -> None:
    # (Thu 20 Mar, Wed 26 Mar 2025]: 21 Nauryz, 22-23 weekend, 24-25 observed; only the 26th.
    assert CAL.working_days_between(D(2025, 3, 20), D(2025, 3, 26)) == 1
    assert CAL.working_days_between(D(2025, 3, 26), D(2025, 3, 20)) == 0
    assert CAL.working_days_between(D(2025, 3, 26), D(2025, 3, 26)) == 0


def test_working_days_between_spans_years() -> None:
    # (Mon 29 Dec 2025, Fri 9 Jan 2026]: 30, 31 Dec; 5, 6, 8, 9 Jan (7 Jan Christmas).
    assert CAL.working_days_between(D(2025, 12, 29), D(2026, 1, 9)) == 6


def test_next_working_day_from_holiday() -> None:
    # Wed 7 May 2025 Defender of the Fatherland Day -> Thu 8 May.
    assert CAL.next_working_day(D(2025, 5, 7)) == D(2025, 5, 8)
    assert CAL.next_working_day(D(2025, 5, 8)) == D(2025, 5, 8)


def test_previous_working_day_from_observed_holiday() -> None:
    # Mon 10 Mar 2025 is the observed Women's Day (8 March was a Saturday) -> Fri 7 Mar.
    assert CAL.previous_working_day(D(2025, 3, 10)) == D(2025, 3, 7)
    # Thu 1 Jan 2026 -> Wed 31 Dec 2025, across the year boundary.
    assert CAL.previous_working_day(D(2026, 1, 1)) == D(2025, 12, 31)


def test_holiday_name_languages() -> None:
    day = D(2025, 3, 24)
    assert CAL.holiday_name(day, "en") == "Nowruz Holiday (observed)"
    assert CAL.holiday_name(day, "kk") == "Наурыз мейрамы (қайта белгіленген демалыс)"
    # The package has no Russian names for Kazakhstan; Russian gets the Kazakh name.
    assert CAL.holiday_name(day, "ru") == CAL.holiday_name(day, "kk")


def test_holiday_name_none_on_working_day() -> None:
    assert CAL.holiday_name(D(2025, 3, 26), "en") is None


def test_holiday_name_unknown_language_refused() -> None:
    with pytest.raises(ValueError, match="kk, en, ru"):
        CAL.holiday_name(D(2025, 3, 24), "de")


def test_override_day_off_wins_and_is_named() -> None:
    # Tue 15 Apr 2025 is an ordinary working day; a decree makes it a day off.
    cal = calendar_for(policy_with(days_off=(D(2025, 4, 15),)))
    assert not cal.is_working_day(D(2025, 4, 15))
    assert cal.holiday_name(D(2025, 4, 15), "ru") == "Выходной день (test decree)"


def test_override_working_day_wins_over_holiday() -> None:
    # Eid al-Adha 2026 is only estimated (27 May); a decree may declare it a working day.
    cal = calendar_for(policy_with(working_days=(D(2026, 5, 27),)))
    assert not CAL.is_working_day(D(2026, 5, 27))
    assert cal.is_working_day(D(2026, 5, 27))
    assert cal.holiday_name(D(2026, 5, 27), "en") is None


def test_calendar_for_reuses_calendar_of_same_overrides() -> None:
    assert calendar_for(load_policy()) is CAL
    assert calendar_for(policy_with(days_off=(D(2025, 4, 15),))) is not CAL


def test_work_calendar_refuses_day_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="both off and working"):
        WorkCalendar({D(2025, 4, 15): "a"}, {D(2025, 4, 15): "b"})


@settings(max_examples=200, deadline=None)
@given(day=dates, n=counts)
def test_add_working_days_lands_on_working_day(day: dt.date, n: int) -> None:
    assert CAL.is_working_day(CAL.add_working_days(day, n))


@settings(max_examples=200, deadline=None)
@given(day=dates, n=counts)
def test_add_working_days_exactly_n_in_interval(day: dt.date, n: int) -> None:
    due = CAL.add_working_days(day, n)
    assert CAL.working_days_between(day, due) == n
    # and the day before the due date still lacks one
    assert CAL.working_days_between(day, due - dt.timedelta(days=1)) == n - 1


@settings(max_examples=200, deadline=None)
@given(first=dates, second=dates, n=counts)
def test_add_working_days_monotonic_in_anchor(first: dt.date, second: dt.date, n: int) -> None:
    early, late = sorted((first, second))
    assert CAL.add_working_days(early, n) <= CAL.add_working_days(late, n)


@settings(max_examples=200, deadline=None)
@given(day=dates, n=counts, m=counts)
def test_add_working_days_monotonic_in_n(day: dt.date, n: int, m: int) -> None:
    small, large = sorted((n, m))
    assert CAL.add_working_days(day, small) <= CAL.add_working_days(day, large)


@settings(max_examples=200, deadline=None)
@given(day=dates)
def test_next_working_day_idempotent(day: dt.date) -> None:
    once = CAL.next_working_day(day)
    assert CAL.next_working_day(once) == once
    assert once >= day and CAL.is_working_day(once)
