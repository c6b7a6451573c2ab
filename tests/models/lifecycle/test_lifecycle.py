"""The complaint and restoration lifecycles, action by action (DESIGN §3), without Prefect.

Dates are checked by hand against the Kazakh calendar of 2025:
Nauryz is Fri 21 – Tue 25 March (22/23 moved to 24/25), Independence Day Tue 16 December,
New Year 1–2 January 2026, Orthodox Christmas Wed 7 January 2026, Capital Day Sun 6 July
2025 (moved to Mon 7 July).

The standard case is received Mon 2025-03-17 at 10:00 in Almaty: answer due Thu 2025-04-10
(15 working days, Nauryz skipped), forward due Thu 2025-03-20 (3 working days).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ethicsflow.app.errors import message
from ethicsflow.models.errors import ActionNotAllowed, Conflict, InvalidInput, NotPermitted
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from tests.support import factories as f
from tests.support.cases import (
    act,
    deadlines,
    file_complaint,
    history,
    open_due,
    refused,
    show,
    snapshot,
)

RECEIVED = "2025-03-17"


def triage(b: f.Body, received: str = RECEIVED, **values: object) -> str:
    filed = file_complaint(b, received, **values)
    assert filed["status"] == "triage"
    return str(filed["number"])


def under_review(b: f.Body, received: str = RECEIVED, accepted: str = "2025-03-18") -> str:
    number = triage(b, received)
    act(number, "accept", b.commissioner, accepted)
    return number


def last_event(number: str) -> dict[str, object]:
    return dict(history(number)["events"][-1])


# --- the tables themselves --------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_lifecycle_reaches_every_state_from_registered(kind: str) -> None:
    lifecycle = LIFECYCLES[kind]
    assert lifecycle.initial == "registered"
    seen, todo = {lifecycle.initial}, deque([lifecycle.initial])
    while todo:
        for action in lifecycle.from_state(todo.popleft()):
            for dest in (action.dest, *action.may_lead_to):
                if dest and dest not in seen:
                    seen.add(dest)
                    todo.append(dest)
    assert seen == set(lifecycle.states)


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_lifecycle_terminal_states_have_no_actions(kind: str) -> None:
    lifecycle = LIFECYCLES[kind]
    assert set(lifecycle.terminal) <= set(lifecycle.states)
    for state in lifecycle.terminal:
        assert lifecycle.from_state(state) == [], state


@pytest.mark.parametrize("kind", sorted(LIFECYCLES))
def test_lifecycle_actions_describe_every_payload_field(kind: str) -> None:
    for action in LIFECYCLES[kind].actions:
        assert action.description.strip(), action.name
        assert action.roles, action.name
        for name, info in action.payload.model_fields.items():
            assert (info.description or "").strip(), f"{kind}.{action.name}.{name}"


def test_lifecycle_complaint_has_the_design_actions() -> None:
    names = {a.name for a in LIFECYCLES["complaint"].actions}
    assert names >= {
        "accept",
        "forward",
        "dismiss",
        "request_correction",
        "record_correction",
        "return",
        "request_explanation",
        "record_explanation",
        "suspend",
        "resume",
        "extend",
        "find_no_violation",
        "refer_to_board",
        "refer_to_disciplinary",
        "answer",
        "appeal",
        "close",
    }


# --- generic refusals -------------------------------------------------------------------


def test_act_refuses_action_from_wrong_state_listing_allowed(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    info = refused(
        number,
        ActionNotAllowed,
        "not allowed from status under_review",
        lambda: act(number, "accept", b.commissioner, "2025-03-19"),
    )
    allowed = show(number)["allowed_actions"]
    assert info.value.allowed == allowed  # type: ignore[attr-defined]
    assert "find_no_violation" in allowed and "accept" not in allowed
    assert ", ".join(allowed) in str(info.value)


def test_act_refuses_unknown_action_listing_allowed(home: Path) -> None:
    b = f.body()
    number = triage(b)
    info = refused(
        number,
        ActionNotAllowed,
        "unknown action",
        lambda: act(number, "approve", b.commissioner, "2025-03-18"),
    )
    assert "accept" in info.value.allowed  # type: ignore[attr-defined]
    assert "request_correction" in str(info.value)


def test_act_refuses_unknown_case(home: Path) -> None:
    b = f.body()
    with pytest.raises(InvalidInput) as unknown:
        act(f"{b.code}-2025-99999", "accept", b.commissioner, "2025-03-18")
    assert message(unknown.value).startswith("NUMBER: no case")


def test_act_refuses_stale_version_with_conflict(home: Path) -> None:
    b = f.body()
    number = triage(b)
    version = show(number)["version"]
    refused(
        number,
        Conflict,
        "changed meanwhile",
        lambda: act(number, "accept", b.commissioner, "2025-03-18", if_version=version - 1),
    )
    result = act(number, "accept", b.commissioner, "2025-03-18", if_version=version)
    assert result["version"] > version


def test_act_appends_one_event_per_action(home: Path) -> None:
    b = f.body()
    number = triage(b)
    before = snapshot(number)
    act(number, "accept", b.commissioner, "2025-03-18", {"reason": "within competence"})
    after = snapshot(number)
    assert after.events == after.event_rows == before.events + 1
    event = last_event(number)
    assert (event["action"], event["actor"], event["from"], event["to"]) == (
        "accept",
        b.commissioner,
        "triage",
        "under_review",
    )
    assert event["at"] == "2025-03-18T05:00:00+00:00"
    assert history(number, verify=True)["verified"] is True


# --- assign -----------------------------------------------------------------------------


def test_assign_reassigns_to_another_commissioner(home: Path) -> None:
    b = f.body()
    other = f.person(b.code, "commissioner")
    number = triage(b)
    result = act(
        number, "assign", b.head, "2025-03-18", {"commissioner": other, "reason": "workload"}
    )
    assert result["status"] == "triage"
    view = show(number)
    assert view["assignee"] == other
    assert view["assignment_note"] == "workload"
    assert last_event(number)["payload"] == {
        "commissioner": other,
        "reason": "workload",
        "notes": {"assignee": other},
    }


def test_assign_moves_unassigned_case_to_triage(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, RECEIVED, against=b.commissioner)["number"]
    assert show(number)["status"] == "registered"
    other = f.person(b.code, "commissioner")
    act(number, "assign", b.head, "2025-03-18", {"commissioner": other})
    assert (show(number)["status"], show(number)["assignee"]) == ("triage", other)


# --- accept -----------------------------------------------------------------------------


LIMITATIONS = [
    # general: 1 month from detection (= receipt), at most 6 months from the conduct
    (None, None, "2025-04-17"),
    ("general", "2024-10-01", "2025-04-01"),
    ("general", "2025-01-10", "2025-04-17"),
    # discrediting (Law 416-V Art. 50): 3 months from detection, at most 12 from conduct
    ("discrediting", None, "2025-06-17"),
    ("discrediting", "2024-05-10", "2025-05-10"),
    ("discrediting", "2025-01-10", "2025-06-17"),
]


def test_accept_starts_limitation_and_cancels_forward(home: Path) -> None:
    b = f.body()
    for category, committed_on, limitation in LIMITATIONS:
        number = triage(b)
        values = {"offence_category": category, "committed_on": committed_on}
        result = act(
            number,
            "accept",
            b.commissioner,
            "2025-03-18",
            {k: v for k, v in values.items() if v is not None},
        )
        assert (result["from"], result["status"]) == ("triage", "under_review")
        assert deadlines(number) == [
            ("answer", "2025-04-10", "open"),
            ("forward", "2025-03-20", "cancelled"),
            ("limitation", limitation, "open"),
        ], (category, committed_on)
        view = show(number)
        assert view["limitation_date"] == limitation
        assert view["offence_category"] == (category or "general")
        assert view["committed_on"] == committed_on


def test_accept_uses_committed_on_given_at_filing(home: Path) -> None:
    b = f.body()
    number = triage(b, committed_on="2024-10-01")
    act(number, "accept", b.commissioner, "2025-03-18")
    assert open_due(number, "limitation") == "2025-04-01"


def test_accept_refuses_committed_on_after_receipt(home: Path) -> None:
    b = f.body()
    number = triage(b)  # received 2025-03-17
    for day in ("2025-03-18", "2025-03-19"):  # the day after receipt; the future
        refused(
            number,
            InvalidInput,
            "--set committed_on: the conduct cannot come after the receipt",
            partial(act, number, "accept", b.commissioner, "2025-03-18", {"committed_on": day}),
        )
    act(number, "accept", b.commissioner, "2025-03-18", {"committed_on": "2025-03-17"})
    assert open_due(number, "limitation") == "2025-04-17"


def test_accept_restoration_records_category_and_risk(home: Path) -> None:
    b = f.body()
    number = triage(b, kind="restoration")
    values = {"category": "pressure", "risk": "high", "reason": "the head threatened a transfer"}
    result = act(number, "accept", b.commissioner, "2025-03-18", values)
    assert result["status"] == "inquiry"
    view = show(number)
    assert (view["category"], view["risk"]) == ("pressure", "high")
    assert deadlines(number, "forward") == [("forward", "2025-03-20", "cancelled")]
    assert view["allowed_actions"] == [
        "link",
        "propose_measures",
        "confirm_restored",
        "not_confirmed",
    ]


# --- forward, dismiss -------------------------------------------------------------------


def test_forward_meets_forward_deadline_and_cancels_the_rest(home: Path) -> None:
    b = f.body()
    number = triage(b)
    result = act(
        number,
        "forward",
        b.commissioner,
        "2025-03-19",
        {"to_body": "Ministry of Finance", "reason": "budget matter outside our competence"},
    )
    assert result["status"] == "forwarded"
    assert deadlines(number) == [
        ("answer", "2025-04-10", "cancelled"),
        ("forward", "2025-03-20", "met"),
    ]
    assert show(number)["allowed_actions"] == []


def test_dismiss_anonymous_closes_anonymous_case(home: Path) -> None:
    b = f.body()
    number = triage(b, by=None, anonymous=True)
    result = act(
        number,
        "dismiss",
        b.commissioner,
        "2025-03-18",
        {"ground": "anonymous", "reason": "no crime or security threat reported"},
    )
    assert result["status"] == "closed"
    assert [status for _, _, status in deadlines(number)] == ["cancelled", "cancelled"]


def test_dismiss_duplicate_needs_another_case(home: Path) -> None:
    b = f.body()
    first = triage(b)
    number = triage(b)
    values = {"ground": "duplicate", "reason": "same facts as before"}
    refused(
        number,
        InvalidInput,
        "--set duplicate_of: required",
        lambda: act(number, "dismiss", b.commissioner, "2025-03-18", values),
    )
    refused(
        number,
        InvalidInput,
        "--set duplicate_of: no other case",
        lambda: act(
            number, "dismiss", b.commissioner, "2025-03-18", {**values, "duplicate_of": number}
        ),
    )
    act(number, "dismiss", b.commissioner, "2025-03-18", {**values, "duplicate_of": first})
    assert show(number)["status"] == "closed"
    assert show(first)["status"] == "triage"


# --- correction and return -------------------------------------------------------------


def test_request_correction_starts_five_working_days(home: Path) -> None:
    b = f.body()
    number = triage(b)
    result = act(
        number, "request_correction", b.commissioner, "2025-03-18", {"missing": "iin, address"}
    )
    assert result["status"] == "awaiting_correction"
    # Tue 18 March + 5 working days: 19, 20, (Nauryz 21-25), 26, 27, 28
    assert open_due(number, "correction") == "2025-03-28"
    assert last_event(number)["payload"]["missing"] == ["iin", "address"]  # type: ignore[index]


def test_record_correction_returns_to_triage(home: Path) -> None:
    b = f.body()
    number = triage(b)
    act(number, "request_correction", b.commissioner, "2025-03-18", {"missing": "address"})
    result = act(
        number, "record_correction", b.commissioner, "2025-03-20", {"reason": "address given"}
    )
    assert result["status"] == "triage"
    assert deadlines(number, "correction") == [("correction", "2025-03-28", "met")]
    assert "accept" in show(number)["allowed_actions"]


def test_return_after_correction_deadline_passed(home: Path) -> None:
    b = f.body()
    number = triage(b)
    act(number, "request_correction", b.commissioner, "2025-03-18", {"missing": "address"})
    result = act(number, "return", b.commissioner, "2025-03-29", {"reason": "no address given"})
    assert result["status"] == "returned"
    assert deadlines(number) == [
        ("answer", "2025-04-10", "cancelled"),
        ("forward", "2025-03-20", "cancelled"),
        ("correction", "2025-03-28", "missed"),
    ]


# --- explanation ------------------------------------------------------------------------


def test_request_explanation_starts_two_working_days(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    result = act(
        number, "request_explanation", b.commissioner, "2025-03-19", {"questions": "What happened?"}
    )
    assert result["status"] == "under_review"
    # Wed 19 March + 2 working days: 20, (Nauryz 21-25), 26
    assert open_due(number, "explanation") == "2025-03-26"


def test_request_explanation_adds_named_respondent(home: Path) -> None:
    b = f.body()
    number = triage(b, against=None)
    act(number, "accept", b.commissioner, "2025-03-18")
    act(
        number,
        "request_explanation",
        b.commissioner,
        "2025-03-19",
        {"respondent": b.respondent.upper(), "questions": "What happened?"},
    )
    parties = show(number)["parties"]
    assert {"role": "respondent", "email": b.respondent} in [
        {"role": p["role"], "email": p["email"]} for p in parties
    ]


def test_record_explanation_meets_explanation_deadline(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(number, "request_explanation", b.commissioner, "2025-03-19", {"questions": "Why?"})
    act(number, "record_explanation", b.commissioner, "2025-03-26", {"text": "It was a joke."})
    assert deadlines(number, "explanation") == [("explanation", "2025-03-26", "met")]


# --- suspend and resume -----------------------------------------------------------------


def appk_suspend(number: str, by: str, day: str) -> dict[str, object]:
    values = {"ground": "appk_suspension", "reason": "expert opinion requested"}
    return act(number, "suspend", by, day, values)


def test_resume_carries_over_answer_days_around_nauryz(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    assert open_due(number, "answer") == "2025-04-10"
    result = appk_suspend(number, b.commissioner, "2025-03-19")
    assert result["status"] == "suspended"
    # working days left after Wed 19 March up to Thu 10 April: 20, 26-28, 31 Mar-4 Apr, 7-10
    assert deadlines(number, "answer") == [("answer", "2025-04-10", "suspended")]
    assert snapshot(number).deadlines[0][4] == 13
    act(number, "resume", b.commissioner, "2025-03-28")
    # 13 working days after Fri 28 March: 31 Mar-4 Apr (5), 7-11 (10), 14-16 (13)
    assert deadlines(number, "answer") == [("answer", "2025-04-16", "open")]


def test_resume_carries_over_answer_days_around_independence_day(home: Path) -> None:
    b = f.body()
    number = under_review(b, received="2025-12-10", accepted="2025-12-11")
    # Wed 10 Dec + 15 working days skips 16 Dec, 1-2 Jan and the weekend: Mon 5 Jan 2026
    assert open_due(number, "answer") == "2026-01-05"
    appk_suspend(number, b.commissioner, "2025-12-15")
    # left after Mon 15 Dec: 17-19, 22-26, 29-31, 5 Jan = 12 working days
    act(number, "resume", b.commissioner, "2025-12-18")
    # 12 after Thu 18 Dec: 19, 22-26, 29-31, 5 Jan, 6 Jan, (7 Jan Christmas), 8 Jan
    assert open_due(number, "answer") == "2026-01-08"


def test_resume_counts_suspension_from_its_start_day(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(
        number,
        "suspend",
        b.commissioner,
        "2025-03-26",
        {"ground": "appk_suspension", "start": "2025-03-19", "reason": "expert opinion"},
    )
    act(number, "resume", b.commissioner, "2025-03-28")
    assert open_due(number, "answer") == "2025-04-16"


def test_resume_moves_limitation_by_the_suspended_calendar_days(home: Path) -> None:
    b = f.body()
    number = under_review(b)  # limitation: 17 March + 1 month = 2025-04-17
    result = act(
        number,
        "suspend",
        b.commissioner,
        "2025-03-20",
        {"ground": "vacation", "reason": "annual leave order No. 12"},
    )
    assert result["notes"] == {"stops": ["limitation"]}
    assert deadlines(number, "limitation") == [("limitation", "2025-04-17", "suspended")]
    assert open_due(number, "answer") == "2025-04-10"  # the answer clock keeps running
    act(number, "resume", b.commissioner, "2025-03-31")
    assert deadlines(number, "limitation") == [("limitation", "2025-04-28", "open")]


def test_resume_after_extension_carries_over_remaining_working_days(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(number, "extend", b.head, "2025-04-01", {"until": "2025-04-30", "reason": "expertise"})
    appk_suspend(number, b.commissioner, "2025-04-22")
    # left after Tue 22 April up to Wed 30 April: 23-25, 28-30 = 6 working days
    act(number, "resume", b.commissioner, "2025-05-05")
    # 6 after Mon 5 May: 6, (7 May Defender's Day), 8, (9 May Victory Day), 12-15
    assert open_due(number, "answer") == "2025-05-15"


# --- extend -----------------------------------------------------------------------------


EXTENSION_LIMITS = [
    ("2025-01-21", "2025-03-20"),  # 21 March is Nauryz: back to Thu 20 March
    ("2025-10-16", "2025-12-15"),  # 16 December is Independence Day: back to Mon 15
    ("2025-02-19", "2025-04-18"),  # 19 April is a Saturday: back to Fri 18 April
    ("2025-02-17", "2025-04-17"),  # a working day stays
]


def test_extend_defaults_to_two_months_from_receipt(home: Path) -> None:
    b = f.body()
    for received, limit in EXTENSION_LIMITS:
        number = triage(b, received)
        act(number, "accept", b.commissioner, received)
        result = act(number, "extend", b.head, received, {"reason": "an expert opinion is needed"})
        assert result["status"] == "under_review"
        assert open_due(number, "answer") == limit, received
        assert last_event(number)["payload"]["notes"] == {"limit": limit}  # type: ignore[index]


def test_extend_replaces_answer_and_starts_extension_notice(home: Path) -> None:
    b = f.body()
    number = under_review(b, received="2025-01-21", accepted="2025-01-22")
    assert open_due(number, "answer") == "2025-02-11"
    act(number, "extend", b.head, "2025-02-05", {"until": "2025-03-14", "reason": "expertise"})
    # the old row is kept as `extended`, a new open one appears; the filer is told within
    # 3 working days of Wed 5 February: 6, 7, 10
    assert deadlines(number, "answer") == [
        ("answer", "2025-02-11", "extended"),
        ("answer", "2025-03-14", "open"),
    ]
    assert deadlines(number, "extension_notice") == [("extension_notice", "2025-02-10", "open")]
    # a second extension up to the limit is allowed, the limit still counts from receipt
    act(number, "extend", b.head, "2025-03-10", {"reason": "the expert needs more time"})
    assert deadlines(number, "answer")[-1] == ("answer", "2025-03-20", "open")


def test_extend_allowed_while_only_limitation_is_suspended(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(
        number, "suspend", b.commissioner, "2025-03-19", {"ground": "sick_leave", "reason": "x" * 3}
    )
    act(number, "extend", b.head, "2025-03-20", {"until": "2025-04-30", "reason": "expertise"})
    assert show(number)["status"] == "suspended"
    assert open_due(number, "answer") == "2025-04-30"


# --- outcomes ---------------------------------------------------------------------------


def test_find_no_violation_answers_and_opens_appeal_window(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(number, "request_explanation", b.commissioner, "2025-03-19", {"questions": "Why?"})
    result = act(
        number, "find_no_violation", b.commissioner, "2025-04-07", {"reason": "no breach found"}
    )
    assert result["status"] == "answered"
    assert deadlines(number, "answer") == [("answer", "2025-04-10", "met")]
    assert deadlines(number, "explanation") == [("explanation", "2025-03-26", "cancelled")]
    # 3 months after 7 April is Mon 7 July, Capital Day observed: moved to Tue 8 July
    assert open_due(number, "appeal_window") == "2025-07-08"


def test_refer_to_board_cancels_explanation(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(number, "request_explanation", b.commissioner, "2025-03-19", {"questions": "Why?"})
    result = act(
        number, "refer_to_board", b.commissioner, "2025-03-27", {"reason": "repeated conduct"}
    )
    assert result["status"] == "board_referred"
    assert deadlines(number, "explanation") == [("explanation", "2025-03-26", "cancelled")]
    assert open_due(number, "answer") == "2025-04-10"


def test_refer_to_disciplinary_then_answer(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    result = act(
        number, "refer_to_disciplinary", b.commissioner, "2025-03-27", {"reason": "misconduct"}
    )
    assert result["status"] == "referred"
    result = act(number, "answer", b.commissioner, "2025-04-07", {"reason": "referred; rights"})
    assert result["status"] == "answered"
    assert deadlines(number, "answer") == [("answer", "2025-04-10", "met")]
    assert open_due(number, "appeal_window") == "2025-07-08"


def answered(b: f.Body) -> str:
    number = under_review(b)
    act(number, "find_no_violation", b.commissioner, "2025-04-07", {"reason": "no breach"})
    return number  # appeal window until 2025-07-08


def test_appeal_by_complainant_within_window(home: Path) -> None:
    b = f.body()
    number = answered(b)
    result = act(number, "appeal", b.filer, "2025-07-08", {"reason": "facts ignored"})
    assert result["status"] == "appealed"
    assert deadlines(number, "appeal_window") == [("appeal_window", "2025-07-08", "met")]
    assert show(number)["allowed_actions"] == []


def test_close_after_appeal_window(home: Path) -> None:
    b = f.body()
    number = answered(b)
    admin = f.person(b.code, "admin")  # an administrator of the case's body may close
    result = act(number, "close", admin, "2025-07-09")
    assert result["status"] == "closed"
    assert deadlines(number, "appeal_window") == [("appeal_window", "2025-07-08", "met")]


def test_act_refuses_an_admin_of_another_body(home: Path) -> None:
    """The role ``admin`` counts in the admin's own organization only."""
    b = f.body()
    number = answered(b)
    stranger = f.person(f.org(), "admin")
    refused(
        number,
        NotPermitted,
        rf"close: {stranger} may not do this on {number} \(needs: assignee, admin, system\)",
        lambda: act(number, "close", stranger, "2025-07-09"),
    )
    fresh = file_complaint(f.body(), RECEIVED)["number"]
    refused(
        fresh,
        NotPermitted,
        "needs: head, admin",
        lambda: act(fresh, "assign", stranger, RECEIVED, {"commissioner": b.commissioner}),
    )


