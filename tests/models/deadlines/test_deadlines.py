"""Deadline rules, checked by hand against the official Kazakh calendar of 2025-2026."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicsflow.models.cases.filing import parse_received_at
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import (
    ZONE,
    Due,
    add_months,
    extension_limit,
    limitation_due,
    local_date,
    registration_date,
    remaining_working_days,
    rule_due,
)
from ethicsflow.models.policy import Policy, load_policy
from tests.support.calendar import policy_with

D = dt.date
POLICY = load_policy()
CAL = calendar_for(POLICY)
WORKING_DAY_RULES = ["answer", "forward", "explanation", "correction", "extension_notice"]


def _with(section: str, **changes: object) -> Policy:
    """The packaged policy with fields of one section changed."""
    part = getattr(POLICY, section).model_copy(update=changes)
    return POLICY.model_copy(update={section: part})


def _at(text: str) -> dt.datetime:
    return parse_received_at(text)


# --- time zone -------------------------------------------------------------------------


def test_local_date_uses_almaty_offset() -> None:
    # 19:30 UTC on 31 Dec 2025 is 00:30 on 1 Jan 2026 in Almaty (UTC+5).
    assert local_date(_at("2025-12-31T19:30:00Z"), ZONE) == D(2026, 1, 1)
    assert local_date(_at("2025-12-31T18:30:00Z"), ZONE) == D(2025, 12, 31)


def test_local_date_refuses_naive_datetime() -> None:
    with pytest.raises(ValueError, match="received_at must carry a UTC offset"):
        local_date(dt.datetime(2025, 1, 5, 10, 0), ZONE)


@pytest.mark.parametrize(
    "text",
    ["2025-01-05T05:00:00Z", "2025-01-05T10:00+05", "2025-01-05T10:00:00+0500", "20250105T050000Z"],
)
def test_parse_received_at_offset_forms(text: str) -> None:
    assert parse_received_at(text) == dt.datetime(2025, 1, 5, 5, 0, tzinfo=dt.UTC)


def test_parse_received_at_refuses_missing_offset() -> None:
    with pytest.raises(ValueError, match="must carry a UTC offset"):
        parse_received_at("2025-01-05T10:00:00")


def test_parse_received_at_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="not an ISO 8601 timestamp"):
        parse_received_at("yesterday")


def test_packaged_policy_zone_is_almaty() -> None:
    assert POLICY.zone == ZONE


# --- months ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # no 31 February: clamped to the month end
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2025, 11, 30), 3, D(2026, 2, 28)),  # across the year end
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),
        (D(2025, 3, 10), 12, D(2026, 3, 10)),
    ],
)
def test_add_months_clamps_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected


# --- registration ----------------------------------------------------------------------


def test_registration_date_on_holiday_is_next_working_day() -> None:
    # Wed 7 May 2025 is Defender of the Fatherland Day: registered Thu 8 May.
    assert registration_date(_at("2025-05-07T10:00+05:00"), POLICY, CAL) == D(2025, 5, 8)


def test_registration_date_saturday_is_monday() -> None:
    # Sat 15 Feb 2025: registered on Mon 17 Feb.
    assert registration_date(_at("2025-02-15T10:00+05:00"), POLICY, CAL) == D(2025, 2, 17)


def test_registration_date_new_year_night_in_local_time() -> None:
    # 18:30Z = 23:30 on Wed 31 Dec 2025 (a working day) in Almaty; 19:30Z is already
    # 1 Jan 2026: 1-2 Jan holidays, 3-4 weekend, registered Mon 5 Jan.
    assert registration_date(_at("2025-12-31T18:30Z"), POLICY, CAL) == D(2025, 12, 31)
    assert registration_date(_at("2025-12-31T19:30Z"), POLICY, CAL) == D(2026, 1, 5)


def test_registration_date_after_hours_switch_off_keeps_day() -> None:
    # The default: the Code says nothing of office hours; 18:30 on Wed 12 Feb stays that day.
    assert registration_date(_at("2025-02-12T18:30+05:00"), POLICY, CAL) == D(2025, 2, 12)


def test_registration_date_after_hours_switch_on_moves_to_next_working_day() -> None:
    policy = _with("registration", after_hours_next_day=True)
    assert registration_date(_at("2025-02-12T18:30+05:00"), policy, CAL) == D(2025, 2, 13)
    assert registration_date(_at("2025-02-12T18:00+05:00"), policy, CAL) == D(2025, 2, 13)
    assert registration_date(_at("2025-02-12T17:59+05:00"), policy, CAL) == D(2025, 2, 12)
    # 14:00Z = 19:00 on Fri 7 Mar 2025; Sat 8, Sun 9, Mon 10 (Women's Day observed) -> Tue 11.
    assert registration_date(_at("2025-03-07T14:00Z"), policy, CAL) == D(2025, 3, 11)


# --- rules -----------------------------------------------------------------------------


def test_rule_due_answer_across_nauryz_2025() -> None:
    # Receipt Thu 20 Mar 2025. 21 Mar holiday, 22-23 weekend, 24-25 observed Nauryz:
    # 26, 27, 28 Mar (3), 31 Mar-4 Apr (8), 7-11 Apr (13), 14, 15 Apr (15).
    due = rule_due("answer", D(2025, 3, 20), POLICY, CAL)
    assert due == Due(
        name="answer",
        due=D(2025, 4, 15),
        rule="rules.answer",
        basis=POLICY.rules["answer"].basis,
        policy_version="2026.1",
        anchor=D(2025, 3, 20),
        amount=15,
        unit="working_days",
    )


def test_rule_due_answer_counts_from_receipt_not_registration() -> None:
    # Received Sat 15 Feb 2025, registered Mon 17 Feb. From the Saturday: 17-21 Feb (5),
    # 24-28 Feb (10), 3-7 Mar (15) -> Fri 7 Mar. From the Monday it would be Tue 11 Mar
    # (Mon 10 Mar is the observed Women's Day).
    received = _at("2025-02-15T10:00+05:00")
    assert registration_date(received, POLICY, CAL) == D(2025, 2, 17)
    assert rule_due("answer", local_date(received, ZONE), POLICY, CAL).due == D(2025, 3, 7)
    assert rule_due("answer", D(2025, 2, 17), POLICY, CAL).due == D(2025, 3, 11)


def test_rule_due_answer_filed_on_holiday() -> None:
    # Receipt Wed 7 May 2025 (holiday): 8 May (1), Fri 9 May Victory Day, 12-16 (6),
    # 19-23 (11), 26-29 May (15) -> Thu 29 May.
    assert rule_due("answer", D(2025, 5, 7), POLICY, CAL).due == D(2025, 5, 29)


def test_rule_due_answer_near_new_year_2026() -> None:
    # Receipt Wed 31 Dec 2025: 1-2 Jan holidays, 3-4 weekend, 5, 6 Jan (2), 7 Jan Christmas,
    # 8, 9 (4), 12-16 (9), 19-23 (14), Mon 26 Jan (15). No 2026 transfers known yet.
    assert rule_due("answer", D(2025, 12, 31), POLICY, CAL).due == D(2026, 1, 26)


def test_rule_due_forward_over_worked_sunday() -> None:
    # Receipt Thu 2 Jan 2025: Sun 5 Jan worked (1), Mon 6 (2), Tue 7 Christmas, Wed 8 (3).
    assert rule_due("forward", D(2025, 1, 2), POLICY, CAL).due == D(2025, 1, 8)


def test_rule_due_amount_override_for_remaining_days() -> None:
    # 4 working days left after a suspension ending Thu 20 Mar 2025: 26, 27, 28, 31 Mar.
    due = rule_due("answer", D(2025, 3, 20), POLICY, CAL, amount=4)
    assert (due.due, due.amount) == (D(2025, 3, 31), 4)


def test_rule_due_appeal_window_shifts_to_working_day() -> None:
    # Answer Fri 30 May 2025 + 3 months = Sat 30 Aug 2025 (Constitution Day); Sun 31 Aug,
    # Mon 1 Sep observed -> Tue 2 Sep.
    due = rule_due("appeal_window", D(2025, 5, 30), POLICY, CAL)
    assert (due.due, due.unit, due.amount) == (D(2025, 9, 2), "months", 3)


def test_rule_due_follow_up_clamped_then_shifted() -> None:
    # Closure Sun 30 Nov 2025 + 3 months: no 30 February -> Sat 28 Feb 2026 -> Mon 2 Mar.
    assert rule_due("follow_up_3m", D(2025, 11, 30), POLICY, CAL).due == D(2026, 3, 2)


def test_rule_due_unknown_rule_refused() -> None:
    with pytest.raises(ValueError, match="known rules: answer"):
        rule_due("answr", D(2025, 3, 20), POLICY, CAL)


def test_rule_due_override_day_off_moves_due_later() -> None:
    # A decree makes Tue 15 Apr 2025 a day off: the Nauryz example ends Wed 16 Apr.
    policy = policy_with(days_off=(D(2025, 4, 15),))
    assert rule_due("answer", D(2025, 3, 20), policy, calendar_for(policy)).due == D(2025, 4, 16)


def test_rule_due_override_working_saturday_moves_due_earlier() -> None:
    # A decree makes Sat 5 Apr 2025 a working day: it is day 9, so day 15 is Mon 14 Apr.
    policy = policy_with(working_days=(D(2025, 4, 5),))
    assert rule_due("answer", D(2025, 3, 20), policy, calendar_for(policy)).due == D(2025, 4, 14)


# --- limitation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "committed", "expected", "anchor"),
    [
        # general: detection 10 Mar 2025 + 1 month; no conduct date known.
        ("general", None, D(2025, 4, 10), D(2025, 3, 10)),
        # conduct 20 Oct 2024 + 6 months = 20 Apr 2025, later than 10 Apr: detection wins.
        ("general", D(2024, 10, 20), D(2025, 4, 10), D(2025, 3, 10)),
        # conduct 25 Sep 2024 + 6 months = 25 Mar 2025, earlier: conduct wins (a holiday,
        # but the limitation is not shifted).
        ("general", D(2024, 9, 25), D(2025, 3, 25), D(2024, 9, 25)),
        # discrediting (Art. 50): 3 months from detection, 1 year from conduct.
        ("discrediting", None, D(2025, 6, 10), D(2025, 3, 10)),
        ("discrediting", D(2024, 9, 25), D(2025, 6, 10), D(2025, 3, 10)),
        ("discrediting", D(2024, 4, 1), D(2025, 4, 1), D(2024, 4, 1)),
        ("budget", None, D(2025, 6, 10), D(2025, 3, 10)),
    ],
)
def test_limitation_due_by_category(
    category: str, committed: dt.date | None, expected: dt.date, anchor: dt.date
) -> None:
    due = limitation_due(D(2025, 3, 10), committed, category, POLICY)
    assert (due.due, due.anchor, due.rule) == (
        expected,
        anchor,
        f"limitation.{category}",
    )


def test_limitation_due_month_end_clamped() -> None:
    # Detected 31 Jan 2025 + 1 month: no 31 February -> 28 Feb 2025.
    assert limitation_due(D(2025, 1, 31), None, "general", POLICY).due == D(2025, 2, 28)


def test_limitation_due_suspended_days_push_later() -> None:
    # 14 days of sick leave: 10 Apr + 14 = 24 Apr; with the conduct bound 25 Mar + 14 = 8 Apr.
    assert limitation_due(D(2025, 3, 10), None, "general", POLICY, 14).due == D(2025, 4, 24)
    due = limitation_due(D(2025, 3, 10), D(2024, 9, 25), "general", POLICY, suspended_days=14)
    assert due.due == D(2025, 4, 8)


def test_limitation_due_after_dropped_proceedings() -> None:
    # Decision 2 Jun 2025 + 3 months = 2 Sep 2025; conduct 1 Sep 2024 + 1 year = 1 Sep 2025.
    due = limitation_due(
        D(2025, 5, 10), D(2024, 9, 1), "general", POLICY, dropped_proceedings_on=D(2025, 6, 2)
    )
    assert (due.due, due.rule) == (D(2025, 9, 1), "limitation.after_dropped")
    due = limitation_due(
        D(2025, 5, 10), None, "general", POLICY, dropped_proceedings_on=D(2025, 6, 2)
    )
    assert due.due == D(2025, 9, 2)


def test_limitation_due_unknown_category_names_allowed() -> None:
    with pytest.raises(ValueError, match="allowed: general, discrediting, budget"):
        limitation_due(D(2025, 3, 10), None, "minor", POLICY)


def test_limitation_due_shift_switch_uses_calendar() -> None:
    # With shift_to_working_day on, 25 Mar 2025 (Nauryz observed) moves to Wed 26 Mar.
    policy = _with("limitation", shift_to_working_day=True)
    due = limitation_due(D(2025, 3, 10), D(2024, 9, 25), "general", policy, cal=CAL)
    assert due.due == D(2025, 3, 26)


def test_limitation_due_rule_ids_fit_deadline_column() -> None:
    # Deadline.rule is 32 characters.
    for category in POLICY.limitation.categories:
        assert len(limitation_due(D(2025, 3, 10), None, category, POLICY).rule) <= 32
    due = limitation_due(D(2025, 3, 10), None, "general", POLICY, 0, D(2025, 3, 1))
    assert len(due.rule) <= 32


# --- extension -------------------------------------------------------------------------


def test_extension_limit_total_from_receipt() -> None:
    # Receipt Fri 10 Jan 2025 (answer due Fri 31 Jan); + 2 months = Mon 10 Mar 2025, the
    # observed Women's Day: back to Fri 7 Mar.
    assert rule_due("answer", D(2025, 1, 10), POLICY, CAL).due == D(2025, 1, 31)
    assert extension_limit(D(2025, 1, 10), D(2025, 1, 31), POLICY) == D(2025, 3, 7)
    assert extension_limit(D(2025, 1, 10), D(2025, 1, 31), POLICY, CAL) == D(2025, 3, 7)
    # Receipt Fri 3 Jan 2025 + 2 months = Mon 3 Mar, a working day.
    assert extension_limit(D(2025, 1, 3), D(2025, 1, 24), POLICY) == D(2025, 3, 3)


def test_extension_limit_added_to_due() -> None:
    policy = _with("extension", mode="added_to_due")
    # Due Fri 31 Jan 2025 + 2 months = Mon 31 Mar, a working day.
    assert extension_limit(D(2025, 1, 10), D(2025, 1, 31), policy) == D(2025, 3, 31)
    # Receipt Fri 3 Jan 2025 (a day off; Sun 5 Jan worked) -> answer due Fri 24 Jan;
    # + 2 months = Mon 24 Mar (Nauryz observed): back over 21-23 Mar to Thu 20 Mar.
    assert rule_due("answer", D(2025, 1, 3), POLICY, CAL).due == D(2025, 1, 24)
    assert extension_limit(D(2025, 1, 3), D(2025, 1, 24), policy) == D(2025, 3, 20)


# --- remaining -------------------------------------------------------------------------


def test_remaining_working_days_before_and_after_due() -> None:
    # From Thu 20 Mar 2025 to Tue 15 Apr 2025: the whole 15-day answer period.
    assert remaining_working_days(D(2025, 3, 20), D(2025, 4, 15), CAL) == 15
    assert remaining_working_days(D(2025, 4, 15), D(2025, 4, 15), CAL) == 0
    assert remaining_working_days(D(2025, 4, 20), D(2025, 4, 15), CAL) == 0


dates = st.dates(min_value=D(2024, 1, 1), max_value=D(2027, 12, 31))
counts = st.integers(min_value=1, max_value=60)


@settings(max_examples=200, deadline=None)
@given(anchor=dates, rule=st.sampled_from(WORKING_DAY_RULES), n=counts)
def test_rule_due_working_days_is_working_day(anchor: dt.date, rule: str, n: int) -> None:
    due = rule_due(rule, anchor, POLICY, CAL, amount=n)
    assert CAL.is_working_day(due.due)
    assert remaining_working_days(anchor, due.due, CAL) == n


@settings(max_examples=200, deadline=None)
@given(first=dates, second=dates, rule=st.sampled_from(sorted(POLICY.rules)))
def test_rule_due_monotonic_in_anchor(first: dt.date, second: dt.date, rule: str) -> None:
    early, late = sorted((first, second))
    assert rule_due(rule, early, POLICY, CAL).due <= rule_due(rule, late, POLICY, CAL).due
