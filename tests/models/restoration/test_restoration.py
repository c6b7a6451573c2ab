"""The restoration lifecycle to the end: measures, the ends, follow-ups (DESIGN §3).

Dates are checked against the Kazakh calendar (``holidays``) of 2026-2027: no day off
falls in November 2026; Independence Day is Wed 16 December 2026 (Thu 17 December is a
working day); Nauryz 2027 makes Sun 21 – Wed 24 March days off (Sun 21 and Mon 22
shown as Nauryz, the weekend moves 23-24). Where a date follows from a rule, the test
asks the calendar instead of hard-coding it.

The standard case: received Mon 2026-11-02, accepted Tue 11-03, measures proposed on
Wed 11-04: measure 1 due Thu 2026-12-10 (a date) and measure 2 due in 10 working days
(Wed 2026-11-18).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from ethicsflow.models.boards import roster as boards
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines import sweep
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import add_months
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import ActionNotAllowed, Conflict, InvalidInput, NotFound
from ethicsflow.models.lifecycle.fields import describe
from ethicsflow.models.lifecycle.payloads import AcceptRestoration
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.policy import load_policy
from ethicsflow.models.restoration.tables import FollowUp, Measure
from ethicsflow.models.settings import get_settings
from tests.support import factories as f
from tests.support.cases import act, at, deadlines, file_complaint, history, refused, show
from tests.support.restoration import (
    ACCEPTED,
    HOOK,
    PROPOSED,
    People,
    accept,
    file_request,
)

POLICY = load_policy()
CAL = calendar_for(POLICY)
D = dt.date.fromisoformat


def measures(b: People) -> list[dict[str, Any]]:
    return [
        {
            "what": "Revoke the transfer order and reinstate the servant",
            "responsible": b.hr,
            "due": "2026-12-10",
            "evidence": "the order revoking the transfer",
        },
        {
            "what": "Apologise to the servant in writing",
            "responsible": b.manager,
            "due_working_days": 10,
            "evidence": "a copy of the letter",
        },
    ]


def in_progress(b: People) -> str:
    number = file_request(b)
    accept(b, number)
    act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": measures(b)})
    return number


def measure_rows(number: str) -> list[Measure]:
    with session_scope() as session:
        case = get_case(session, number)
        rows = session.exec(
            select(Measure).where(Measure.case_id == case.id).order_by(col(Measure.seq))
        ).all()
        for row in rows:
            session.expunge(row)
        return list(rows)


def notices(number: str, event: str) -> list[tuple[str, str]]:
    """(recipient, language) of the case's notifications of ``event``."""
    with session_scope() as session:
        case = get_case(session, number)
        rows = session.exec(
            select(Notification)
            .where(Notification.case_id == case.id, Notification.event == event)
            .order_by(col(Notification.id))
        ).all()
        return [(n.recipient, n.language) for n in rows]


def body_of(number: str, event: str, recipient: str | None = None) -> str:
    """The body of the case's latest notification of ``event`` (to ``recipient``)."""
    with session_scope() as session:
        case = get_case(session, number)
        query = select(Notification).where(
            Notification.case_id == case.id, Notification.event == event
        )
        if recipient is not None:
            query = query.where(Notification.recipient == recipient)
        row = session.exec(query.order_by(col(Notification.id).desc())).first()
        assert row is not None, f"no {event} notification on {number}"
        return row.body


def follow_up_due(closure: str, months: int) -> str:
    """``months`` after ``closure``, moved to the next working day (the policy's rule)."""
    return CAL.next_working_day(add_months(D(closure), months)).isoformat()


# --- the whole path ---------------------------------------------------------------------------