def test_act_through_whole_complaint_keeps_chain_verified(home: Path) -> None:
    b = f.body()
    number = answered(b)
    act(number, "close", b.commissioner, "2025-07-09", {"reason": "no appeal"})
    report = history(number, verify=True)
    assert report["verified"] is True
    assert [e["action"] for e in report["events"]] == [
        "file",
        "assign",
        "accept",
        "find_no_violation",
        "close",
    ]


def test_close_leaves_no_open_deadline(home: Path) -> None:
    b = f.body()
    number = under_review(b)
    act(number, "extend", b.head, "2025-03-19", {"reason": "an expert opinion is needed"})
    act(number, "find_no_violation", b.commissioner, "2025-04-07", {"reason": "no breach"})
    act(number, "close", b.commissioner, "2025-07-09")
    assert [d for d in deadlines(number) if d[2] == "open"] == []


# --- refusals: a case brought to a state, then one action refused, nothing written ---------


@dataclass
class Scene:
    """The body of a refusal row, and anyone the row's start added to it."""

    body: f.Body
    others: dict[str, str] = field(default_factory=dict)

    def person(self, who: str) -> str:
        return self.others[who] if who in self.others else str(getattr(self.body, who))


Start = Callable[[Scene], str]
Who = str | Callable[[Scene], str]
Values = dict[str, object] | Callable[[Scene], dict[str, object]] | None


