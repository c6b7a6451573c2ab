"""The deadline sweep (models/deadlines/sweep.py), moment by moment, without Prefect.

Dates are checked by hand against the Kazakh calendar:

* Nauryz 2025: Fri 21 – Tue 25 March are days off (22/23 moved to 24/25); Mon 10 March
  is a day off for Women's Day. A complaint received Thu 2025-02-27 has its answer due
  Wed 2025-03-26 (15 working days: 28 Feb, 3–7 Mar, 11–14, 17–20, 26 Mar). Three working
  days before it is Tue 18 March (the working days after it: 19, 20, 26); one working
  day before it is Thu 20 March — not Sun 23 or Tue 25 March, the calendar days.
* New Year 2025: 1–2 January holidays, Fri 3 January a day off moved from Sun 5 January,
  which is worked. A complaint received Tue 2024-12-10 has its answer due Sun 2025-01-05
  (15 working days, Mon 16 December skipped); three working days before it is Fri 27
  December (then 30, 31 Dec, 5 Jan), one working day before it is Tue 31 December.

Complaints are accepted as ``discrediting`` offences (limitation 3 months from
detection) so that the limitation clock stays out of the weeks swept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from ethicsflow.app.errors import message
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines import sweep
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.lifecycle.engine import get_case
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.notifications.texts import templates_dir
from tests.support import factories as f
from tests.support.cases import act, at, file_complaint, history, show, snapshot

pytestmark = pytest.mark.skipif(
    not (templates_dir() / "ru" / "reminder.txt.j2").is_file(),
    reason="notification templates (templates/notifications/ru) are not there yet",
)

URL = "json://127.0.0.1:9/notify"
ALMATY = ZoneInfo("Asia/Almaty")
EVENTS = ("closed", "overdue", "escalation", "reminder", "digest")
NOTHING = dict.fromkeys(EVENTS, 0)


def body() -> f.Body:
    """A body whose people all have a notification URL, with two heads."""
    code = f.org()
    notify = {"notify": [URL]}
    b = f.Body(
        code=code,
        commissioner=f.person(code, "commissioner", **notify),
        head=f.person(code, "head", **notify),
        filer=f.person(code, **notify),
        respondent=f.person(code, **notify),
    )
    f.person(code, "head", "board_member", email=f"second-head-{f.uid()}@example.kz", **notify)
    return b


def under_review(b: f.Body, received: str) -> str:
    """A complaint received at 10:00 on ``received`` and accepted the same day."""
    number = str(file_complaint(b, received)["number"])
    act(number, "accept", b.commissioner, received, {"offence_category": "discrediting"})
    return number


def sweep_at(day: str, time: str = "10:00") -> dict[str, Any]:
    return sweep.sweep(at(day, time))


def days(first: str, last: str) -> Iterator[str]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    while day <= end:
        yield day.isoformat()
        day += timedelta(days=1)


def notifications(event: str, *, to: str | None = None) -> list[Notification]:
    with session_scope() as session:
        query = select(Notification).where(Notification.event == event)
        if to is not None:
            query = query.where(Notification.recipient == to)
        return list(session.exec(query.order_by(col(Notification.id))).all())


def deadline(number: str, name: str) -> Deadline:
    with session_scope() as session:
        case = get_case(session, number)
        rows = session.exec(
            select(Deadline).where(Deadline.case_id == case.id, Deadline.name == name)
        ).all()
        assert len(rows) == 1, rows
        return rows[0]


def reminders_of(deadline_id: int) -> list[tuple[str, int]]:
    """(day queued, N) of each reminder of the deadline."""
    return [
        (n.created_at.astimezone(ALMATY).date().isoformat(), int(n.dedup_key.split(":")[2]))
        for n in notifications("reminder")
        if n.dedup_key.startswith(f"reminder:{deadline_id}:")
    ]


def reminder_days(number: str, first: str, last: str) -> dict[str, list[int]]:
    """Sweep every day from ``first`` to ``last`` at 10:00; the days a reminder of the
    case's answer deadline was queued, with its N."""
    answer = deadline(number, "answer")
    for day in days(first, last):
        sweep_at(day)
    out: dict[str, list[int]] = {}
    for day, n in reminders_of(answer.id or 0):
        out.setdefault(day, []).append(n)
    return out


# --- reminders on the right working days ------------------------------------------


def test_sweep_reminds_3_and_1_working_days_before_an_answer_due_after_nauryz(
    home: Path,
) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    assert deadline(number, "answer").due == date(2025, 3, 26)

    assert reminder_days(number, "2025-03-14", "2025-03-26") == {
        "2025-03-18": [3],
        "2025-03-20": [1],
    }

    [three, one] = notifications("reminder", to=b.commissioner)
    assert "26.03.2025" in three.subject
    assert "осталось 3 рабочих дня" in three.body
    assert "остался 1 рабочий день" in one.body
    assert "APPK Art. 76" in one.body