def test_full_path_measures_evidence_restored_follow_ups(home: Path, tmp_path: Path) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    result = act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": measures(b)})
    assert result["status"] == "measures_in_progress"
    assert result["notes"]["measures"] == [
        {"measure": 1, "responsible": b.hr, "due": "2026-12-10"},
        {"measure": 2, "responsible": b.manager, "due": "2026-11-18"},
    ]
    assert deadlines(number, "measure:1") == [("measure:1", "2026-12-10", "open")]
    assert deadlines(number, "measure:2") == [("measure:2", "2026-11-18", "open")]
    with session_scope() as session:
        case = get_case(session, number)
        rows = {
            d.name: (d.rule, d.basis, d.policy_version, d.unit, d.amount, d.anchor)
            for d in session.exec(select(Deadline).where(Deadline.case_id == case.id))
        }
    assert rows["measure:1"] == (
        "measure",
        "agreed measure (design choice)",
        POLICY.version,
        "date",
        0,
        D(PROPOSED),
    )
    assert rows["measure:2"][3:5] == ("working_days", 10)
    # each person responsible is told their own measures, in their language
    assert sorted(notices(number, "measure_assigned")) == sorted([(b.hr, "en"), (b.manager, "ru")])
    to_hr = body_of(number, "measure_assigned", b.hr)
    assert "Revoke the transfer order" in to_hr and "Apologise" not in to_hr
    assert "10 December 2026" in to_hr
    assert "18.11.2026" in body_of(number, "measure_assigned", b.manager)

    # measure 2 done with text evidence; measure 1 with a file
    act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-11-17",
        {"measure": "2", "evidence": "Letter of apology No. 12 of 16.11.2026"},
    )
    data = b"%PDF-1.4\n\x00\xff\xfe binary evidence \x80\n"
    scan = tmp_path / "upload" / "Order-45.PDF"
    scan.parent.mkdir()
    scan.write_bytes(data)
    done = act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-12-09",
        {
            "measure": "1",
            "evidence": "Order No. 45 revoking the transfer",
            "evidence_file": str(scan),
        },
    )
    sha = hashlib.sha256(data).hexdigest()
    stored = f"{number}/evidence-1-{sha[:8]}.pdf"
    assert done["status"] == "measures_in_progress"
    assert done["notes"]["evidence_file"] == {"path": stored, "sha256": sha, "size": len(data)}
    path = get_settings().home / "documents" / stored
    assert path.read_bytes() == data
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    with session_scope() as session:
        case = get_case(session, number)
        doc = session.exec(select(Document).where(Document.case_id == case.id)).one()
        assert (doc.kind, doc.format, doc.path, doc.sha256, doc.size) == (
            "evidence",
            "pdf",
            stored,
            sha,
            len(data),
        )
        assert (doc.language, doc.template, doc.template_sha256) == (case.language, "", "")
        assert doc.created_by == b.commissioner
        first = session.exec(select(Measure).where(Measure.case_id == case.id, Measure.seq == 1))
        assert first.one().evidence_document_id == doc.id
    # the sha256 is in the audit trail
    event = history(number)["events"][-1]
    assert event["action"] == "complete_measure"
    assert sha in json.dumps(event)
    rows_ = measure_rows(number)
    assert [(m.seq, m.status, m.closed_on) for m in rows_] == [
        (1, "completed", D("2026-12-09")),
        (2, "completed", D("2026-11-17")),
    ]
    assert deadlines(number, "measure:1") == [("measure:1", "2026-12-10", "met")]
    assert deadlines(number, "measure:2") == [("measure:2", "2026-11-18", "met")]
    assert notices(number, "measure_completed") == [(b.filer, "kk"), (b.filer, "kk")]

    # confirm_restored: the answer met, follow-ups at 3, 6, 12 months from today
    closure = "2026-12-21"
    restored = act(number, "confirm_restored", b.commissioner, closure)
    assert restored["status"] == "restored"
    assert [n for n, _, s in deadlines(number, "answer")] == ["answer"]
    assert deadlines(number, "answer")[0][2] == "met"
    three, six, twelve = (follow_up_due(closure, n) for n in (3, 6, 12))
    assert three == "2027-03-25"  # Sun 21 March 2027 is Nauryz: moved to the next working day
    assert [(n, d) for n, d, s in deadlines(number) if n.startswith("follow_up")] == [
        ("follow_up_3m", three),
        ("follow_up_6m", six),
        ("follow_up_12m", twelve),
    ]
    assert notices(number, "restored") == [(b.filer, "kk")]
    assert "25.03.2027" in body_of(number, "restored")
    assert show(number)["allowed_actions"] == ["link", "follow_up"]

    # follow-ups: no, no, then suspected retaliation opens a new, linked case
    first_ = act(
        number,
        "follow_up",
        b.commissioner,
        three,
        {"retaliation": "no", "reason": "works in her post, no pressure"},
    )
    assert (first_["status"], first_["notes"]["follow_up"]) == ("restored", "follow_up_3m")
    act(
        number,
        "follow_up",
        b.commissioner,
        six,
        {"retaliation": "no", "reason": "still no pressure reported"},
    )
    last = act(
        number,
        "follow_up",
        b.commissioner,
        twelve,
        {"retaliation": "suspected", "reason": "left out of the bonus list again"},
    )
    assert last["status"] == "closed"
    new = last["notes"]["new_case"]
    assert new != number
    view = show(new)
    assert (view["kind"], view["status"], view["org"]) == ("restoration", "triage", b.code)
    assert view["category"] == "retaliation"
    assert view["parties"][0]["email"] == b.filer
    assert "left out of the bonus list again" in view["summary"]
    assert {"number": number, "direction": "to"} in view["related"]
    assert {"number": new, "direction": "from"} in show(number)["related"]
    assert [(n, s) for n, _, s in deadlines(number) if n.startswith("follow_up")] == [
        ("follow_up_3m", "met"),
        ("follow_up_6m", "met"),
        ("follow_up_12m", "met"),
    ]
    with session_scope() as session:
        case = get_case(session, number)
        new_id = session.exec(select(Case.id).where(Case.number == new)).one()
        checks = session.exec(
            select(FollowUp).where(FollowUp.case_id == case.id).order_by(col(FollowUp.id))
        ).all()
        assert [(c.deadline_name, c.retaliation, c.new_case_id, c.by) for c in checks] == [
            ("follow_up_3m", "no", None, b.commissioner),
            ("follow_up_6m", "no", None, b.commissioner),
            ("follow_up_12m", "suspected", new_id, b.commissioner),
        ]
    # the new case is accepted as retaliation at once: it is linked to this one
    accept(b, new, category="retaliation", day=twelve)
    assert show(new)["status"] == "inquiry"
    assert history(number, verify=True)["verified"]
    refused(
        number,
        ActionNotAllowed,
        "follow_up: not allowed from status closed",
        lambda: act(
            number, "follow_up", b.commissioner, twelve, {"retaliation": "no", "reason": "again"}
        ),
    )