def in_triage(s: Scene) -> str:
    return triage(s.body)


def in_review(s: Scene) -> str:
    return under_review(s.body)


def in_review_from_january(s: Scene) -> str:
    """Received Tue 2025-01-21: answer due 2025-02-11, extensible to 2025-03-20 at most."""
    return under_review(s.body, received="2025-01-21", accepted="2025-01-22")


def restoration_in_triage(s: Scene) -> str:
    return triage(s.body, kind="restoration")


def awaiting_correction(s: Scene) -> str:
    number = triage(s.body)
    act(number, "request_correction", s.body.commissioner, "2025-03-18", {"missing": "address"})
    return number  # correction due 2025-03-28


def in_review_without_respondent(s: Scene) -> str:
    number = triage(s.body, against=None)
    act(number, "accept", s.body.commissioner, "2025-03-18")
    return number


def suspended(s: Scene) -> str:
    number = under_review(s.body)
    appk_suspend(number, s.body.commissioner, "2025-03-19")
    return number


def in_answered(s: Scene) -> str:
    return answered(s.body)


def against_a_commissioners_report(s: Scene) -> str:
    """The respondent's line manager is a commissioner of the body."""
    s.others["manager"] = f.person(s.body.code, "commissioner")
    return triage(s.body, against=f.person(s.body.code, manager=s.others["manager"]))


