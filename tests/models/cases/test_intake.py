"""Filing a case: numbering, idempotency, registration date, assignment, anonymity, import."""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from ethicsflow.app.errors import message as said
from ethicsflow.models.cases import operations, views
from ethicsflow.models.cases.intake import new_receipt_code
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ACTOR, InvalidInput, NotFound, from_dict, key
from tests.support import factories as f
from tests.support.cases import (
    SUMMARY,
    act,
    all_text,
    deadlines,
    file_complaint,
    history,
    row_counts,
    show,
)

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0, O, 1, I: easy to read out


def seq(number: str) -> int:
    return int(number.rsplit("-", 1)[1])


# --- numbering --------------------------------------------------------------------------


def test_file_numbers_org_year_and_five_digit_sequence(home: Path) -> None:
    b = f.body()
    number = file_complaint(b, "2025-03-17")["number"]
    assert re.fullmatch(rf"{b.code}-2025-\d{{5}}", number)
    assert number == f"{b.code}-2025-00001"


def test_file_numbers_gap_free_per_organization(home: Path) -> None:
    a, b = f.body(), f.body()
    numbers = [file_complaint(x, "2025-03-17")["number"] for x in (a, b, a, a, b, a)]
    assert numbers == [
        f"{a.code}-2025-00001",
        f"{b.code}-2025-00001",
        f"{a.code}-2025-00002",
        f"{a.code}-2025-00003",
        f"{b.code}-2025-00002",
        f"{a.code}-2025-00004",
    ]


def test_file_numbers_restart_with_the_registration_year(home: Path) -> None:
    b = f.body()
    last_of_2025 = file_complaint(b, "2025-12-31")
    # received on New Year's Day (a holiday): registered Mon 5 January 2026, numbered in 2026
    new_year = file_complaint(b, "2026-01-01")
    next_one = file_complaint(b, "2026-01-05")
    late_2025 = file_complaint(b, "2025-12-30")
    assert last_of_2025["number"] == f"{b.code}-2025-00001"
    assert (new_year["number"], new_year["registered_on"]) == (f"{b.code}-2026-00001", "2026-01-05")
    assert next_one["number"] == f"{b.code}-2026-00002"
    assert late_2025["number"] == f"{b.code}-2025-00002"


def test_file_failed_filing_consumes_no_number(home: Path) -> None:
    b = f.body()
    file_complaint(b, "2025-03-17")
    rows = row_counts()
    with pytest.raises(NotFound) as missing:
        file_complaint(b, "2025-03-17", by="nobody@example.kz")
    assert said(missing.value).startswith("--by: no person with e-mail nobody@example.kz")
    with pytest.raises(NotFound) as unrelated:
        file_complaint(b, "2025-03-17", related=f"{b.code}-2025-00099")
    assert re.search("--related: no case", said(unrelated.value))
    with pytest.raises(InvalidInput) as later:
        file_complaint(b, "2025-03-17", committed_on="2025-03-18")
    assert re.search("--committed-on: the conduct cannot come after", said(later.value))
    assert row_counts() == rows
    assert file_complaint(b, "2025-03-17")["number"] == f"{b.code}-2025-00002"


INVALID_FILINGS: list[tuple[dict[str, Any], str]] = [
    ({"org": "NOSUCHORG"}, "--org: no organization NOSUCHORG"),
    ({"kind": "grievance"}, "--kind: "),
    ({"summary": "too short"}, "--summary: "),
    ({"by": "not-an-email"}, "--by: .*must be an e-mail address"),
    ({"received_at": "2025-03-17T10:00:00"}, "--received-at: .*UTC offset"),
    ({"received_at": "2099-01-05T10:00:00+05:00"}, "--received-at: lies in the future"),
    ({"by": None}, "--by: required"),
    ({"anonymous": True}, "--by: an anonymous filing names no filer"),
    ({"colour": "red"}, "--colour: Extra inputs are not permitted"),
]