def test_measures_from_a_json_file_and_more_measures_later(home: Path, tmp_path: Path) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    listing = tmp_path / "measures.json"
    listing.write_text(json.dumps(measures(b)[:1]), encoding="utf-8")
    act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": f"@{listing}"})
    more = [{**measures(b)[1], "due": 5}]  # "due": N is N working days
    del more[0]["due_working_days"]
    added = act(number, "propose_measures", b.commissioner, "2026-11-05", {"measures": more})
    assert added["notes"]["measures"] == [
        {
            "measure": 2,
            "responsible": b.manager,
            "due": CAL.add_working_days(D("2026-11-05"), 5).isoformat(),
        }
    ]
    assert [m.seq for m in measure_rows(number)] == [1, 2]


def test_due_in_working_days_skips_independence_day(home: Path) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    item = {**measures(b)[1], "due_working_days": 3}
    act(number, "propose_measures", b.commissioner, "2026-12-14", {"measures": [item]})
    # Tue 15, (Wed 16 Independence Day), Thu 17, Fri 18
    assert deadlines(number, "measure:1") == [("measure:1", "2026-12-18", "open")]
    assert CAL.holiday_name(D("2026-12-16"), "en") == "Independence Day"


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (
            {"due": "2026-12-16"},
            r"--set measures\[0\]\.due: 2026-12-16 is not a working day: "
            r"it is a holiday \(Independence Day\)",
        ),
        (
            {"due": "2026-12-12"},
            r"--set measures\[0\]\.due: 2026-12-12 is not a working day: "
            r"it is a weekend day \(Saturday\)",
        ),
        ({"due": PROPOSED}, r"--set measures\[0\]\.due: 2026-11-04 is not after today"),
        ({"due": "2026-10-30"}, r"--set measures\[0\]\.due: 2026-10-30 is not after today"),
        (
            {"responsible": "nobody@example.kz"},
            r"--set measures\[0\]\.responsible: no person with e-mail nobody@example\.kz",
        ),
        ({"responsible": "not-an-email"}, r"--set measures\[0\]\.responsible: "),
        ({"evidence": None}, r"--set measures\[0\]\.evidence: Field required"),
        ({"what": ""}, r"--set measures\[0\]\.what: "),
        ({"due_working_days": 4}, r"--set measures\[0\]: give the due date .*one of them"),
        ({"due": None}, r"--set measures\[0\]: give the due date"),
        ({"colour": "red"}, r"--set measures\[0\]\.colour: Extra inputs"),
    ],
)
def test_propose_measures_refusals_write_nothing(
    home: Path, change: dict[str, Any], match: str
) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    first = {**measures(b)[0], **change}
    first = {k: v for k, v in first.items() if v is not None}
    error = NotFound if "nobody" in str(change.get("responsible")) else InvalidInput
    refused(
        number,
        error,
        match,
        lambda: act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": [first]}),
    )


