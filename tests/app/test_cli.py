"""The command-line contract (DESIGN §5), through the installed `ethicsflow` executable.

Each test runs real processes against the session's Prefect server (``conftest.py``).
Set-up data is written in-process with the factories (fast); what is under test
always goes through the executable. Several commands are grouped per test: a
write command costs ~2 s, a read ~0.8 s.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer

from ethicsflow.app.cli import app
from ethicsflow.models.cases import operations, views
from ethicsflow.models.db import session_scope
from tests.support import factories
from tests.support.cli import Cli, PrefectServer, cli_environment, free_port

ROOT = Path(__file__).resolve().parents[2]
SUMMARY = "Rude and humiliating remarks at a staff meeting"
SHOW_KEYS = {
    "number",
    "kind",
    "status",
    "org",
    "assignee",
    "received_at",
    "registered_on",
    "deadlines",
    "allowed_actions",
    "version",
}
TRIAGE_ACTIONS = "assign, accept, forward, dismiss, request_correction"

# Commands this module runs with --json (test_every_json_command_is_exercised keeps it true).
JSON_EXERCISED = {
    "init",
    "org add",
    "person add",
    "case file",
    "case import",
    "case show",
    "case status",
    "case list",
    "case actions",
    "case act",
    "case history",
    "stop",
    "policy show",
    "policy apply",
    "sweep",
    "notify dispatch",
    "notify list",
    "notify retry",
    # tests/app/test_cli_board.py
    "board add",
    "board member add",
    "board list",
    "doc render",
    "doc list",
    "templates check",
    # tests/app/test_cli_restoration.py
    "case rate",
    "report restoration",
    # tests/app/test_serve.py
    "status",
    # tests/app/test_cli_backup.py
    "backup",
    "restore",
    # tests/app/test_cli_accounts.py
    "account set-password",
    "account invite",
    "token create",
    "token list",
    "token revoke",
}

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def snapshot(cli: Cli, *numbers: str) -> Any:
    """Everything a write could change, as the CLI shows it (`case list/show/history`)."""
    return (
        cli.json("case", "list"),
        [(cli.json("case", "show", n), cli.json("case", "history", n)) for n in numbers],
    )


def read(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """The read model the CLI prints, read in-process (milliseconds instead of ~0.8 s)."""
    with session_scope() as session:
        return json.loads(json.dumps(fn(session, *args, **kwargs), default=str))


def db_snapshot(*numbers: str) -> Any:
    """What `snapshot` shows, read in-process."""
    return (
        read(views.list_cases),
        [(read(views.case_view, n), read(views.history, n)) for n in numbers],
    )


def file_args(b: factories.Body, *extra: str) -> list[str]:
    return ["case", "file", "--kind", "complaint", "--org", b.code, "--by", b.filer,
            "--summary", SUMMARY, *extra]  # fmt: skip


# --- writes, reads and refusals: SQLite and PostgreSQL -------------------------------


def test_file_act_show_and_refusals_follow_the_contract(cli: Cli) -> None:
    init = cli.json("init")
    assert init["revision"] and set(init) >= {"database", "revision", "home"}

    code = f"CLI{factories.uid().upper()[:6]}"
    org = cli.json("org", "add", code, "--name", "Ministry of Tests", "--region", "Astana")
    assert org == {"code": code, "name": "Ministry of Tests", "region": "Astana", "parent": None}
    commissioner = f"c{factories.uid()}@example.kz"
    person = cli.json(
        "person", "add", commissioner, "--name", "A Commissioner", "--org", code,
        "--role", "commissioner", "--language", "kk",
    )  # fmt: skip
    assert (person["email"], person["roles"]) == (commissioner, ["commissioner"])
    filer, respondent = factories.person(code), factories.person(code)

    filed = cli.json(
        "case", "file", "--kind", "complaint", "--org", code, "--by", filer,
        "--against", respondent, "--summary", SUMMARY,
        "--received-at", "2025-03-03T10:00:00+05:00",
    )  # fmt: skip
    number = filed["number"]
    assert number == f"{code}-2025-00001"  # the year of registration, not of today
    assert (filed["created"], filed["status"], filed["assignee"]) == (True, "triage", commissioner)

    shown = cli.json("case", "show", number)
    assert set(shown) >= SHOW_KEYS
    assert (shown["kind"], shown["org"], shown["assignee"]) == ("complaint", code, commissioner)
    assert shown["received_at"] == "2025-03-03T05:00:00+00:00"
    assert shown["registered_on"] == "2025-03-03"
    assert [{k: d[k] for k in ("name", "due", "status")} for d in shown["deadlines"]] == filed[
        "deadlines"
    ]
    assert {d["name"] for d in shown["deadlines"]} == {"answer", "forward"}
    assert ", ".join(shown["allowed_actions"]) == TRIAGE_ACTIONS
    version = shown["version"]
    assert isinstance(version, int)

    before = snapshot(cli, number)
    not_allowed = cli.fails(
        2, "case", "act", number, "refer_to_board", "--by", commissioner, "--reason", "materials"
    )
    assert "not allowed from status triage" in not_allowed
    assert f"allowed now: {TRIAGE_ACTIONS}" in not_allowed
    assert "may not" in cli.fails(4, "case", "act", number, "accept", "--by", filer)
    stale = cli.fails(
        3, "case", "act", number, "accept", "--by", commissioner, "--if-version", str(version - 1)
    )
    assert f"version {version}" in stale
    assert "already exists" in cli.fails(3, "org", "add", code, "--name", "Again")
    assert "--kind" in cli.fails(
        2, "case", "file", "--kind", "other", "--org", code, "--by", filer, "--summary", SUMMARY
    )
    assert snapshot(cli, number) == before

    acted = cli.json(
        "case", "act", number, "accept", "--by", commissioner, "--if-version", str(version)
    )
    assert (acted["from"], acted["status"], acted["version"]) == (
        "triage",
        "under_review",
        version + 1,
    )
    after = cli.json("case", "show", number)
    assert (after["status"], after["version"]) == ("under_review", version + 1)
    assert "forward" not in [d["name"] for d in after["deadlines"] if d["status"] == "open"]
    text = cli.ok("case", "show", number).out
    assert number in text and "under_review" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


# --- reads ---------------------------------------------------------------------------


@sqlite_only
def test_read_commands_print_one_json_document_each(cli: Cli) -> None:
    b = factories.body()
    two_months_ago = (datetime.now(UTC) - timedelta(days=60)).isoformat()
    late = factories.complaint(b, received_at=two_months_ago)["number"]
    fresh = factories.complaint(b)["number"]
    operations.act(fresh, "accept", b.commissioner, {})

    page = cli.json("case", "list", "--org", b.code)
    assert (page["total"], page["page"], page["per_page"]) == (2, 1, 50)
    listed = page["items"]
    assert [r["number"] for r in listed] == [late, fresh]
    assert set(listed[0]) >= {"number", "kind", "status", "org", "assignee", "next_deadline"}
    assert [r["number"] for r in cli.json("case", "list", "--status", "triage")["items"]] == [late]
    assert cli.json("case", "list", "--assignee", b.commissioner)["total"] == 2
    assert [r["number"] for r in cli.json("case", "list", "--overdue")["items"]] == [late]
    assert "--org" in cli.fails(2, "case", "list", "--org", "NOSUCHORG", "--json")
    second = cli.json("case", "list", "--org", b.code, "--per-page", "1", "--page", "2")
    assert [r["number"] for r in second["items"]] == [fresh] and second["total"] == 2
    text = cli.ok("case", "list", "--org", b.code, "--per-page", "1").out.splitlines()
    assert text[0].startswith(late) and text[-1] == "1–1 of 2 (next: --page 2)"
    by_due = cli.json("case", "list", "--org", b.code, "--sort", "due")["items"]
    assert [r["number"] for r in by_due] == [late, fresh]  # the late one's deadline is nearer
    assert "--per-page" in cli.fails(2, "case", "list", "--per-page", "500")

    actions = cli.json("case", "actions", late)
    assert ", ".join(a["name"] for a in actions["actions"]) == TRIAGE_ACTIONS
    for action in actions["actions"]:
        for field in action["fields"]:
            assert set(field) >= {"name", "type", "required", "description"}
            assert field["description"]
    request = next(a for a in actions["actions"] if a["name"] == "request_correction")
    assert {k: request["fields"][0][k] for k in ("name", "type", "required")} == {
        "name": "missing",
        "type": "list",
        "required": True,
    }

    log = cli.json("case", "history", fresh)
    assert log["number"] == fresh
    assert [e["action"] for e in log["events"]] == ["file", "assign", "accept"]
    assert "verified" not in log
    assert "NUMBER" in cli.fails(2, "case", "show", "NOSUCH-2025-00001", "--json")


@sqlite_only
def test_case_file_confidential_reaches_the_case_and_the_operator_reads_all(
    cli: Cli, tmp_path: Path
) -> None:
    b = factories.body()
    filed = cli.json(*file_args(b, "--confidential", "--against", b.respondent, "--json"))
    shown = cli.json("case", "show", filed["number"])
    assert shown["confidential"] is True
    assert {p["email"] for p in shown["parties"]} == {b.filer, b.respondent}  # no viewer
    assert cli.json("case", "history", filed["number"])["events"][0]["actor"] == b.filer
    plain = cli.json(*file_args(b, "--json"))
    assert read(views.case_view, plain["number"])["confidential"] is False

    csv_file = tmp_path / "cases.csv"
    csv_file.write_text(
        "kind,org,by,summary,confidential\n"
        f"complaint,{b.code},{b.filer},{SUMMARY},yes\n"
        f"complaint,{b.code},{b.filer},{SUMMARY},maybe\n",
        encoding="utf-8",
    )
    report = cli.run("case", "import", csv_file, "--json").json()
    assert report["filed"] == 1 and "confidential" in json.dumps(report["errors"])
    assert read(views.case_view, report["cases"][0]["number"])["confidential"] is True


# --- invalid input: exit 2, naming the field; nothing written ------------------------


@sqlite_only
def test_invalid_input_exits_2_naming_the_field_and_writes_nothing(cli: Cli) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    before = db_snapshot(number)

    assert "--received-at" in cli.fails(2, *file_args(b, "--received-at", "nonsense"))
    assert "--received-at" in cli.fails(
        2, *file_args(b, "--received-at", "2999-01-01T10:00:00+05:00")
    )
    assert "--org" in cli.fails(
        2, "case", "file", "--kind", "complaint", "--org", "NOSUCHORG", "--by", b.filer,
        "--summary", SUMMARY, "--json",
    )  # fmt: skip
    assert "--by" in cli.fails(2, *file_args(b, "--anonymous"))
    assert "--summary" in cli.fails(
        2, "case", "file", "--kind", "complaint", "--org", b.code, "--by", b.filer,
        "--summary", "short",
    )  # fmt: skip
    unknown = cli.fails(2, "case", "act", number, "bogus", "--by", b.commissioner)
    assert "unknown action" in unknown and TRIAGE_ACTIONS in unknown
    field = cli.fails(2, "case", "act", number, "accept", "--by", b.commissioner, "--set", "x=1")
    assert "--set x: unknown field" in field and "committed_on" in field
    assert "--notify" in cli.fails(
        2, "person", "add", "x@example.kz", "--name", "X", "--org", b.code, "--notify", "nope"
    )
    # Usage errors of the parser speak the same language.
    assert "--name" in cli.fails(2, "org", "add", "NEWORG")
    assert "--if-version" in cli.fails(
        2, "case", "act", number, "accept", "--by", b.commissioner, "--if-version", "abc"
    )
    assert "bogus" in cli.fails(2, "bogus")

    assert db_snapshot(number) == before


@sqlite_only
def test_unreachable_prefect_is_one_error_line_and_writes_nothing(cli: Cli) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    before = db_snapshot(number)
    offline = Cli(env=cli.env | {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"},
                  cwd=cli.cwd)  # fmt: skip

    message = offline.fails(1, "case", "act", number, "accept", "--by", b.commissioner)

    assert "PREFECT_API_URL" in message
    assert db_snapshot(number) == before


# --- case act --set parsing ----------------------------------------------------------


@sqlite_only
def test_case_act_set_reads_dates_lists_json_and_files(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    numbers = [factories.complaint(b)["number"] for _ in range(4)]
    note = tmp_path / "note.txt"
    note.write_text("Please give your IIN and postal address.\n", encoding="utf-8")
    missing = tmp_path / "missing.json"
    missing.write_text('["iin", "address"]', encoding="utf-8")
    restoration = operations.file_one(
        {"kind": "restoration", "org": b.code, "by": b.filer, "summary": SUMMARY}
    )["number"]

    def last_payload(number: str, *keys: str) -> dict[str, Any]:
        payload = read(views.history, number)["events"][-1]["payload"]
        return {k: payload.get(k) for k in keys}

    act = ("case", "act")
    by = ("--by", b.commissioner)
    cli.ok(*act, numbers[0], "request_correction", *by,
           "--set", "missing=iin, postal address", "--set", f"reason=@{note}")  # fmt: skip
    assert last_payload(numbers[0], "missing", "reason") == {
        "missing": ["iin", "postal address"],
        "reason": "Please give your IIN and postal address.",
    }
    cli.ok(*act, numbers[1], "request_correction", *by,
           "--set", 'missing=["iin", "address, with a comma"]')  # fmt: skip
    assert last_payload(numbers[1], "missing")["missing"] == ["iin", "address, with a comma"]
    cli.ok(*act, numbers[2], "request_correction", *by, "--set", f"missing=@{missing}")
    assert last_payload(numbers[2], "missing")["missing"] == ["iin", "address"]
    dated = ("--set", "committed_on=2025-01-10", "--set", "offence_category=discrediting")
    cli.ok(*act, numbers[3], "accept", *by, *dated)
    shown = read(views.case_view, numbers[3])
    assert (shown["committed_on"], shown["offence_category"]) == ("2025-01-10", "discrediting")
    assert shown["limitation_date"]
    accepted = cli.json(*act, restoration, "accept", *by,
                        "--set", "category=pressure", "--set", "risk=high",
                        "--reason", "Pressure from the head after the audit")  # fmt: skip
    assert accepted["status"] == "inquiry"
    assert last_payload(restoration, "category", "risk") == {"category": "pressure", "risk": "high"}

    fresh = factories.complaint(b)["number"]
    fresh_restoration = operations.file_one(
        {"kind": "restoration", "org": b.code, "by": b.filer, "summary": SUMMARY}
    )["number"]
    before = db_snapshot(fresh, fresh_restoration)
    assert "KEY=VALUE" in cli.fails(2, *act, fresh, "accept", *by, "--set", "x")
    assert "--set committed_on" in cli.fails(
        2, *act, fresh, "accept", *by, "--set", "committed_on=2025-02-30"
    )
    assert "--set missing: value is not valid JSON" in cli.fails(
        2, *act, fresh, "request_correction", *by, "--set", "missing=[1,"
    )
    assert "cannot read" in cli.fails(
        2, *act, fresh, "request_correction", *by, "--set", f"missing=@{tmp_path / 'none.json'}"
    )
    risky = ("--set", "category=pressure", "--set", "risk=huge")
    assert "--set risk" in cli.fails(2, *act, fresh_restoration, "accept", *by, *risky)
    assert "given twice" in cli.fails(
        2, *act, fresh, "dismiss", *by, "--set", "reason=a b c", "--reason", "d e f"
    )
    assert db_snapshot(fresh, fresh_restoration) == before


# --- case import ---------------------------------------------------------------------


@sqlite_only
def test_case_import_reports_each_row_and_reimport_is_a_no_op(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    rows = [
        {"kind": "complaint", "org": b.code, "by": b.filer, "against": b.respondent,
         "summary": SUMMARY, "key": f"{b.code}-1"},
        {"kind": "restoration", "org": b.code, "by": b.filer, "summary": SUMMARY,
         "received_at": "2025-03-03T10:00:00+05:00", "key": f"{b.code}-2"},
        None,  # a blank line: skipped, line numbers stay those of the file
        {"kind": "complaint", "org": "NOSUCHORG", "by": b.filer, "summary": SUMMARY,
         "key": f"{b.code}-3"},
        '{"kind": "complaint", "org": ',
        {"kind": "complaint", "org": b.code, "anonymous": True, "summary": SUMMARY,
         "key": f"{b.code}-4"},
    ]  # fmt: skip
    jsonl = tmp_path / "cases.jsonl"
    jsonl.write_text(
        "\n".join("" if r is None else r if isinstance(r, str) else json.dumps(r) for r in rows)
        + "\n",
        encoding="utf-8",
    )

    first = cli.run("case", "import", jsonl)
    assert first.code == 2, first
    assert first.out.splitlines()[0] == "filed 3, already there 0, failed 2"
    assert re.search(r"^  line 4: --org: no organization NOSUCHORG$", first.out, re.M)
    assert re.search(r"^  line 5: not valid JSON", first.out, re.M)
    listed = cli.json("case", "list", "--org", b.code)["items"]
    assert len(listed) == 3

    again = cli.run("case", "import", jsonl, "--json")
    assert again.code == 2, again
    report = again.json()
    assert (report["filed"], report["existing"], report["failed"]) == (0, 3, 2)
    assert [e["line"] for e in report["errors"]] == [4, 5]
    assert sorted(c["line"] for c in report["cases"]) == [1, 2, 6]
    assert cli.json("case", "list", "--org", b.code)["items"] == listed

    csv_file = tmp_path / "cases.csv"
    csv_file.write_text(
        "kind,org,by,against,summary,received_at,anonymous,key\n"
        f'complaint,{b.code},{b.filer},{b.respondent},"{SUMMARY}, again",,no,{b.code}-c1\n'
        f"restoration,{b.code},,,{SUMMARY},2025-03-03T10:00:00+05:00,yes,{b.code}-c2\n",
        encoding="utf-8",
    )
    imported = cli.json("case", "import", csv_file)
    assert (imported["filed"], imported["existing"], imported["failed"]) == (2, 0, 0)
    assert sorted(c["line"] for c in imported["cases"]) == [2, 3]
    reimported = cli.json("case", "import", csv_file)
    assert (reimported["filed"], reimported["existing"], reimported["failed"]) == (0, 2, 0)
    assert len(read(views.list_cases, org=b.code)) == 5
    assert "cannot read" in cli.fails(2, "case", "import", tmp_path / "none.csv")


# --- anonymous receipt; audit chain --------------------------------------------------


@sqlite_only
def test_receipt_status_and_history_verify_detects_tampering(cli: Cli, db_url: str) -> None:
    b = factories.body()
    filed = cli.json(
        "case", "file", "--kind", "complaint", "--org", b.code, "--anonymous",
        "--summary", SUMMARY,
    )  # fmt: skip
    number, receipt = filed["number"], filed["receipt_code"]

    seen = cli.json("case", "status", "--receipt", receipt.lower())
    assert set(seen) == {"number", "status", "registered_on", "next_deadline"}
    assert (seen["number"], seen["next_deadline"]["name"]) == (number, "answer")
    text = cli.ok("case", "status", "--receipt", receipt).out
    assert text.startswith(f"{number}: ") and "answer due" in text
    assert "--receipt" in cli.fails(2, "case", "status", "--receipt", "ABCDE-FGHJK-LMNPQ")
    assert "--receipt" in cli.fails(2, "case", "status", "--receipt", "short")

    verified = cli.json("case", "history", number, "--verify")
    assert verified["verified"] is True
    assert "chain verified" in cli.ok("case", "history", number, "--verify").out

    with closing(sqlite3.connect(db_url.removeprefix("sqlite:///"))) as db, db:
        (payload,) = db.execute(
            'SELECT payload FROM event JOIN "case" ON "case".id = event.case_id '
            'WHERE "case".number = ? AND event.seq = 1',
            (number,),
        ).fetchone()
        edited = json.loads(payload) | {"anonymous": False}
        db.execute(
            "UPDATE event SET payload = ? WHERE seq = 1 AND case_id = "
            '(SELECT id FROM "case" WHERE number = ?)',
            (json.dumps(edited, sort_keys=True, separators=(",", ":")), number),
        )

    broken = cli.run("case", "history", number, "--verify")
    assert broken.code != 0
    assert broken.err.startswith(f"error: audit chain of {number} is broken: event 1 (file)")
    as_json = cli.run("case", "history", number, "--verify", "--json")
    assert as_json.code == broken.code
    assert (as_json.json()["verified"], as_json.json()["first_bad_seq"]) == (False, 1)


# --- policy --------------------------------------------------------------------------


@sqlite_only
def test_policy_show_and_apply_print_one_json_document(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]

    shown = cli.json("policy", "show")
    assert {"file", "version", "zone", "rules", "calendar_overrides"} <= set(shown)
    assert shown["rules"]["answer"]["basis"]
    applied = cli.json("policy", "apply")
    assert {"checked", "cases", "moved"} <= set(applied)
    assert applied["moved"] == []

    broken = tmp_path / "policy.yaml"
    broken.write_text("rules: [\n", encoding="utf-8")
    with_broken = Cli(env=cli.env | {"ETHICSFLOW_POLICY_FILE": str(broken)}, cwd=cli.cwd)
    before = db_snapshot(number)
    assert with_broken.fails(2, "policy", "show", "--json")
    assert with_broken.fails(2, "policy", "apply")
    assert db_snapshot(number) == before


# --- sweep ---------------------------------------------------------------------------


@sqlite_only
def test_sweep_prints_counts_replays_a_moment_and_refuses_a_bad_now(cli: Cli) -> None:
    b = factories.body()
    number = factories.complaint(b, received_at="2025-02-27T10:00:00+05:00")["number"]
    before = db_snapshot(number)
    assert "--now" in cli.fails(2, "sweep", "--now", "2025-03-27T10:00:00")  # no offset
    assert "--now" in cli.fails(2, "sweep", "--now", "yesterday", "--json")
    assert db_snapshot(number) == before

    swept = cli.json("sweep", "--now", "2025-03-27T10:00:00+05:00")

    assert (swept["today"], swept["missed"], swept["closed"], swept["errors"]) == (
        "2025-03-27", 2, 0, []
    )  # fmt: skip
    assert set(swept["queued"]) == {"closed", "overdue", "escalation", "reminder", "digest"}
    assert {d["status"] for d in read(views.case_view, number)["deadlines"]} == {"missed"}
    again = cli.ok("sweep", "--now", "2025-03-27T10:00:00+05:00").out
    assert "closed 0 case(s), 0 deadline(s) missed" in again


# --- notify ----------------------------------------------------------------------------


def test_notify_dispatch_list_and_retry_follow_the_contract(cli: Cli) -> None:
    from ethicsflow.app.smtp_sink import SmtpSink

    sink = SmtpSink()
    try:
        refused = f"mailto://clerk:s3cret@127.0.0.1:{free_port()}?from=n@ethicsflow.test&to=f@x.kz"
        b = factories.body()
        filer = factories.person(b.code, notify=[sink.url(), refused])
        number = factories.complaint(b, by=filer)["number"]
        queued = cli.json("notify", "list", "--status", "queued")
        assert [(r["case"], r["event"], r["attempts"]) for r in queued] == [
            (number, "acknowledgment", 0)
        ] * 2
        assert not any("s3cret" in r["url"] for r in queued)
        assert cli.fails(2, "notify", "list", "--status", "lost").startswith("--status")

        once = Cli(env=cli.env | {"ETHICSFLOW_NOTIFY_MAX_ATTEMPTS": "1"}, cwd=cli.cwd)
        counts = once.json("notify", "dispatch")

        assert (counts["claimed"], counts["sent"], counts["dead"]) == (2, 1, 1)
        assert len(sink.messages) == 1 and number in str(sink.messages[0]["Subject"])
        by_status = {r["status"]: r for r in cli.json("notify", "list", "--case", number)}
        assert "Connection refused" in by_status["dead"]["last_error"]
        assert "dead" in cli.ok("notify", "list").out
        requeued = cli.json("notify", "retry", str(by_status["dead"]["id"]))
        assert (requeued["status"], requeued["attempts"]) == ("queued", 0)
        assert "was sent at" in cli.fails(2, "notify", "retry", str(by_status["sent"]["id"]))
        assert "no notification 999999" in cli.fails(2, "notify", "retry", "999999")
        assert cli.fails(2, "notify", "retry", "abc")
    finally:
        sink.stop()


# --- help and README -----------------------------------------------------------------


def _commands(command: Any, path: tuple[str, ...] = ()) -> Any:
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_every_command_and_option_has_help_text() -> None:
    missing = []
    for path, command in COMMANDS:
        if not (command.help or command.short_help or "").strip():
            missing.append(" ".join(path) or "ethicsflow")
        for param in command.params:
            if param.name != "help" and not (getattr(param, "help", None) or "").strip():
                missing.append(f"{' '.join(path)} {param.name}")
    assert not missing, f"no help text: {missing}"


def test_every_command_is_in_the_readme_commands_section() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^(#+) [^\n]*\bCommands\b[^\n]*\n(.*?)(?=^\1 |\Z)", readme, re.M | re.S)
    assert found, "README.md has no 'Commands' section"
    section = found.group(2)
    absent = [
        " ".join(path)
        for path, _ in COMMANDS
        if path
        and not re.search(r"(ethicsflow\s+|`)" + r"\s+".join(map(re.escape, path)) + r"\b", section)
    ]
    assert not absent, f"commands missing from README.md's Commands section: {absent}"


def test_every_json_command_is_exercised() -> None:
    takes_json = {
        " ".join(path)
        for path, command in COMMANDS
        if any("--json" in getattr(p, "opts", []) for p in command.params)
    }
    assert takes_json <= JSON_EXERCISED, (
        f"add a --json contract test: {takes_json - JSON_EXERCISED}"
    )


def test_help_runs_without_a_database(prefect_server: PrefectServer, tmp_path: Path) -> None:
    cli = Cli(env=cli_environment(prefect_server, tmp_path, "sqlite:///" + str(tmp_path / "x.db")),
              cwd=tmp_path)  # fmt: skip
    top = cli.ok("--help").out
    for name in ("init", "org", "person", "case"):
        assert name in top
    assert "--set" in cli.ok("case", "act", "--help").out
    assert not (tmp_path / "x.db").exists()


def test_read_on_an_uninitialized_home_writes_nothing(
    prefect_server: PrefectServer, tmp_path: Path
) -> None:
    database = tmp_path / "home" / "ethicsflow.db"
    cli = Cli(env=cli_environment(prefect_server, tmp_path / "home", f"sqlite:///{database}"),
              cwd=tmp_path)  # fmt: skip
    assert "ethicsflow init" in cli.fails(2, "case", "show", "NOSUCH-2025-00001")
    assert not database.exists()
    for engine in ("inprocess", "auto"):  # a write: refused before Prefect or an engine starts
        cli.env["ETHICSFLOW_ENGINE"] = engine
        assert "ethicsflow init" in cli.fails(2, "org", "add", "MF", "--name", "Finance")
        assert not database.exists() and not (tmp_path / "home" / "engine.json").exists()


@sqlite_only
def test_stop_without_an_engine_prints_one_json_document(cli: Cli) -> None:
    pytest.importorskip("ethicsflow.app.engine_server")
    assert cli.json("stop")


def test_case_file_refuses_bad_input_before_loading_the_database_layer(tmp_path: Path) -> None:
    # The refusal costs a command's start only: no SQLAlchemy, SQLModel or Prefect import.
    code = (
        "import sys\n"
        "sys.argv = ['ethicsflow', 'case', 'file', '--kind', 'complaint', '--org', 'MF',"
        " '--summary', 'too short', '--anonymous']\n"
        "from ethicsflow.app.cli import main\n"
        "try:\n    main()\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, [m for m in ('sqlalchemy', 'sqlmodel', 'prefect')"
        " if m in sys.modules])\n"
    )
    env = {"PATH": os.environ["PATH"], "ETHICSFLOW_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.stdout.strip() == "2 []", done.stderr
    assert done.stderr == "error: --summary: String should have at least 10 characters\n"
    assert not (tmp_path / "home").exists()


def test_an_unreachable_database_is_one_error_line(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "ETHICSFLOW_HOME": str(tmp_path / "home"),
        "ETHICSFLOW_DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/test",
    }
    cli = Cli(env=env, cwd=tmp_path)
    assert cli.fails(1, "case", "show", "MF-2026-00001").startswith("database unavailable: ")
