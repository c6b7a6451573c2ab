"""A restoration case through the `ethicsflow` executable: measures, restoration,
follow-ups, the filer's rating and the report; and an escalation path."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest

from ethicsflow.models.cases import operations
from tests.support import factories
from tests.support.cli import Cli

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _act(cli: Cli, number: str, action: str, by: str, *args: str) -> dict:
    result: dict = cli.json("case", "act", number, action, "--by", by, *args)
    return result


def test_restoration_path_follow_ups_rating_and_report(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    manager = factories.person(b.code, "servant", name="Бақыт Өмірұлы")
    earlier = factories.complaint(b)["number"]
    filed = cli.json(
        "case", "file", "--kind", "restoration", "--org", b.code, "--by", b.filer,
        "--summary", "Removed from every project after my complaint", "--related", earlier,
    )  # fmt: skip
    number = filed["number"]
    c = b.commissioner
    accepted = _act(cli, number, "accept", c, "--set", "category=retaliation", "--set",
                    "risk=high", "--reason", "Removed a week after the complaint")  # fmt: skip
    assert accepted["status"] == "inquiry"

    measures = tmp_path / "measures.json"
    measures.write_text(json.dumps([
        {"what": "Return to the project team & <restore> access", "responsible": manager,
         "due_working_days": 5, "evidence": "order of the head"},
        {"what": "Written apology", "responsible": b.head, "due_working_days": 10,
         "evidence": "the letter"},
    ]), encoding="utf-8")  # fmt: skip
    proposed = _act(cli, number, "propose_measures", c, "--set", f"measures=@{measures}")
    assert proposed["status"] == "measures_in_progress"
    evidence = tmp_path / "order.pdf"
    evidence.write_bytes(b"%PDF-1.4 order No. 12")
    _act(cli, number, "complete_measure", c, "--set", "measure=1",
         "--set", "evidence=Order No. 12 signed", "--set", f"evidence_file={evidence}")  # fmt: skip
    _act(cli, number, "complete_measure", c, "--set", "measure=2",
         "--set", "evidence=Letter of apology received")  # fmt: skip
    letter = tmp_path / "letter.docx"
    made = cli.json("doc", "render", number, "measures_letter", "--to", manager, "--out", letter)
    assert made["to"] == manager and letter.is_file()

    restored = _act(cli, number, "confirm_restored", c)
    assert restored["status"] == "restored"
    shown = cli.json("case", "show", number)
    follow_ups = [d for d in shown["deadlines"] if d["name"].startswith("follow_up_")]
    assert [d["name"] for d in follow_ups] == ["follow_up_3m", "follow_up_6m", "follow_up_12m"]
    assert {d["status"] for d in follow_ups} == {"open"}
    [first, second] = shown["restoration"]["measures"]
    assert (first["status"], second["status"]) == ("completed", "completed")
    assert {"number": earlier, "direction": "to"} in shown["related"]
    stored = [d for d in cli.json("doc", "list", number) if d["kind"] == "evidence"]
    assert [d["sha256"] for d in stored] == [hashlib.sha256(evidence.read_bytes()).hexdigest()]

    _act(cli, number, "follow_up", c, "--set", "retaliation=no", "--reason", "all fine at 3m")
    _act(cli, number, "follow_up", c, "--set", "retaliation=no", "--reason", "all fine at 6m")
    last = _act(cli, number, "follow_up", c, "--set", "retaliation=suspected",
                "--reason", "Bonus cut after the case")  # fmt: skip
    assert last["status"] == "closed"
    new_case = last["notes"]["new_case"]
    linked = cli.json("case", "show", new_case)
    assert linked["kind"] == "restoration"
    assert {"number": number, "direction": "to"} in linked["related"] or {
        "number": number,
        "direction": "from",
    } in linked["related"]

    # the rating: the filer once; anybody else or a second time is refused, nothing written
    other = factories.person(b.code)
    before = cli.json("case", "history", number)
    assert "filer" in cli.fails(4, "case", "rate", number, "--by", other, "--score", "5")
    assert "--score" in cli.fails(2, "case", "rate", number, "--by", b.filer, "--score", "9")
    assert cli.json("case", "history", number) == before
    rated = cli.json("case", "rate", number, "--by", b.filer, "--score", "4",
                     "--comment", "Quick & fair")  # fmt: skip
    assert (rated["number"], rated["score"]) == (number, 4)
    after = cli.json("case", "history", number)
    assert "already rated" in cli.fails(3, "case", "rate", number, "--by", b.filer, "--score", "5")
    assert cli.json("case", "history", number) == after

    report = cli.json("report", "restoration", "--org", b.code)
    assert report["cases"] == 2  # the case and the one its follow-up opened
    assert report["measures"]["on_time"] == 2
    assert report["follow_ups"]["done"] == 3 and report["follow_ups"]["retaliation_suspected"] == 1
    assert report["satisfaction"]["ratings"] == 1 and report["satisfaction"]["average"] == 4
    rows = list(csv.reader(io.StringIO(cli.ok("report", "restoration", "--csv").out)))
    assert rows[0] == ["section", "key", "value"]
    assert ["satisfaction", "ratings", "1"] in rows
    assert "--org" in cli.fails(2, "report", "restoration", "--org", "NOSUCHORG")


@sqlite_only
def test_restoration_escalation_path(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    number = operations.file_one(
        {"kind": "restoration", "org": b.code, "by": b.filer, "summary": "Unlawful order"}
    )["number"]
    c = b.commissioner
    _act(cli, number, "accept", c, "--set", "category=unlawful_order", "--set", "risk=medium",
         "--reason", "A written order to sign backdated acts")  # fmt: skip
    measures = json.dumps(
        [{"what": "Revoke the order", "responsible": b.head, "due_working_days": 3,
          "evidence": "revocation"}]
    )  # fmt: skip
    _act(cli, number, "propose_measures", c, "--set", f"measures={measures}")
    refused = cli.fails(2, "case", "act", number, "escalate", "--by", c,
                        "--set", "to=agency", "--reason", "nothing done")  # fmt: skip
    assert "overdue" in refused or "rejected" in refused
    _act(cli, number, "reject_measure", c, "--set", "measure=1", "--reason", "head refuses")
    escalated = _act(cli, number, "escalate", c, "--set", "to=agency",
                     "--reason", "The head refuses to revoke the order")  # fmt: skip
    assert escalated["status"] == "escalated"
    refused = cli.fails(2, "case", "rate", number, "--by", b.filer, "--score", "3")
    assert "once the case is closed" in refused