def test_the_second_measure_is_named_in_a_refusal(home: Path) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    bad = [measures(b)[0], {**measures(b)[0], "due": "2026-12-16"}]
    refused(
        number,
        InvalidInput,
        r"--set measures\[1\]\.due: 2026-12-16 is not a working day",
        lambda: act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": bad}),
    )
    refused(
        number,
        InvalidInput,
        "--set measures: List should have at least 1 item",
        lambda: act(number, "propose_measures", b.commissioner, PROPOSED, {"measures": []}),
    )


def test_complete_and_reject_refusals_write_nothing(home: Path, tmp_path: Path) -> None:
    b = People()
    number = in_progress(b)
    day = "2026-11-10"
    cases: list[tuple[type[Exception], str, dict[str, Any]]] = [
        (
            InvalidInput,
            r"--set measure: .* has no measure 3 \(1, 2\)",
            {"measure": "3", "evidence": "done"},
        ),
        (
            InvalidInput,
            "--set evidence_file: cannot read .*missing.pdf",
            {"measure": "1", "evidence": "done", "evidence_file": str(tmp_path / "missing.pdf")},
        ),
        (
            InvalidInput,
            "--set evidence_file: cannot read .*Is a directory",
            {"measure": "1", "evidence": "done", "evidence_file": str(tmp_path)},
        ),
        (InvalidInput, "--set evidence: Field required", {"measure": "1"}),
    ]
    for error, match, values in cases:
        refused(
            number,
            error,
            match,
            lambda v=values: act(number, "complete_measure", b.commissioner, day, v),
        )
    assert not (get_settings().home / "documents" / number).exists()
    act(
        number,
        "reject_measure",
        b.commissioner,
        day,
        {"measure": "2", "reason": "the manager refuses to apologise"},
    )
    assert [(m.seq, m.status, m.reason) for m in measure_rows(number)][1] == (
        2,
        "rejected",
        "the manager refuses to apologise",
    )
    assert deadlines(number, "measure:2") == [("measure:2", "2026-11-18", "cancelled")]
    for action, values in [
        ("complete_measure", {"measure": "2", "evidence": "done"}),
        ("reject_measure", {"measure": "2", "reason": "again"}),
    ]:
        refused(
            number,
            InvalidInput,
            "--set measure: measure 2 is already rejected on 2026-11-10",
            lambda a=action, v=values: act(number, a, b.commissioner, day, v),
        )


def test_evidence_file_given_with_at_sign(home: Path, tmp_path: Path) -> None:
    b = People()
    number = in_progress(b)
    scan = tmp_path / "photo.jpeg"
    scan.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    done = act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-11-10",
        {"measure": "2", "evidence": "photo of the letter", "evidence_file": f"@{scan}"},
    )
    assert done["notes"]["evidence_file"]["path"].endswith(".jpeg")


def test_confirm_restored_needs_every_measure_closed_or_the_servant(home: Path) -> None:
    b = People()
    number = in_progress(b)
    act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-11-10",
        {"measure": "2", "evidence": "letter sent"},
    )
    refused(
        number,
        InvalidInput,
        r"confirm_restored: measures still open: 1 \(Revoke the transfer order.*due 2026-12-10\);"
        r" .*servant_confirmed=true",
        lambda: act(number, "confirm_restored", b.commissioner, "2026-11-11"),
    )
    done = act(
        number,
        "confirm_restored",
        b.commissioner,
        "2026-11-11",
        {"servant_confirmed": "true", "reason": "the servant confirms by phone"},
    )
    assert done["status"] == "restored"
    assert done["notes"] == {"servant_confirmed": True, "measures_cancelled": [1]}
    assert [m.status for m in measure_rows(number)] == ["cancelled", "completed"]
    assert deadlines(number, "measure:1") == [("measure:1", "2026-12-10", "cancelled")]