def refusal(
    id: str,
    start: Start,
    action: str,
    by: Who,
    day: str,
    values: Values,
    error: type[Exception],
    match: str,
) -> Any:
    """One row: ``by`` is a person of the scene (``commissioner``, ``head``, ``filer``,
    ``respondent``, or one the start added) or a function of the scene; ``{by}`` in
    ``match`` stands for that person's e-mail."""
    return pytest.param(start, action, by, day, values, error, match, id=id)


why = {"reason": "reasons of the risk assessment"}
forward_to = {"to_body": "Ministry of Finance", "reason": "not ours"}
REFUSALS = [
    # any action
    refusal("unknown-actor", in_triage, "accept", lambda s: "nobody@example.kz", "2025-03-18",
            None, InvalidInput, "--by: no person"),
    # assign
    refusal("assign-commissioner-with-conflict", against_a_commissioners_report, "assign", "head",
            "2025-03-18", lambda s: {"commissioner": s.person("manager")}, InvalidInput,
            "--set commissioner: .* is the respondent's line manager"),
    refusal("assign-non-commissioner", in_triage, "assign", "head", "2025-03-18",
            lambda s: {"commissioner": s.body.filer}, InvalidInput,
            "--set commissioner: .* is not a commissioner"),
    refusal("assign-by-commissioner", in_triage, "assign", "commissioner", "2025-03-18",
            lambda s: {"commissioner": s.body.head}, NotPermitted, "needs: head, admin"),
    # accept
    refusal("accept-unknown-field", in_triage, "accept", "commissioner", "2025-03-18",
            {"severity": "high"}, InvalidInput,
            r"--set severity: unknown field \(this action takes: committed_on, offence_category"),
    refusal("accept-wrong-type", in_triage, "accept", "commissioner", "2025-03-18",
            {"committed_on": "last week"}, InvalidInput, "--set committed_on: "),
    refusal("accept-unknown-offence-category", in_triage, "accept", "commissioner", "2025-03-18",
            {"offence_category": "petty"}, InvalidInput,
            "--set offence_category: .*general, discrediting or budget"),
    refusal("accept-by-head", in_triage, "accept", "head", "2025-03-18", None, NotPermitted,
            "accept: {by} may not do this .*needs: assignee"),
    refusal("accept-by-another-commissioner", in_triage, "accept",
            lambda s: f.person(s.body.code, "commissioner"), "2025-03-18", None, NotPermitted,
            "accept: {by} may not do this .*needs: assignee"),
    refusal("accept-by-filer", in_triage, "accept", "filer", "2025-03-18", None, NotPermitted,
            "accept: {by} may not do this .*needs: assignee"),
    refusal("accept-by-commissioner-of-another-body", in_triage, "accept",
            lambda s: f.body().commissioner, "2025-03-18", None, NotPermitted,
            "accept: {by} may not do this .*needs: assignee"),
    refusal("accept-restoration-without-category", restoration_in_triage, "accept",
            "commissioner", "2025-03-18", {"risk": "low", **why}, InvalidInput,
            "--set category: Field required"),
    refusal("accept-restoration-without-risk", restoration_in_triage, "accept", "commissioner",
            "2025-03-18", {"category": "pressure", **why}, InvalidInput,
            "--set risk: Field required"),
    refusal("accept-restoration-without-reason", restoration_in_triage, "accept",
            "commissioner", "2025-03-18", {"category": "pressure", "risk": "low"}, InvalidInput,
            "--reason: Field required"),
    refusal("accept-restoration-unknown-risk", restoration_in_triage, "accept", "commissioner",
            "2025-03-18", {"category": "pressure", "risk": "extreme", **why}, InvalidInput,
            "--set risk: "),
    refusal("accept-restoration-unknown-category", restoration_in_triage, "accept",
            "commissioner", "2025-03-18", {"category": "gossip", "risk": "low", **why},
            InvalidInput, "--set category: unknown category"),
    # forward
    refusal("forward-without-body", in_triage, "forward", "commissioner", "2025-03-19",
            {"reason": "not ours"}, InvalidInput, "--set to_body: Field required"),
    refusal("forward-from-awaiting-correction", awaiting_correction, "forward", "commissioner",
            "2025-03-19", forward_to, ActionNotAllowed, "allowed now: record_correction, return"),
    # dismiss
    refusal("dismiss-anonymous-ground-for-named-case", in_triage, "dismiss", "commissioner",
            "2025-03-18", {"ground": "anonymous", "reason": "no name given"}, InvalidInput,
            "--set ground: anonymous applies only to an anonymous appeal"),
    refusal("dismiss-without-reason", in_triage, "dismiss", "commissioner", "2025-03-18",
            {"ground": "no_substance"}, InvalidInput, "--reason: Field required"),
    # correction
    refusal("request-correction-empty-list", in_triage, "request_correction", "commissioner",
            "2025-03-18", {"missing": ""}, InvalidInput, "--set missing: "),
    refusal("request-correction-from-under-review", in_review, "request_correction",
            "commissioner", "2025-03-19", {"missing": "address"}, ActionNotAllowed,
            "request_correction: not allowed from status under_review"),
    refusal("record-correction-from-triage", in_triage, "record_correction", "commissioner",
            "2025-03-20", {"reason": "address given"}, ActionNotAllowed,
            "record_correction: not allowed from status triage"),
    refusal("return-before-correction-due", awaiting_correction, "return", "commissioner",
            "2025-03-20", {"reason": "no address"}, InvalidInput,
            "correction deadline runs until 2025-03-28"),
    refusal("return-on-correction-due-day", awaiting_correction, "return", "commissioner",
            "2025-03-28", {"reason": "no address"}, InvalidInput,
            "correction deadline runs until 2025-03-28"),
    refusal("return-from-triage", in_triage, "return", "commissioner", "2025-04-01",
            {"reason": "no address"}, ActionNotAllowed, "return: not allowed from status triage"),
    # explanation
    refusal("request-explanation-without-respondent", in_review_without_respondent,
            "request_explanation", "commissioner", "2025-03-19",
            {"questions": "What happened?"}, InvalidInput,
            "--set respondent: the case has no respondent yet"),
    refusal("record-explanation-empty-text", in_review, "record_explanation", "commissioner",
            "2025-03-26", {"text": ""}, InvalidInput, "--set text: "),
    refusal("record-explanation-from-triage", in_triage, "record_explanation", "commissioner",
            "2025-03-26", {"text": "No."}, ActionNotAllowed,
            "record_explanation: not allowed from status triage"),
    # suspend, resume
    refusal("suspend-unknown-ground", in_review, "suspend", "commissioner", "2025-03-19",
            {"ground": "holiday", "reason": "order 5"}, InvalidInput,
            "--set ground: must be one of .*appk_suspension"),
    refusal("suspend-future-start", in_review, "suspend", "commissioner", "2025-03-19",
            {"ground": "vacation", "start": "2025-03-20", "reason": "leave order"},
            InvalidInput, "--set start: a suspension cannot start in the future"),
    refusal("suspend-from-triage", in_triage, "suspend", "commissioner", "2025-03-19",
            {"ground": "appk_suspension", "reason": "expert opinion requested"},
            ActionNotAllowed, "suspend: not allowed from status triage"),
    refusal("resume-from-under-review", in_review, "resume", "commissioner", "2025-03-19", None,
            ActionNotAllowed, "resume: not allowed from status under_review"),
    # extend
    refusal("extend-beyond-two-months", in_review_from_january, "extend", "head", "2025-02-05",
            {"until": "2025-03-21", "reason": "x" * 5}, InvalidInput,
            "--set until: may not pass 2025-03-20"),
    refusal("extend-to-non-working-day", in_review_from_january, "extend", "head",
            "2025-02-05", {"until": "2025-03-01", "reason": "expertise"}, InvalidInput,
            "--set until: 2025-03-01 is not a working day"),
    refusal("extend-not-after-current-answer", in_review_from_january, "extend", "head",
            "2025-02-05", {"until": "2025-02-11", "reason": "expertise"}, InvalidInput,
            "--set until: must be after the current answer date 2025-02-11"),
    refusal("extend-without-reason", in_review, "extend", "head", "2025-03-19",
            {"until": "2025-04-30"}, InvalidInput, "--reason: Field required"),
    refusal("extend-by-assignee", in_review, "extend", "commissioner", "2025-03-19",
            {"reason": "expert"}, NotPermitted, "extend: {by} may not do this .*needs: head"),
    refusal("extend-by-head-of-another-body", in_review, "extend", lambda s: f.body().head,
            "2025-03-19", {"reason": "expert"}, NotPermitted,
            "extend: {by} may not do this .*needs: head"),
    refusal("extend-while-answer-clock-suspended", suspended, "extend", "head", "2025-03-20",
            {"reason": "expertise"}, InvalidInput, "the answer clock is suspended"),
    refusal("extend-from-triage", in_triage, "extend", "head", "2025-03-19",
            {"reason": "expertise"}, ActionNotAllowed, "extend: not allowed from status triage"),
    # the ends
    refusal("find-no-violation-short-reason", in_review, "find_no_violation", "commissioner",
            "2025-04-07", {"reason": "ok"}, InvalidInput,
            "--reason: String should have at least 3 characters"),
    refusal("find-no-violation-from-triage", in_triage, "find_no_violation", "commissioner",
            "2025-04-07", {"reason": "no"}, ActionNotAllowed,
            "find_no_violation: not allowed from status triage"),
    refusal("refer-to-board-by-non-assignee", in_review, "refer_to_board", "head", "2025-03-27",
            {"reason": "serious"}, NotPermitted, "refer_to_board: .* may not do this"),
    refusal("refer-to-disciplinary-without-reason", in_review, "refer_to_disciplinary",
            "commissioner", "2025-03-27", None, InvalidInput, "--reason: Field required"),
    refusal("answer-from-under-review", in_review, "answer", "commissioner", "2025-04-07",
            {"reason": "done"}, ActionNotAllowed, "answer: not allowed from status under_review"),
    refusal("appeal-after-window", in_answered, "appeal", "filer", "2025-07-09",
            {"reason": "facts ignored"}, InvalidInput,
            "appeal: the appeal window closed on 2025-07-08"),
    refusal("appeal-by-respondent", in_answered, "appeal", "respondent", "2025-05-01",
            {"reason": "unfair"}, NotPermitted,
            "appeal: .* may not do this .*needs: complainant, assignee"),
    refusal("close-within-appeal-window", in_answered, "close", "commissioner", "2025-07-08",
            None, InvalidInput, "close: the appeal window runs until 2025-07-08"),
    refusal("close-from-under-review", in_review, "close", "commissioner", "2025-07-09", None,
            ActionNotAllowed, "close: not allowed from status under_review"),
]  # fmt: skip


@pytest.mark.parametrize(("start", "action", "by", "day", "values", "error", "match"), REFUSALS)
def test_refused(
    home: Path,
    start: Start,
    action: str,
    by: Who,
    day: str,
    values: Values,
    error: type[Exception],
    match: str,
) -> None:
    scene = Scene(f.body())
    number = start(scene)
    actor = by(scene) if callable(by) else scene.person(by)
    payload = values(scene) if callable(values) else values
    refused(
        number,
        error,
        match.replace("{by}", actor),
        lambda: act(number, action, actor, day, payload),
    )
