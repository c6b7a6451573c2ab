"""The hash-chained audit log: `case history --verify` finds any edited or deleted row.

Tampering goes around the application: plain SQL through the engine of the test database.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import select

from ethicsflow.models.audit.chain import GENESIS, canonical, event_hash
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.db import get_engine, session_scope
from tests.support import factories as f
from tests.support.cases import act, file_complaint, history

EVENTS = ["file", "assign", "accept", "request_explanation", "record_explanation"]


def case_with_five_events(b: f.Body) -> str:
    number = file_complaint(b, "2025-03-17")["number"]
    act(number, "accept", b.commissioner, "2025-03-18")
    act(number, "request_explanation", b.commissioner, "2025-03-19", {"questions": "Why?"})
    act(number, "record_explanation", b.commissioner, "2025-03-26", {"text": "It was a joke."})
    assert [e["action"] for e in history(number)["events"]] == EVENTS
    return number


def run(db_url: str, sql: str, **params: Any) -> int:
    with get_engine(db_url).begin() as connection:
        return int(connection.execute(sa.text(sql), params).rowcount)


def case_id(db_url: str, number: str) -> int:
    with get_engine(db_url).connect() as connection:
        found = connection.execute(
            sa.text('SELECT id FROM "case" WHERE number = :n'), {"n": number}
        ).scalar_one()
    return int(found)


def broken(number: str) -> tuple[int | None, str]:
    report = history(number, verify=True)
    assert report["verified"] is False
    return report["first_bad_seq"], str(report["problem"])


def test_history_verify_passes_for_intact_chain(home: Path) -> None:
    b = f.body()
    number = case_with_five_events(b)
    report = history(number, verify=True)
    assert (report["verified"], report["problem"], report["first_bad_seq"]) == (True, None, None)
    hashes = [e["hash"] for e in report["events"]]
    assert len(set(hashes)) == 5
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in hashes)


def test_history_chain_links_each_event_to_the_previous(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    with get_engine(db_url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT seq, prev_hash, hash FROM event WHERE case_id = :c ORDER BY seq"),
            {"c": case_id(db_url, number)},
        ).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert [r.prev_hash for r in rows] == [GENESIS] + [r.hash for r in rows[:-1]]


def test_history_hash_covers_canonical_event_and_previous_hash(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, "2025-03-17")["number"]
    first = history(number)["events"][0]
    body = {
        "case": number,
        "seq": 1,
        "at": first["at"],
        "actor": first["actor"],
        "action": "file",
        "from": None,
        "to": "registered",
        "payload": first["payload"],
    }
    expected = hashlib.sha256(canonical(body).encode() + GENESIS.encode()).hexdigest()
    assert first["hash"] == expected


@pytest.mark.parametrize("seq", [1, 3, 5])
def test_history_verify_detects_edited_payload(home: Path, db_url: str, seq: int) -> None:
    b = f.body()
    number = case_with_five_events(b)
    cid = case_id(db_url, number)
    with get_engine(db_url).connect() as connection:
        payload = json.loads(
            connection.execute(
                sa.text("SELECT payload FROM event WHERE case_id = :c AND seq = :s"),
                {"c": cid, "s": seq},
            ).scalar_one()
        )
    payload["tampered"] = True
    changed = run(
        db_url,
        "UPDATE event SET payload = :p WHERE case_id = :c AND seq = :s",
        p=canonical(payload),
        c=cid,
        s=seq,
    )
    assert changed == 1
    assert broken(number) == (
        seq,
        f"event {seq} ({EVENTS[seq - 1]}) was edited: its hash does not match",
    )


def test_history_verify_detects_edited_actor(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    run(
        db_url,
        "UPDATE event SET actor = :a WHERE case_id = :c AND seq = 4",
        a=b.head,
        c=case_id(db_url, number),
    )
    assert broken(number)[0] == 4


def test_history_verify_detects_edited_status(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    run(
        db_url,
        "UPDATE event SET to_status = 'closed' WHERE case_id = :c AND seq = 3",
        c=case_id(db_url, number),
    )
    assert broken(number)[0] == 3


def test_history_verify_detects_edited_timestamp(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    cid = case_id(db_url, number)
    table = Event.__table__
    with get_engine(db_url).begin() as connection:
        at = connection.execute(
            sa.select(table.c.at).where(table.c.case_id == cid, table.c.seq == 2)
        ).scalar_one()
        connection.execute(
            sa.update(table)
            .where(table.c.case_id == cid, table.c.seq == 2)
            .values(at=at - timedelta(days=1))
        )
    assert broken(number) == (2, "event 2 (assign) was edited: its hash does not match")


def test_history_verify_detects_deleted_middle_event(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    deleted = run(
        db_url, "DELETE FROM event WHERE case_id = :c AND seq = 3", c=case_id(db_url, number)
    )
    assert deleted == 1
    assert broken(number) == (3, "event 3 is missing (deleted)")


def test_history_verify_detects_deleted_first_event(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    run(db_url, "DELETE FROM event WHERE case_id = :c AND seq = 1", c=case_id(db_url, number))
    assert broken(number) == (1, "event 1 is missing (deleted)")


def test_history_verify_detects_deleted_last_event(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    run(db_url, "DELETE FROM event WHERE case_id = :c AND seq = 5", c=case_id(db_url, number))
    seq, problem = broken(number)
    assert seq == 5
    assert "event 5 is missing" in problem
    assert len(history(number)["events"]) == 4


def test_history_verify_detects_event_rehashed_after_edit(home: Path, db_url: str) -> None:
    """Whoever recomputes the edited event's hash breaks the link of the next one."""
    b = f.body()
    number = case_with_five_events(b)
    cid = case_id(db_url, number)
    run(db_url, "UPDATE event SET actor = :a WHERE case_id = :c AND seq = 3", a=b.head, c=cid)
    with session_scope(url=db_url) as session:
        event = session.exec(select(Event).where(Event.case_id == cid, Event.seq == 3)).one()
        new_hash = event_hash(number, event)
    run(db_url, "UPDATE event SET hash = :h WHERE case_id = :c AND seq = 3", h=new_hash, c=cid)
    assert broken(number) == (4, "event 4 (request_explanation) does not link to event 3")