# --- escalation -------------------------------------------------------------------------------


def test_escalate_when_a_measure_is_overdue(home: Path) -> None:
    b = People()
    number = in_progress(b)
    refused(
        number,
        InvalidInput,
        r"escalate: no measure is overdue or rejected \(1 open due 2026-12-10, 2 open due"
        r" 2026-11-18\)",
        lambda: act(
            number,
            "escalate",
            b.commissioner,
            "2026-11-18",
            {"to": "agency", "reason": "the measures are not carried out"},
        ),
    )
    # the sweep of Thu 19 November marks measure 2 missed and tells its person responsible
    swept = sweep.sweep(at("2026-11-19"))
    assert swept["errors"] == []
    assert deadlines(number, "measure:2") == [("measure:2", "2026-11-18", "missed")]
    assert notices(number, "measure_overdue") == [(b.manager, "ru")]
    assert (b.commissioner, "ru") in notices(number, "overdue")  # the commissioner too
    assert (b.head, "ru") in notices(number, "escalation")
    refused(
        number,
        InvalidInput,
        "--set to: .*no Ethics Board for region Astana",
        lambda: act(
            number,
            "escalate",
            b.commissioner,
            "2026-11-19",
            {"to": "board", "reason": "the measures are not carried out"},
        ),
    )
    agency_org = f.org(region="Astana")
    agent = f.person(agency_org, "agency", notify=[HOOK])
    result = act(
        number,
        "escalate",
        b.commissioner,
        "2026-11-19",
        {"to": "agency", "reason": "the manager ignores the measure"},
    )
    assert result["status"] == "escalated"
    assert result["notes"] == {
        "escalated_to": "agency",
        "measures": [{"measure": 2, "state": "overdue"}],
    }
    assert sorted(r for r, _ in notices(number, "restoration_escalated")) == sorted([b.head, agent])
    assert "Apologise to the servant" in body_of(number, "restoration_escalated")
    # after the escalation the measure is done and the rights confirmed restored
    act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-11-25",
        {"measure": "2", "evidence": "letter of 24.11.2026"},
    )
    assert deadlines(number, "measure:2") == [("measure:2", "2026-11-18", "missed")]
    act(
        number,
        "complete_measure",
        b.commissioner,
        "2026-11-25",
        {"measure": "1", "evidence": "order revoked"},
    )
    assert act(number, "confirm_restored", b.commissioner, "2026-11-26")["status"] == "restored"


def test_escalate_to_the_board_after_a_rejected_measure(home: Path) -> None:
    b = People(region="Shymkent")
    number = in_progress(b)
    agency = f.org(region="Shymkent")
    secretary = f.person(agency, "board_secretary", notify=[HOOK])
    boards.add_board(
        {
            "code": f"B{f.uid().upper()[:6]}",
            "name": "Ethics Board of Shymkent",
            "region": "Shymkent",
            "secretary": secretary,
        }
    )
    act(
        number,
        "reject_measure",
        b.commissioner,
        "2026-11-05",
        {"measure": "1", "reason": "the head refuses to revoke the order"},
    )
    result = act(
        number,
        "escalate",
        b.commissioner,
        "2026-11-05",
        {"to": "board", "reason": "the head refuses to revoke the order"},
    )
    assert result["notes"]["measures"] == [{"measure": 1, "state": "rejected"}]
    assert "board" in result["notes"]
    assert sorted(r for r, _ in notices(number, "restoration_escalated")) == sorted(
        [b.head, secretary]
    )


# --- not confirmed ----------------------------------------------------------------------------