def test_file_refuses_invalid_input_and_writes_nothing(home: Path) -> None:
    b = f.body()
    rows = row_counts()
    for values, message in INVALID_FILINGS:
        data = {
            "kind": "complaint",
            "org": b.code,
            "by": b.filer,
            "summary": SUMMARY,
            "received_at": "2025-03-17T10:00:00+05:00",
            **values,
        }
        with pytest.raises(InvalidInput) as refused:
            operations.file_one({k: v for k, v in data.items() if v is not None})
        assert re.search(message, said(refused.value)), said(refused.value)
    assert row_counts() == rows


# --- idempotency ------------------------------------------------------------------------


def test_file_same_key_returns_same_case_and_writes_nothing(home: Path) -> None:
    b = f.body()
    key = f"mail-{f.uid()}"
    first = file_complaint(b, "2025-03-17", key=key)
    rows = row_counts()
    again = file_complaint(b, "2025-03-18", key=key, summary="A different text, same key")
    assert row_counts() == rows
    assert first["created"] is True and again["created"] is False
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in first.items() if k != "created"
    }
    assert file_complaint(b, "2025-03-17")["number"] == f"{b.code}-2025-00002"


def test_file_same_key_gives_anonymous_receipt_only_once(home: Path) -> None:
    b = f.body()
    key = f"web-{f.uid()}"
    first = file_complaint(b, "2025-03-17", by=None, anonymous=True, key=key)
    again = file_complaint(b, "2025-03-17", by=None, anonymous=True, key=key)
    assert first["receipt_code"]
    assert "receipt_code" not in again
    assert again["number"] == first["number"]


# --- receipt and registration -----------------------------------------------------------


