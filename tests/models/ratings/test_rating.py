"""`case rate`: the filer rates a closed case once, by e-mail or by receipt code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from ethicsflow.app.errors import exit_code, message
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import Conflict, InvalidInput, NotFound, NotPermitted
from ethicsflow.models.ratings.rate import RATEABLE_STATES, rate_case
from ethicsflow.models.ratings.tables import Rating
from tests.support import factories as f
from tests.support.cases import act, at, file_complaint, history, refused, snapshot

COMMENT = "Fair & quick; the <commissioner> listened — рахмет!"


def forwarded(b: f.Body) -> str:
    number = file_complaint(b, "2026-11-16")["number"]
    act(number, "forward", b.commissioner, "2026-11-17", {"to_body": "Ministry", "reason": "x" * 5})
    return number


def rate(number: str, **values: Any) -> dict[str, Any]:
    return rate_case({"number": number, **values}, at=at("2026-11-20"))


def test_the_filer_rates_a_closed_case_once(home: Path) -> None:
    b = f.body()
    number = forwarded(b)
    before = snapshot(number)
    result = rate(number, by=b.filer.upper(), score="4", comment=f"  {COMMENT} ")
    assert result["number"] == number
    assert result["score"] == 4
    assert result["comment"] == COMMENT
    assert result["rated_at"].startswith("2026-11-20T05:00:00")
    after = snapshot(number)
    assert after.version == before.version + 1
    assert after.events == before.events + 1 and after.status == before.status
    events = history(number, verify=True)
    assert events["verified"]
    last = events["events"][-1]
    assert (last["action"], last["actor"]) == ("rate", b.filer)
    assert last["payload"] == {"score": 4, "comment": True}
    assert "listened" not in json.dumps(events)  # the comment stays out of the chain
    with session_scope() as session:
        case = get_case(session, number)
        row = session.exec(select(Rating).where(Rating.case_id == case.id)).one()
        assert (row.score, row.comment, row.by) == (4, COMMENT, b.filer)

    info = refused(
        number, Conflict, "already rated on 2026-11-20", lambda: rate(number, by=b.filer, score=5)
    )
    assert exit_code(info.value) == 3


def test_only_the_filer_may_rate(home: Path) -> None:
    b = f.body()
    number = forwarded(b)
    for someone in (b.respondent, b.commissioner, b.head):
        info = refused(
            number,
            NotPermitted,
            rf"--by: {someone} is not the filer; only the filer of case {number} may rate it",
            lambda who=someone: rate(number, by=who, score=5),
        )
        assert exit_code(info.value) == 4
    refused(number, NotPermitted, "not the filer", lambda: rate(number, by="x@nowhere.kz", score=1))
    refused(
        number,
        NotPermitted,
        "--receipt: not the receipt code",
        lambda: rate(number, receipt="ABCDE-FGHJK-LMNPQ-RSTUV", score=1),
    )


@pytest.mark.parametrize("score", [0, 6, -1, "abc", 2.5, True, None, ""])
def test_a_score_outside_1_to_5_is_refused_naming_score(home: Path, score: Any) -> None:
    b = f.body()
    number = forwarded(b)
    info = refused(
        number, InvalidInput, "^--score: ", lambda: rate(number, by=b.filer, score=score)
    )
    assert exit_code(info.value) == 2


def test_bad_comment_and_identity_options_are_refused(home: Path) -> None:
    b = f.body()
    number = forwarded(b)
    refused(
        number,
        InvalidInput,
        "^--comment: ",
        lambda: rate(number, by=b.filer, score=3, comment="x" * 2001),
    )
    refused(number, InvalidInput, "^--by: required", lambda: rate(number, score=3))
    refused(
        number,
        InvalidInput,
        "give one",
        lambda: rate(number, by=b.filer, receipt="ABCDE-FGHJK-LMNPQ-RSTUV", score=3),
    )
    assert rate(number, by=b.filer, score=3, comment="x" * 2000)["score"] == 3


def test_a_case_not_closed_is_refused(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, "2026-11-16")["number"]
    refused(
        number,
        InvalidInput,
        r"is triage; a rating is taken once the case is closed",
        lambda: rate(number, by=b.filer, score=5),
    )
    with pytest.raises(NotFound) as unknown:
        rate("NOPE-2026-00001", by=b.filer, score=5)
    assert message(unknown.value).startswith("NUMBER: no case")


def test_an_anonymous_filer_rates_by_receipt_code(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2026-11-16", by=None, anonymous=True)
    number, code = filed["number"], filed["receipt_code"]
    act(
        number,
        "dismiss",
        b.commissioner,
        "2026-11-17",
        {"ground": "anonymous", "reason": "Art. 88"},
    )
    result = rate(number, receipt=f" {code.lower()} ", score=2)
    assert (result["score"], result["comment"]) == (2, None)
    last = history(number, verify=True)["events"][-1]
    assert (last["action"], last["actor"], last["payload"]) == (
        "rate",
        "anonymous",
        {"score": 2, "comment": False},
    )
    with session_scope() as session:
        case = get_case(session, number)
        assert session.exec(select(Rating).where(Rating.case_id == case.id)).one().by == "receipt"
    # another anonymous case's code does not open this one; a named case has no code
    other = file_complaint(b, "2026-11-16", by=None, anonymous=True)
    refused(number, Conflict, "already rated", lambda: rate(number, receipt=code, score=5))
    named = forwarded(b)
    refused(
        named,
        NotPermitted,
        "--receipt: not the receipt code",
        lambda: rate(named, receipt=other["receipt_code"], score=5),
    )


@pytest.mark.parametrize("status", sorted({"restored", "answered", "closed"}))
def test_a_closed_restoration_case_may_be_rated(home: Path, status: str) -> None:
    b = f.body()
    number = operations.file_one(
        {
            "kind": "restoration",
            "org": b.code,
            "by": b.filer,
            "summary": "Transferred after I reported",
        }
    )["number"]
    refused(
        number, InvalidInput, "a rating is taken once", lambda: rate(number, by=b.filer, score=5)
    )
    with session_scope(write=True) as session:
        case = get_case(session, number)
        case.status = status
        case.bump()
        session.add(case)
    assert status in RATEABLE_STATES
    assert rate(number, by=b.filer, score=5)["score"] == 5
