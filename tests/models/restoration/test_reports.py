"""`report restoration`: counts, measures, time to restoration, follow-ups, satisfaction.

The restoration actions (measures, confirm_restored, follow-ups) arrive separately, so
their rows and the ``confirm_restored`` event are written directly here, after the case
was filed and accepted through the operations.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest

from ethicsflow.app.errors import message
from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput, NotFound
from ethicsflow.models.ratings.tables import Rating
from ethicsflow.models.restoration.reports import report_csv, restoration_report
from ethicsflow.models.restoration.tables import FollowUp, Measure
from tests.support import factories as f
from tests.support.cases import at, file_complaint

D = dt.date


def restoration(b: f.Body, received: str, category: str | None = "pressure") -> str:
    number = operations.file_one(
        {
            "kind": "restoration",
            "org": b.code,
            "by": b.filer,
            "summary": "Moved to another post after reporting a breach",
            "received_at": f"{received}T10:00:00+05:00",
        },
        now=at(received),
    )["number"]
    if category:  # what `accept` records; the restoration actions are written apart
        with session_scope(write=True) as session:
            case = get_case(session, number)
            case.category, case.risk, case.status = category, "high", "inquiry"
            case.bump()
            session.add(case)
    return number


def measure(seq: int, due: D, status: str = "open", closed_on: D | None = None) -> Measure:
    return Measure(
        case_id=0,
        seq=seq,
        what=f"Measure {seq}",
        responsible_email="head@example.kz",
        due=due,
        evidence_expected="order",
        status=status,
        closed_on=closed_on,
    )


def enrich(
    number: str,
    *,
    status: str | None = None,
    measures: tuple[Measure, ...] = (),
    restored_on: str | None = None,
    follow_ups: tuple[str, ...] = (),
    score: int | None = None,
) -> None:
    with session_scope(write=True) as session:
        case = get_case(session, number)
        for row in measures:
            row.case_id = case.id or 0
            session.add(row)
        if restored_on:
            append_event(
                session,
                case,
                actor="c@example.kz",
                action="confirm_restored",
                from_status=case.status,
                to_status="restored",
                payload={"reason": "Reinstated"},
                at=at(restored_on, "18:30"),
            )
        for i, retaliation in enumerate(follow_ups):
            session.add(
                FollowUp(
                    case_id=case.id or 0,
                    deadline_name=f"follow_up_{(3, 6, 12)[i]}m",
                    checked_on=D(2027, 3, 1),
                    retaliation=retaliation,
                    reason="checked",
                    by="c@example.kz",
                )
            )
        if score is not None:
            session.add(Rating(case_id=case.id or 0, score=score, by="x@example.kz"))
        if status:
            case.status = status
        case.bump()
        session.add(case)


@pytest.fixture
def bodies(home: Path) -> tuple[f.Body, f.Body]:
    a, b = f.body(), f.body()
    # A: three requests in November 2026, one in January 2026; B: one; a complaint in A
    one = restoration(a, "2026-11-02", "pressure")
    enrich(
        one,
        status="restored",
        measures=(
            measure(1, D(2026, 11, 20), "completed", D(2026, 11, 20)),  # on time (on the day)
            measure(2, D(2026, 11, 20), "completed", D(2026, 11, 23)),  # late
            measure(3, D(2026, 11, 25), "rejected"),
        ),
        restored_on="2026-11-12",  # 10 days after receipt
        follow_ups=("no", "suspected", "suspected"),
        score=5,
    )
    two = restoration(a, "2026-11-09", "pressure")
    enrich(
        two,
        status="restored",
        measures=(measure(1, D(2026, 11, 30), "completed", None),),  # no date: late
        restored_on="2026-11-29",  # 20 days
        follow_ups=("no",),
        score=2,
    )
    three = restoration(a, "2026-11-16", "discrimination")
    enrich(
        three,
        measures=(measure(1, D(2026, 11, 30)), measure(2, D(2026, 12, 30))),  # 1 overdue
    )
    four = restoration(a, "2026-11-17", None)  # not accepted: no category
    restoration(a, "2026-01-15", "harassment")
    restoration(b, "2026-11-10", "harassment")
    file_complaint(a, "2026-11-10")
    assert four
    return a, b


def test_report_of_one_org_in_a_window(bodies: tuple[f.Body, f.Body]) -> None:
    a, _ = bodies
    report = restoration_report(a.code.lower(), "2026-11-01", "2026-11-30", today=D(2026, 12, 1))
    assert report["org"] == a.code
    assert (report["from"], report["to"]) == ("2026-11-01", "2026-11-30")
    assert report["cases"] == 4
    assert report["by_category"] == {"discrimination": 1, "pressure": 2, "uncategorised": 1}
    assert report["by_outcome"] == {"inquiry": 1, "restored": 2, "triage": 1}
    assert report["measures"] == {
        "total": 6,
        "on_time": 1,
        "late": 2,
        "open": 2,
        "overdue": 1,
        "rejected": 1,
    }
    assert report["restoration"] == {"restored": 2, "median_days": 15}
    assert report["follow_ups"] == {
        "done": 4,
        "retaliation_suspected": 2,
        "cases_with_retaliation": 1,
    }
    assert report["satisfaction"] == {"ratings": 2, "average": 3.5}
    json.dumps(report)


def test_all_orgs_and_open_windows(bodies: tuple[f.Body, f.Body]) -> None:
    a, b = bodies
    everything = restoration_report()
    assert everything["cases"] >= 6  # other tests' data never shares this database
    assert everything["org"] is None and everything["from"] is None
    assert restoration_report(a.code)["cases"] == 5
    assert restoration_report(a.code, date_to="2026-10-31")["cases"] == 1
    assert restoration_report(a.code, "2026-11-02", "2026-11-02")["restoration"] == {
        "restored": 1,
        "median_days": 10,
    }
    assert restoration_report(b.code, date_from=D(2026, 11, 10))["cases"] == 1
    empty = restoration_report(b.code, "2027-01-01", "2027-12-31")
    assert empty["cases"] == 0
    assert empty["measures"]["total"] == 0
    assert empty["restoration"] == {"restored": 0, "median_days": None}
    assert empty["satisfaction"] == {"ratings": 0, "average": None}
    assert empty["by_category"] == {} and empty["by_outcome"] == {}


def test_bad_filters_are_refused(home: Path) -> None:
    with pytest.raises(NotFound) as info:
        restoration_report("NOPE")
    assert re.match(r"^--org: no organization NOPE", message(info.value))
    with pytest.raises(InvalidInput) as info:
        restoration_report(None, "2026-12-01", "2026-11-01")
    assert re.match(r"^--from: 2026-12-01 comes after --to 2026-11-01", message(info.value))
    with pytest.raises(InvalidInput) as info:
        restoration_report(None, None, "1 Nov")
    assert re.match(r"^--to: '1 Nov' is not a date", message(info.value))


def test_csv_is_flat_with_a_header_and_opens_as_rows(bodies: tuple[f.Body, f.Body]) -> None:
    a, _ = bodies
    report = restoration_report(a.code, "2026-11-01", "2026-11-30", today=D(2026, 12, 1))
    text = report_csv(report)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "key", "value"]
    assert all(len(row) == 3 for row in rows)
    table = {(s, k): v for s, k, v in rows[1:]}
    assert table[("filter", "org")] == a.code
    assert table[("cases", "total")] == "4"
    assert table[("category", "pressure")] == "2"
    assert table[("outcome", "restored")] == "2"
    assert table[("measures", "late")] == "2"
    assert table[("restoration", "median_days")] == "15"
    assert table[("satisfaction", "average")] == "3.5"
    empty = report_csv(restoration_report(a.code, "2027-01-01", "2027-01-02"))
    assert "satisfaction,average,\r\n" in empty
    text.encode("utf-8")
