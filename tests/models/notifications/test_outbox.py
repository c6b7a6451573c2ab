"""Notifications are queued in the same transaction as the change that causes them."""

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from ethicsflow.models.cases import operations
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import ActionNotAllowed
from ethicsflow.models.notifications.tables import Notification
from tests.support import factories as f

HOOK = "json://127.0.0.1:9/hook"


def _rows(number: str | None = None) -> list[Notification]:
    with session_scope() as session:
        query = select(Notification).order_by(col(Notification.id))
        rows = list(session.exec(query).all())
    if number is None:
        return rows
    return [r for r in rows if number in r.dedup_key]


def _body(**people: Any) -> f.Body:
    code = f.org()
    return f.Body(
        code=code,
        commissioner=f.person(code, "commissioner", notify=[HOOK], language="kk"),
        head=f.person(code, "head", notify=[HOOK]),
        filer=f.person(code, notify=[HOOK, "json://127.0.0.1:9/second"], language="ru"),
        respondent=f.person(code, notify=[HOOK]),
    )


def test_file_queues_acknowledgment_and_assignment(home: Path) -> None:
    b = _body()
    filed = f.complaint(b, received_at="2026-11-20T17:30:00+05:00")
    rows = _rows(filed["number"])
    events = sorted((r.event, r.recipient, r.language) for r in rows)
    assert events == [
        ("acknowledgment", b.filer, "ru"),
        ("acknowledgment", b.filer, "ru"),  # two URLs: one row each
        ("assignment", b.commissioner, "kk"),
    ]
    ack = next(r for r in rows if r.event == "acknowledgment")
    assert filed["number"] in ack.subject
    assert "20.11.2026" in ack.body and "17:30" in ack.body  # date and time of receipt
    assert all(r.status == "queued" for r in rows)
    assert len({r.dedup_key for r in rows}) == len(rows)


def test_anonymous_filing_queues_no_acknowledgment(home: Path) -> None:
    b = _body()
    filed = f.complaint(b, by=None, against=None, anonymous=True)
    assert [r.event for r in _rows(filed["number"])] == ["assignment"]


def test_refused_action_queues_nothing(home: Path) -> None:
    b = _body()
    filed = f.complaint(b)
    before = len(_rows())
    with pytest.raises(ActionNotAllowed):
        operations.act(filed["number"], "find_no_violation", b.commissioner, {"reason": "none"})
    assert len(_rows()) == before


def test_extend_queues_notice_that_meets_its_deadline(home: Path) -> None:
    b = _body()
    filed = f.complaint(b)
    operations.act(filed["number"], "accept", b.commissioner, {})
    operations.act(filed["number"], "extend", b.head, {"reason": "payroll records needed"})
    notices = [r for r in _rows(filed["number"]) if r.event == "extension_notice"]
    assert {r.recipient for r in notices} == {b.filer}
    with session_scope() as session:
        deadline = session.exec(select(Deadline).where(Deadline.name == "extension_notice")).one()
    assert {r.meets_deadline_id for r in notices} == {deadline.id}


def test_answer_queues_reasoned_answer_with_appeal_date(home: Path) -> None:
    b = _body()
    filed = f.complaint(b)
    operations.act(filed["number"], "accept", b.commissioner, {})
    operations.act(
        filed["number"], "find_no_violation", b.commissioner, {"reason": "No breach & no harm"}
    )
    answer = next(r for r in _rows(filed["number"]) if r.event == "answer")
    assert "No breach & no harm" in answer.body  # plain text, not escaped


def test_dismissal_names_ground_in_filer_language(home: Path) -> None:
    b = _body()
    filed = f.complaint(b)
    operations.act(
        filed["number"],
        "dismiss",
        b.commissioner,
        {"ground": "no_substance", "reason": "Nothing to consider"},
    )
    notice = next(r for r in _rows(filed["number"]) if r.event == "dismissal")
    assert notice.language == "ru"
    assert "не содержит вопроса" in notice.body and "no_substance" not in notice.body