def test_not_confirmed_answers_with_appeal_rights_and_follow_ups(home: Path) -> None:
    b = People()
    number = file_request(b)
    accept(b, number)
    result = act(
        number,
        "not_confirmed",
        b.commissioner,
        "2026-11-20",
        {"reason": "The transfer was a planned reorganisation of the department."},
    )
    assert result["status"] == "answered"
    names = [n for n, _, s in deadlines(number) if s == "open"]
    assert names == ["appeal_window", "follow_up_3m", "follow_up_6m", "follow_up_12m"]
    assert deadlines(number, "answer")[0][2] == "met"
    assert notices(number, "answer") == [(b.filer, "kk")]
    assert "reorganisation" in body_of(number, "answer")
    # the sweep does not close a restoration case after the appeal window
    window = deadlines(number, "appeal_window")[0][1]
    after = (D(window) + dt.timedelta(days=1)).isoformat()
    swept = sweep.sweep(at(after))
    assert swept["errors"] == [] and swept["closed"] == 0
    assert show(number)["status"] == "answered"
    # the 3-month check is missed by the sweep; it can still be recorded, late
    done = act(
        number,
        "follow_up",
        b.commissioner,
        after,
        {"retaliation": "no", "reason": "no pressure found"},
    )
    assert done["notes"]["follow_up"] == "follow_up_3m"
    assert deadlines(number, "appeal_window")[0][2] == "met"


# --- accept: category from the policy, retaliation needs a link --------------------------------


def test_retaliation_needs_a_link_then_is_accepted(home: Path) -> None:
    b = People()
    earlier = file_complaint(b.body, "2026-10-01")["number"]
    number = file_request(b)
    values = {"category": "retaliation", "risk": "high", "reason": "moved after the complaint"}
    refused(
        number,
        InvalidInput,
        r"--set category: retaliation needs the request linked to the earlier case .*"
        r"`link` action \(--set related=NUMBER\)",
        lambda: act(number, "accept", b.commissioner, ACCEPTED, values),
    )
    later = file_request(b, "2026-11-03")
    for error, related, match in [
        (NotFound, "XX-2026-00001", "--set related: no case XX-2026-00001"),
        (InvalidInput, number, f"--set related: {number} is this case"),
        (InvalidInput, later, f"--set related: {later} was received after {number}"),
    ]:
        refused(
            number,
            error,
            match,
            lambda r=related: act(number, "link", b.commissioner, ACCEPTED, {"related": r}),
        )
    linked = act(number, "link", b.commissioner, ACCEPTED, {"related": earlier.lower()})
    assert linked["status"] == "triage" and linked["notes"] == {"related": earlier}
    assert show(number)["related"] == [{"number": earlier, "direction": "to"}]
    assert {"number": number, "direction": "from"} in show(earlier)["related"]
    refused(
        number,
        Conflict,
        "already linked",
        lambda: act(number, "link", b.commissioner, ACCEPTED, {"related": earlier}),
    )
    assert act(number, "accept", b.commissioner, ACCEPTED, values)["status"] == "inquiry"
    assert show(number)["category"] == "retaliation"


def test_filed_with_related_is_accepted_as_retaliation(home: Path) -> None:
    b = People()
    earlier = file_complaint(b.body, "2026-10-01")["number"]
    number = file_request(b, related=earlier)
    assert accept(b, number, category="retaliation")["status"] == "inquiry"


def test_categories_come_from_the_policy(home: Path) -> None:
    fields = {f["name"]: f for f in describe(AcceptRestoration)}
    assert fields["category"]["choices"] == list(POLICY.restoration.categories)
    assert list(POLICY.restoration.categories) == [
        "pressure",
        "unlawful_order",
        "discrimination",
        "retaliation",
        "obstruction",
        "harassment",
        "other",
    ]
    assert fields["reason"]["required"] is True


# --- the sweep: measure reminders -------------------------------------------------------------


def test_sweep_reminds_the_person_responsible(home: Path) -> None:
    b = People()
    number = in_progress(b)
    # measure 2 is due Wed 18 November: 3 working days before is Fri 13 November
    swept = sweep.sweep(at("2026-11-13"))
    assert swept["errors"] == []
    assert notices(number, "measure_reminder") == [(b.manager, "ru")]
    reminded = [r for r, _ in notices(number, "reminder")]
    assert b.manager not in reminded and b.commissioner not in reminded
    sweep.sweep(at("2026-11-13", "16:00"))  # the same day again: nothing new
    assert notices(number, "measure_reminder") == [(b.manager, "ru")]
    sweep.sweep(at("2026-11-17"))  # one working day before
    assert notices(number, "measure_reminder") == [(b.manager, "ru"), (b.manager, "ru")]
    assert "остался 1 рабочий день" in body_of(number, "measure_reminder")