def test_sweep_reminds_before_an_answer_due_on_a_transferred_working_sunday(
    home: Path,
) -> None:
    b = body()
    number = under_review(b, "2024-12-10")
    assert deadline(number, "answer").due == date(2025, 1, 5)

    assert reminder_days(number, "2024-12-20", "2025-01-05") == {
        "2024-12-27": [3],
        "2024-12-31": [1],
    }
    assert deadline(number, "answer").status == "open"  # due today: not missed yet
    sweep_at("2025-01-06")
    assert deadline(number, "answer").status == "missed"


def test_sweep_after_a_skipped_day_sends_only_the_nearest_reminder(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    answer = deadline(number, "answer")

    sweep_at("2025-03-19")  # the 3-day reminder's day (18 March) was not swept
    sweep_at("2025-03-26")  # nor the 1-day one's (20 March)

    assert reminders_of(answer.id or 0) == [("2025-03-19", 3)]
    [late] = notifications("reminder")
    assert "осталось 2 рабочих дня" in late.body


def test_sweep_sends_no_reminder_for_a_suspended_deadline(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    act(number, "suspend", b.commissioner, "2025-03-17",
        {"ground": "appk_suspension", "reason": "expert opinion requested"})  # fmt: skip

    for day in ("2025-03-18", "2025-03-20", "2025-03-27"):
        assert sweep_at(day)["queued"]["reminder"] == 0
    assert deadline(number, "answer").status == "suspended"
    assert notifications("reminder") == notifications("overdue") == []


# --- idempotence ------------------------------------------------------------------


def test_sweep_twice_at_one_moment_queues_nothing_new(home: Path) -> None:
    b = body()
    late = under_review(b, "2025-02-27")  # answer due 26 March: missed on the 27th
    soon = under_review(b, "2025-03-03")  # answer due 28 March: 1-day reminder on the 27th
    answered = under_review(b, "2024-11-04")
    act(answered, "find_no_violation", b.commissioner, "2024-12-20", {"reason": "no breach"})
    assert deadline(answered, "appeal_window").due < date(2025, 3, 27)

    first = sweep_at("2025-03-27")
    assert first["queued"] == {
        "closed": 1,
        "overdue": 1,
        "escalation": 2,
        "reminder": 1,
        "digest": 1,
    }
    assert (first["closed"], first["missed"], first["errors"]) == (1, 1, [])
    before = {n: snapshot(n) for n in (late, soon, answered)}
    rows = len(notifications_all())

    again = sweep_at("2025-03-27")

    assert again["queued"] == NOTHING
    assert (again["closed"], again["missed"], again["errors"]) == (0, 0, [])
    assert {n: snapshot(n) for n in (late, soon, answered)} == before
    assert len(notifications_all()) == rows
    assert sweep_at("2025-03-27", "17:45")["queued"] == NOTHING  # later the same day


def notifications_all() -> list[Notification]:
    with session_scope() as session:
        return list(session.exec(select(Notification)).all())


# --- missed deadlines and escalation ----------------------------------------------


def test_sweep_marks_a_missed_answer_and_escalates_once_per_deadline(home: Path) -> None:
    b = body()
    other = body()  # a head of another body hears nothing
    number = under_review(b, "2025-02-27")
    version = show(number)["version"]

    assert sweep_at("2025-03-26", "23:59")["missed"] == 0  # the last day itself
    result = sweep_at("2025-03-27", "00:00")

    assert result["missed"] == 1
    answer = deadline(number, "answer")
    assert (answer.status, answer.closed_on) == ("missed", date(2025, 3, 27))
    event = history(number)["events"][-1]
    assert (event["actor"], event["action"]) == ("system", "deadline_missed")
    assert event["payload"] == {"deadline": "answer", "due": "2025-03-26"}
    assert history(number, verify=True)["verified"]
    assert show(number)["version"] == version + 1
    [overdue] = notifications("overdue")
    assert overdue.recipient == b.commissioner
    assert "срок ответа" in overdue.subject and "26.03.2025" in overdue.body
    escalations = notifications("escalation")
    heads = {p.recipient for p in escalations}
    assert len(escalations) == 2 and b.head in heads and other.head not in heads
    assert all(commissioner_name(b) in e.body for e in escalations)

    for day in ("2025-03-28", "2025-03-31", "2025-04-15"):
        assert sweep_at(day)["missed"] == 0
    assert len(notifications("overdue")) == 1 and len(notifications("escalation")) == 2
    assert show(number)["version"] == version + 1


def commissioner_name(b: f.Body) -> str:
    return f"Person {b.commissioner.split('@')[0]}"


def test_sweep_leaves_the_appeal_window_to_close_not_to_escalation(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    act(number, "find_no_violation", b.commissioner, "2025-03-26", {"reason": "no breach"})
    window = deadline(number, "appeal_window")
    assert window.due == date(2025, 6, 26)

    for day in ("2025-06-23", "2025-06-25", "2025-06-26"):
        assert sweep_at(day)["queued"]["reminder"] == 0
    assert (sweep_at("2025-06-27")["missed"], deadline(number, "appeal_window").status) == (
        0,
        "met",
    )
    assert notifications("reminder") == notifications("overdue") == []
    assert notifications("escalation") == []


# --- auto-close after the appeal window -------------------------------------------


def test_sweep_closes_an_answered_case_the_day_after_its_appeal_window(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    act(number, "find_no_violation", b.commissioner, "2025-03-26", {"reason": "no breach"})
    assert deadline(number, "appeal_window").due == date(2025, 6, 26)

    assert sweep_at("2025-06-26", "23:59")["closed"] == 0
    assert show(number)["status"] == "answered"
    result = sweep_at("2025-06-27", "00:01")

    assert (result["closed"], result["queued"]["closed"]) == (1, 1)
    assert show(number)["status"] == "closed"
    assert deadline(number, "appeal_window").status == "met"
    event = history(number)["events"][-1]
    assert (event["actor"], event["action"], event["to"]) == ("system", "close", "closed")
    [notice] = notifications("closed")
    assert notice.recipient == b.filer and "27.06.2025" in notice.body
    assert sweep_at("2025-06-30")["closed"] == 0
    assert len(notifications("closed")) == 1


def test_sweep_does_not_close_an_appealed_case(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    act(number, "find_no_violation", b.commissioner, "2025-03-26", {"reason": "no breach"})
    act(number, "appeal", b.filer, "2025-04-10", {"reason": "I disagree"})

    assert sweep_at("2025-07-01")["closed"] == 0
    assert show(number)["status"] == "appealed"
    assert notifications("closed") == []


# --- the daily digest -------------------------------------------------------------


def test_sweep_queues_the_digest_from_0900_on_working_days_once_a_day(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")  # answer due Wed 26 March

    assert sweep_at("2025-03-26", "08:59")["queued"]["digest"] == 0
    assert sweep_at("2025-03-26", "09:00")["queued"]["digest"] == 1
    assert sweep_at("2025-03-26", "16:00")["queued"]["digest"] == 0
    [digest] = notifications("digest")
    assert digest.recipient == b.commissioner and digest.case_id is None
    assert "26.03.2025" in digest.subject
    assert "Дел в работе: 1" in digest.body
    assert f"№ {number}: срок ответа — 26.03.2025" in digest.body

    assert sweep_at("2025-03-27", "09:00")["queued"]["digest"] == 1  # the answer missed
    latest = notifications("digest")[-1]
    assert f"№ {number}: срок ответа — 26.03.2025" in latest.body.split("Пропущенные")[1]
    for day in ("2025-03-29", "2025-03-24"):  # a Saturday; Nauryz (moved day off)
        assert sweep_at(day, "11:00")["queued"]["digest"] == 0


def test_sweep_queues_the_digest_on_a_transferred_working_sunday(home: Path) -> None:
    b = body()
    under_review(b, "2024-12-10")

    sent = [day for day in days("2024-12-28", "2025-01-06") if sweep_at(day)["queued"]["digest"]]

    assert sent == ["2024-12-30", "2024-12-31", "2025-01-05", "2025-01-06"]


def test_sweep_sends_no_digest_to_a_commissioner_without_open_cases(home: Path) -> None:
    b = body()
    number = under_review(b, "2025-02-27")
    act(
        number, "forward", b.commissioner, "2025-02-28", {"to_body": "Agency", "reason": "not ours"}
    )

    assert sweep_at("2025-03-03")["queued"]["digest"] == 0


def test_sweep_refuses_a_moment_without_offset(home: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        sweep.sweep(datetime(2025, 3, 27, 10, 0))
    assert "--now" in message(refused.value)


def test_sweep_reports_a_case_it_cannot_close_and_closes_the_others(home: Path) -> None:
    b = body()
    first, second = under_review(b, "2025-02-27"), under_review(b, "2025-02-28")
    for number in (first, second):
        act(number, "find_no_violation", b.commissioner, "2025-03-26", {"reason": "no breach"})
    window = deadline(second, "appeal_window")
    with session_scope(write=True) as session:  # a window still running: `close` refuses
        session.add(Deadline(**window.model_dump(exclude={"id"}) | {"due": date(2025, 9, 1)}))
    before = snapshot(second)

    result = sweep_at("2025-06-27")

    assert (result["closed"], result["queued"]["closed"]) == (1, 1)
    assert show(first)["status"] == "closed"
    [error] = result["errors"]
    assert (error["step"], error["number"]) == ("close-expired-cases", second)
    assert "appeal window runs until 2025-09-01" in error["error"]
    assert snapshot(second) == before


def test_list_overdue_keeps_cases_the_sweep_marked_missed(home: Path) -> None:
    from ethicsflow.models.cases.views import list_cases
    from ethicsflow.models.db import session_scope

    b = f.body()
    filed = f.complaint(b, received_at="2025-02-27T10:00:00+05:00")
    late = datetime(2025, 4, 1, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    with session_scope() as session:
        before = [r["number"] for r in list_cases(session, overdue_on=late.date())]
    sweep.sweep(late)
    with session_scope() as session:
        after = [r["number"] for r in list_cases(session, overdue_on=late.date())]
    assert before == after == [filed["number"]]
