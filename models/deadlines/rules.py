"""Statutory due dates: local dates in the policy's zone and the rule functions.

Each function reads its periods from the :class:`Policy` and returns a :class:`Due` that
records which rule, basis and policy version produced the date.
"""

from __future__ import annotations

import calendar as _gregorian
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from ethicsflow.models.deadlines.calendar import WorkCalendar, calendar_for
from ethicsflow.models.policy import Policy

ZONE = "Asia/Almaty"
"""Zone of the packaged policy (UTC+5 since 1 March 2024); the rules use ``policy.zone``."""


@dataclass(frozen=True, slots=True)
class Due:
    """A due date and where it comes from."""

    name: str
    due: dt.date
    rule: str
    """Short id of the policy entry: ``rules.<name>``, ``limitation.<category>`` or
    ``limitation.after_dropped`` (fits the 32 characters of ``Deadline.rule``)."""
    basis: str
    policy_version: str
    anchor: dt.date
    amount: int
    unit: str


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local(at: dt.datetime, zone: str) -> dt.datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("received_at must carry a UTC offset")
    return at.astimezone(_zone(zone))


def local_date(at: dt.datetime, zone: str) -> dt.date:
    """The calendar day of ``at`` in ``zone``; ``at`` must be timezone-aware."""
    return _local(at, zone).date()


def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` calendar months, clamped at the end of a shorter month."""
    months = day.year * 12 + day.month - 1 + n
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(day.day, _gregorian.monthrange(year, month)[1]))


def registration_date(received_at: dt.datetime, policy: Policy, cal: WorkCalendar) -> dt.date:
    """The day an appeal is registered (APPK Art. 64(3)).

    The local day of arrival, or the next working day if that is not one; with
    ``after_hours_next_day`` on, an arrival at or after ``office_hours_end`` is
    registered on the next working day after the arrival day.
    """
    local = _local(received_at, policy.zone)
    settings = policy.registration
    if settings.after_hours_next_day and local.time() >= settings.office_hours_end:
        return cal.add_working_days(local.date(), 1)
    return cal.next_working_day(local.date())


def rule_due(
    rule_name: str,
    anchor: dt.date,
    policy: Policy,
    cal: WorkCalendar,
    amount: int | None = None,
) -> Due:
    """Due date of ``policy.rules[rule_name]`` counted from ``anchor``.

    ``amount`` replaces the rule's amount, e.g. the working days left after a suspension.
    """
    rule = policy.rule(rule_name)
    n = rule.amount if amount is None else amount
    if n < 0:
        raise ValueError(f"amount must be 0 or more, not {n}")
    if rule.unit == "working_days":
        due = cal.add_working_days(anchor, n)
    elif rule.unit == "calendar_days":
        due = anchor + dt.timedelta(days=n)
    else:
        due = add_months(anchor, n)
    if rule.shift_to_working_day:
        due = cal.next_working_day(due)
    return Due(
        name=rule_name,
        due=due,
        rule=f"rules.{rule_name}",
        basis=rule.basis,
        policy_version=policy.version,
        anchor=anchor,
        amount=n,
        unit=rule.unit,
    )


def limitation_due(
    detected_on: dt.date,
    committed_on: dt.date | None,
    category: str,
    policy: Policy,
    suspended_days: int = 0,
    dropped_proceedings_on: dt.date | None = None,
    cal: WorkCalendar | None = None,
) -> Due:
    """Last day a disciplinary penalty may be imposed (Law 416-V Art. 45).

    The earlier of detection + months_from_detection and, when ``committed_on`` is
    known, conduct + months_from_conduct; after dropped proceedings, the decision +
    months_from_decision instead of the detection bound. Both bounds move later by
    ``suspended_days`` calendar days (Art. 45(3)-(4)). ``anchor`` and ``amount`` of the
    result describe the bound that applies. ``cal`` (default: the policy's) is used only
    when ``limitation.shift_to_working_day`` is on.
    """
    limitation = policy.limitation
    bounds = limitation.categories.get(category)
    if bounds is None:
        allowed = ", ".join(limitation.categories)
        raise ValueError(f"unknown offence category {category!r}; allowed: {allowed}")
    if suspended_days < 0:
        raise ValueError(f"suspended_days must be 0 or more, not {suspended_days}")
    if dropped_proceedings_on is None:
        rule = f"limitation.{category}"
        candidates = [(detected_on, bounds.months_from_detection)]
        conduct_months = bounds.months_from_conduct
    else:
        rule = "limitation.after_dropped"
        dropped = limitation.after_dropped_proceedings
        candidates = [(dropped_proceedings_on, dropped.months_from_decision)]
        conduct_months = dropped.months_from_conduct
    if committed_on is not None:
        candidates.append((committed_on, conduct_months))
    anchor, months = min(candidates, key=lambda c: add_months(c[0], c[1]))
    due = add_months(anchor, months) + dt.timedelta(days=suspended_days)
    if limitation.shift_to_working_day:
        due = (cal or calendar_for(policy)).next_working_day(due)
    return Due(
        name="limitation",
        due=due,
        rule=rule,
        basis=limitation.basis,
        policy_version=policy.version,
        anchor=anchor,
        amount=months,
        unit="months",
    )


def extension_limit(
    receipt: dt.date, original_due: dt.date, policy: Policy, cal: WorkCalendar | None = None
) -> dt.date:
    """Latest date an extended answer period may reach (APPK Art. 76(3)).

    ``max_months`` after receipt (mode ``total_from_receipt``) or after the original due
    date (mode ``added_to_due``), moved back to the last working day on or before it
    in ``cal`` (default: the policy's calendar).
    """
    extension = policy.extension
    start = receipt if extension.mode == "total_from_receipt" else original_due
    limit = add_months(start, extension.max_months)
    return (cal or calendar_for(policy)).previous_working_day(limit)


def remaining_working_days(today: dt.date, due: dt.date, cal: WorkCalendar) -> int:
    """Working days in (``today``, ``due``]; 0 once ``due`` is reached or past."""
    return cal.working_days_between(today, due)