def test_file_on_saturday_registers_monday_and_counts_from_receipt(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-15")  # Saturday
    assert filed["registered_on"] == "2025-03-17"
    view = show(filed["number"])
    assert view["received_at"] == "2025-03-15T05:00:00+00:00"
    # 15 working days from Saturday: 17-20, (Nauryz 21-25), 26-28, 31 Mar-4 Apr, 7-9
    # (counted from Monday's registration it would be 10 April)
    assert deadlines(filed["number"]) == [
        ("answer", "2025-04-09", "open"),
        ("forward", "2025-03-19", "open"),
    ]


def test_file_in_the_evening_uses_the_local_day(home: Path) -> None:
    b = f.body()
    # 20:30 UTC on Thursday 20 March is 01:30 on Friday 21 March (Nauryz) in Almaty
    filed = file_complaint(b, "2025-03-20", received_at="2025-03-20T20:30:00+00:00")
    assert filed["registered_on"] == "2025-03-26"
    assert show(filed["number"])["received_at"] == "2025-03-20T20:30:00+00:00"


def test_file_records_parties_and_the_filing_event(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-17")
    view = show(filed["number"])
    assert sorted((p["role"], p["email"]) for p in view["parties"]) == [
        ("complainant", b.filer),
        ("respondent", b.respondent),
    ]
    events = history(filed["number"], verify=True)
    assert events["verified"] is True
    assert [(e["action"], e["from"], e["to"]) for e in events["events"]] == [
        ("file", None, "registered"),
        ("assign", "registered", "triage"),
    ]
    assert events["events"][0]["payload"]["deadlines"][0] == {
        "deadline": "answer",
        "due": "2025-04-10",
        "rule": "rules.answer",
        "policy_version": view["deadlines"][0]["policy_version"],
    }


def test_file_respondent_may_be_unknown_person(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-17", against="stranger@example.kz")
    assert filed["status"] == "triage"
    assert ("respondent", "stranger@example.kz") in [
        (p["role"], p["email"]) for p in show(filed["number"])["parties"]
    ]


def test_file_links_related_case_both_ways(home: Path) -> None:
    b = f.body()
    first = file_complaint(b, "2025-03-17")["number"]
    second = file_complaint(b, "2025-03-18", related=first.lower())["number"]
    assert show(second)["related"] == [{"number": first, "direction": "to"}]
    assert show(first)["related"] == [{"number": second, "direction": "from"}]


# --- assignment -------------------------------------------------------------------------


def commissioners(code: str, *names: str) -> list[str]:
    """Commissioners whose e-mails sort in the order given."""
    tag = f.uid()
    return [f.person(code, "commissioner", email=f"{n}-{tag}@example.kz") for n in names]


def test_assign_picks_least_loaded_then_first_email(home: Path) -> None:
    code = f.org()
    filer, respondent = f.person(code), f.person(code)
    a, b_, c = commissioners(code, "a", "b", "c")
    body = f.Body(code, a, f.person(code, "head"), filer, respondent)
    got = [file_complaint(body, "2025-03-17")["assignee"] for _ in range(4)]
    assert got == [a, b_, c, a]
    # b's case ends: b is now the least loaded
    number = f"{code}-2025-00002"
    act(number, "dismiss", b_, "2025-03-18", {"ground": "no_substance", "reason": "nothing"})
    assert file_complaint(body, "2025-03-17")["assignee"] == b_


def test_assign_states_the_reason_in_the_audit_event(home: Path) -> None:
    code = f.org()
    a, b_ = commissioners(code, "a", "b")
    body = f.Body(code, a, f.person(code, "head"), f.person(code), b_)
    number = file_complaint(body, "2025-03-17")["number"]
    assign = history(number)["events"][1]
    assert assign["action"] == "assign"
    assert assign["payload"] == {
        "assignee": a,
        "reason": "least-loaded eligible commissioner (0 open cases of 1 eligible);"
        f" excluded: {b_} is the respondent",
    }
    assert show(number)["assignment_note"] == assign["payload"]["reason"]


def test_assign_counts_only_open_cases_of_every_kind(home: Path) -> None:
    code = f.org()
    a, b_ = commissioners(code, "a", "b")
    body = f.Body(code, a, f.person(code, "head"), f.person(code), f.person(code))
    no_substance = {"ground": "no_substance", "reason": "nothing to examine"}
    first = file_complaint(body, "2025-03-17")["number"]
    act(first, "dismiss", a, "2025-03-18", no_substance)
    second = file_complaint(body, "2025-03-17")
    assert second["assignee"] == a  # 0 open each: the first e-mail
    assert file_complaint(body, "2025-03-17")["assignee"] == b_
    act(second["number"], "dismiss", a, "2025-03-18", no_substance)
    # a: two closed complaints, b: one open; closed complaints are no load for any kind
    assert file_complaint(body, "2025-03-17")["assignee"] == a
    act(f"{code}-2025-00004", "dismiss", a, "2025-03-18", no_substance)
    assert file_complaint(body, "2025-03-17", kind="restoration")["assignee"] == a


@pytest.mark.parametrize(
    "conflict",
    ["complainant", "respondent", "respondent_manager", "reports_to_respondent"],
)
def test_assign_excludes_commissioner_with_conflict(home: Path, conflict: str) -> None:
    code = f.org()
    tag = f.uid()
    first = f"a-{tag}@example.kz"  # wins every tie unless excluded
    if conflict == "reports_to_respondent":
        respondent = f.person(code)
        f.person(code, "commissioner", email=first, manager=respondent)
    else:
        f.person(code, "commissioner", email=first)
        manager = first if conflict == "respondent_manager" else None
        respondent = f.person(code, manager=manager)
    second = f.person(code, "commissioner", email=f"b-{tag}@example.kz")
    body = f.Body(code, first, f.person(code, "head"), f.person(code), respondent)
    values = {"complainant": {"by": first}, "respondent": {"against": first}}.get(conflict, {})
    filed = file_complaint(body, "2025-03-17", **values)
    assert filed["assignee"] == second
    why = {
        "complainant": "is the complainant",
        "respondent": "is the respondent",
        "respondent_manager": "is the respondent's line manager",
        "reports_to_respondent": "reports to the respondent",
    }[conflict]
    reason = history(filed["number"])["events"][1]["payload"]["reason"]
    assert reason.endswith(f"excluded: {first} {why}")


def test_assign_none_eligible_leaves_case_registered(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-17", against=b.commissioner)
    assert (filed["status"], filed["assignee"]) == ("registered", None)
    view = show(filed["number"])
    assert (view["status"], view["assignee"]) == ("registered", None)
    assert view["assignment_note"] == (
        f"no commissioner without a conflict of interest: {b.commissioner} is the respondent"
    )
    assert view["allowed_actions"] == ["assign"]
    assert [e["action"] for e in history(filed["number"])["events"]] == ["file"]


def test_assign_none_when_organization_has_no_commissioner(home: Path) -> None:
    code = f.org()
    body = f.Body(code, "", f.person(code, "head"), f.person(code), f.person(code))
    filed = file_complaint(body, "2025-03-17")
    assert filed["status"] == "registered"
    assert show(filed["number"])["assignment_note"] == "the organization has no commissioner"


def test_assign_considers_only_commissioners_of_the_organization(home: Path) -> None:
    other = f.body()
    code = f.org()
    body = f.Body(code, "", f.person(code, "head"), f.person(code), f.person(code))
    assert file_complaint(body, "2025-03-17")["assignee"] is None
    assert other.commissioner not in show(f"{code}-2025-00001")["assignment_note"]


# --- missing requisites (APPK Art. 63) --------------------------------------------------


def test_file_without_requisites_is_registered_then_returned(home: Path) -> None:
    b = f.body()
    filer = f.person(b.code, iin=None)
    filed = file_complaint(b, "2025-03-17", by=filer)
    assert (filed["status"], filed["assignee"]) == ("triage", b.commissioner)
    number = filed["number"]
    assert show(number)["missing_requisites"] == ["iin_or_address"]
    act(number, "request_correction", b.commissioner, "2025-03-18", {"missing": "iin_or_address"})
    act(number, "return", b.commissioner, "2025-03-31", {"reason": "the details never came"})
    assert show(number)["status"] == "returned"


def test_file_with_requisites_lists_none_missing(home: Path) -> None:
    b = f.body()
    assert show(file_complaint(b, "2025-03-17")["number"])["missing_requisites"] == []


# --- anonymous filings ------------------------------------------------------------------


def test_new_receipt_code_has_at_least_80_bits() -> None:
    codes = {new_receipt_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        symbols = code.replace("-", "")
        assert set(symbols) <= set(RECEIPT_ALPHABET)
        assert len(symbols) * math.log2(len(RECEIPT_ALPHABET)) >= 80
    # every symbol is used: the code draws from the whole alphabet
    assert set("".join(codes).replace("-", "")) == set(RECEIPT_ALPHABET)


def test_file_anonymous_stores_only_the_receipt_hash(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-17", by=None, anonymous=True)
    code = filed["receipt_code"]
    with session_scope() as session:
        case = session.exec(select(Case).where(Case.number == filed["number"])).one()
        assert case.receipt_hash == hashlib.sha256(code.encode()).hexdigest()
    texts = all_text()
    for needle in (code, code.replace("-", ""), code.lower()):
        assert not [t for t in texts if needle in t], needle
    assert [p["role"] for p in show(filed["number"])["parties"]] == ["respondent"]
    assert history(filed["number"])["events"][0]["actor"] == "anonymous"


def test_status_by_receipt_shows_status_and_next_deadline_only(home: Path) -> None:
    b = f.body()
    filed = file_complaint(b, "2025-03-17", by=None, anonymous=True)
    with session_scope() as session:
        status = views.status_by_receipt(session, f"  {filed['receipt_code'].lower()} ")
    assert status == {
        "number": filed["number"],
        "status": "triage",
        "registered_on": "2025-03-17",
        "next_deadline": {"name": "answer", "due": "2025-04-10"},
    }
    text = str(status)
    for personal in (b.commissioner, b.respondent, SUMMARY, "@"):
        assert personal not in text
    values = {"ground": "anonymous", "reason": "no crime reported"}
    act(filed["number"], "dismiss", b.commissioner, "2025-03-18", values)
    with session_scope() as session:
        status = views.status_by_receipt(session, filed["receipt_code"])
    assert (status["status"], status["next_deadline"]) == ("closed", None)


def test_status_by_receipt_refuses_unknown_code(home: Path) -> None:
    b = f.body()
    file_complaint(b, "2025-03-17", by=None, anonymous=True)
    for code, error, message in [
        ("", InvalidInput, "--receipt: not a receipt code"),
        ("ABC", InvalidInput, "--receipt: not a receipt code"),
        ("ABCDE-FGHJK-LMNPQ-RSTUV", NotFound, "--receipt: no case with this receipt code"),
    ]:
        with session_scope() as session, pytest.raises(error) as refused:
            views.status_by_receipt(session, code)
        assert re.search(message, said(refused.value))


# --- import -----------------------------------------------------------------------------


def test_import_files_good_rows_and_reports_bad_ones(home: Path) -> None:
    b = f.body()
    tag = f.uid()

    def row(n: int, **values: Any) -> dict[str, Any]:
        return {
            "kind": "complaint",
            "org": b.code,
            "by": b.filer,
            "against": b.respondent,
            "summary": SUMMARY,
            "received_at": "2025-03-17T10:00:00+05:00",
            "key": f"{tag}-{n}",
            **values,
        }

    rows: list[tuple[int, dict[str, Any] | str]] = [
        (1, row(1)),
        (2, "line 2: not valid JSON"),
        (3, row(3, org="NOSUCHORG")),
        (4, row(4, by="nobody@example.kz")),
        (5, row(5, kind="restoration")),
        (6, row(6, summary="short")),
        (7, row(7, by=None, anonymous=True)),
        (8, row(1)),  # the same key again within the file
    ]
    report = operations.import_rows(rows, now=None, batch=3).as_dict()
    assert (report["filed"], report["existing"], report["failed"]) == (3, 1, 4)
    assert [e["line"] for e in report["errors"]] == [2, 3, 4, 6]
    # each row's error travels as data; the CLI words it
    errors = [said(from_dict(e["error"])) for e in report["errors"]]
    assert errors[0] == "line 2: not valid JSON"
    assert "--org: no organization NOSUCHORG" in errors[1]
    assert "--by: no person" in errors[2]
    assert errors[3].startswith("--summary: ")
    numbers = {c["line"]: c["number"] for c in report["cases"]}
    assert numbers == {
        1: f"{b.code}-2025-00001",
        5: f"{b.code}-2025-00002",
        7: f"{b.code}-2025-00003",
        8: f"{b.code}-2025-00001",
    }
    assert [c["line"] for c in report["cases"] if "receipt_code" in c] == [7]

    rows_before = row_counts()
    again = operations.import_rows(rows).as_dict()
    assert (again["filed"], again["existing"], again["failed"]) == (0, 4, 4)
    assert row_counts() == rows_before
    assert file_complaint(b, "2025-03-17")["number"] == f"{b.code}-2025-00004"


def test_import_reports_progress_per_batch(home: Path) -> None:
    b = f.body()
    seen: list[int] = []
    rows: list[tuple[int, dict[str, Any] | str]] = [
        (n, {"kind": "complaint", "org": b.code, "by": b.filer, "summary": SUMMARY})
        for n in range(1, 6)
    ]
    report = operations.import_rows(rows, batch=2, progress=seen.append)
    assert seen == [2, 2, 1]
    assert sorted(seq(c["number"]) for c in report.filed) == [1, 2, 3, 4, 5]


def test_an_errors_str_and_repr_leave_out_e_mails_and_iins_its_message_keeps_them() -> None:
    # str()/repr() are what Prefect stores of a failed flow run (fields by their plain
    # names); the line the CLI prints keeps them.
    error = NotFound("person.not_found", ACTOR, email="Nobody.Here@example.kz (IIN 900101300123)")
    assert said(error) == "--by: no person with e-mail Nobody.Here@example.kz (IIN 900101300123)"
    assert str(error) == "by: no person with e-mail <e-mail> (IIN <IIN>)"
    assert repr(error) == "NotFound('by: no person with e-mail <e-mail> (IIN <IIN>)')"
    no_case = NotFound("case.not_found", key("number"), number="MF-2026-00001")
    assert str(no_case) == "number: no case MF-2026-00001"
    assert said(no_case) == "NUMBER: no case MF-2026-00001"
