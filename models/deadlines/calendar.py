"""The Kazakh working-day calendar that statutory periods are counted in.

Built from ``holidays.country_holidays("KZ")`` (statutory holidays, their weekend moves
and the transfers the package knows) plus the policy's ``calendar_overrides``, which
win. Working days are kept per year as sorted day ordinals, so counting N working days
is a binary search, not a walk.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Mapping
from functools import lru_cache

import holidays

from ethicsflow.models.policy import Policy

NAME_LANGUAGES = {"kk": "kk", "en": "en_US", "ru": "kk"}
"""Our language code → the ``holidays`` one. The package has no Russian names for KZ
(it has kk, en_US, uk), so Russian falls back to the official Kazakh names."""

_DAY_OFF_LABEL = {"kk": "Демалыс күні", "ru": "Выходной день", "en": "Day off"}


class WorkCalendar:
    """Working days of Kazakhstan, with days off and working days set by decree.

    ``days_off`` and ``working_days`` map a date to the decree that set it.
    """

    def __init__(
        self,
        days_off: Mapping[dt.date, str] | None = None,
        working_days: Mapping[dt.date, str] | None = None,
    ) -> None:
        self._days_off = dict(days_off or {})
        self._working_days = dict(working_days or {})
        both = self._days_off.keys() & self._working_days.keys()
        if both:
            raise ValueError(f"days both off and working: {sorted(both)}")
        self._kz = holidays.country_holidays("KZ", language="en_US")
        self._names: dict[str, holidays.HolidayBase] = {}
        self._years: dict[int, tuple[list[int], frozenset[int]]] = {}

    def _year(self, year: int) -> tuple[list[int], frozenset[int]]:
        """Sorted ordinals of the year's working days, and the same as a set."""
        cached = self._years.get(year)
        if cached is None:
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            days = [o for o in range(first, last + 1) if self._computed(dt.date.fromordinal(o))]
            cached = self._years[year] = (days, frozenset(days))
        return cached

    def _computed(self, day: dt.date) -> bool:
        if day in self._working_days:
            return True
        if day in self._days_off:
            return False
        return bool(self._kz.is_working_day(day))

    def is_working_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        return day.toordinal() in self._year(day.year)[1]

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (the count starts the next day); ``day`` if 0."""
        if n < 0:
            raise ValueError(f"n must be 0 or more, not {n}")
        if n == 0:
            return day
        year = day.year
        days = self._year(year)[0]
        index = bisect_right(days, day.toordinal()) + n - 1
        while index >= len(days):
            index -= len(days)
            year += 1
            days = self._year(year)[0]
        return dt.date.fromordinal(days[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Number of working days in the half-open interval (``start``, ``end``]."""
        if end <= start:
            return 0
        low, high = start.toordinal(), end.toordinal()
        count = 0
        for year in range(start.year, end.year + 1):
            days = self._year(year)[0]
            count += bisect_right(days, high) - bisect_right(days, low)
        return count

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the last working day before it."""
        year = day.year
        days = self._year(year)[0]
        index = bisect_right(days, day.toordinal()) - 1
        while index < 0:
            year -= 1
            days = self._year(year)[0]
            index = len(days) - 1
        return dt.date.fromordinal(days[index])

    def holiday_name(self, day: dt.date, language: str) -> str | None:
        """Name of the holiday or decreed day off on ``day`` in kk, ru or en; None if none."""
        if language not in NAME_LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(NAME_LANGUAGES)}")
        if day in self._working_days:
            return None
        if day in self._days_off:
            return f"{_DAY_OFF_LABEL[language]} ({self._days_off[day]})"
        code = NAME_LANGUAGES[language]
        names = self._names.get(code)
        if names is None:
            names = self._names[code] = holidays.country_holidays("KZ", language=code)
        name = names.get(day)
        return str(name) if name is not None else None


def calendar_for(policy: Policy) -> WorkCalendar:
    """The calendar of ``policy`` (shared between calls with the same overrides)."""
    overrides = policy.calendar_overrides
    return _calendar(
        tuple((o.date, o.decree) for o in overrides.days_off),
        tuple((o.date, o.decree) for o in overrides.working_days),
    )


@lru_cache(maxsize=8)
def _calendar(
    days_off: tuple[tuple[dt.date, str], ...], working_days: tuple[tuple[dt.date, str], ...]
) -> WorkCalendar:
    return WorkCalendar(dict(days_off), dict(working_days))