def test_history_verify_checks_each_case_on_its_own(home: Path, db_url: str) -> None:
    b = f.body()
    tampered = case_with_five_events(b)
    intact = case_with_five_events(b)
    run(db_url, "DELETE FROM event WHERE case_id = :c AND seq = 2", c=case_id(db_url, tampered))
    assert broken(tampered)[0] == 2
    assert history(intact, verify=True)["verified"] is True


def test_history_verify_detects_last_event_rehashed_after_edit(home: Path, db_url: str) -> None:
    """The newest event has no successor: the head kept on the case row catches it."""
    b = f.body()
    number = case_with_five_events(b)
    cid = case_id(db_url, number)
    run(db_url, "UPDATE event SET actor = :a WHERE case_id = :c AND seq = 5", a=b.head, c=cid)
    with session_scope(url=db_url) as session:
        event = session.exec(select(Event).where(Event.case_id == cid, Event.seq == 5)).one()
        new_hash = event_hash(number, event)
    run(db_url, "UPDATE event SET hash = :h WHERE case_id = :c AND seq = 5", h=new_hash, c=cid)
    assert broken(number) == (
        5,
        "event 5 (record_explanation) was edited: it is not the head the case records",
    )


def test_history_verify_detects_forged_appended_event(home: Path, db_url: str) -> None:
    b = f.body()
    number = case_with_five_events(b)
    cid = case_id(db_url, number)
    with session_scope(url=db_url, write=True) as session:
        last = session.exec(select(Event).where(Event.case_id == cid, Event.seq == 5)).one()
        forged = Event(
            case_id=cid,
            seq=6,
            at=last.at,
            actor=b.commissioner,
            action="find_no_violation",
            from_status="under_review",
            to_status="answered",
            payload=canonical({"reason": "never happened"}),
            prev_hash=last.hash,
            hash="",
        )
        forged.hash = event_hash(number, forged)
        session.add(forged)
    assert broken(number) == (6, "event 6 (find_no_violation) was added: the case records 5 events")
