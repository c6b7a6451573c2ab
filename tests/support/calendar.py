"""The packaged policy with a calendar changed by decree (for the calendar and deadline tests)."""

from __future__ import annotations

import datetime as dt

from ethicsflow.models.policy import CalendarOverrides, Policy, load_policy


def policy_with(
    days_off: tuple[dt.date, ...] = (), working_days: tuple[dt.date, ...] = ()
) -> Policy:
    """The packaged policy with decreed days off / working days."""
    overrides = CalendarOverrides.model_validate(
        {
            "days_off": [{"date": d, "decree": "test decree"} for d in days_off],
            "working_days": [{"date": d, "decree": "test decree"} for d in working_days],
        }
    )
    return load_policy().model_copy(update={"calendar_overrides": overrides})
