"""`board`, `doc`, `templates` and the hearing actions through the `ethicsflow` executable.

Set-up data is written in-process (factories, operations); what is under test goes
through the real executable (``conftest.Cli``). The hearing steps after scheduling are
acted in-process at the hearing day: the CLI acts now, and attendance is recorded on
the hearing day.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import docx
import pytest

from ethicsflow.models.boards import roster as boards
from ethicsflow.models.cases import operations
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.policy import load_policy
from tests.support import factories
from tests.support.cli import BIN, Cli

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def _text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _next_holiday(after: date) -> date:
    cal = calendar_for(load_policy())
    day = cal.add_working_days(after, 5)
    while cal.is_working_day(day) or day.weekday() >= 5:  # a holiday, not a weekend
        day = date.fromordinal(day.toordinal() + 1)
        if (day - after).days > 400:
            pytest.fail("no weekday holiday within a year")
    return day


def test_board_commands_hearing_and_documents_follow_the_contract(
    cli: Cli, home: Path, tmp_path: Path
) -> None:
    b = factories.body()  # region Astana
    agency = factories.org(region="Astana")
    secretary = factories.person(agency, "board_secretary", name="Дана Өмірзақова")
    members = [factories.person(agency, "board_member", name=f"Мүше {i} Ғалым") for i in range(3)]
    code = f"EB{factories.uid().upper()[:6]}"

    added = cli.json(
        "board", "add", code, "--name", "Ethics Board of Astana", "--region", "Astana",
        "--secretary", secretary,
    )  # fmt: skip
    assert added == {
        "code": code,
        "name": "Ethics Board of Astana",
        "region": "Astana",
        "secretary": secretary,
        "members": [],
    }
    assert "already has board" in cli.fails(
        3, "board", "add", "OTHER1", "--name", "X", "--region", "Astana", "--secretary", secretary
    )
    assert "--secretary" in cli.fails(
        2, "board", "add", "OTHER2", "--name", "X", "--region", "Aktobe", "--secretary",
        "nobody@example.kz",
    )  # fmt: skip
    chaired = cli.json("board", "member", "add", code, members[0], "--chair")
    assert chaired["members"] == [{"email": members[0], "name": "Мүше 0 Ғалым", "chair": True}]
    assert "already has a chair" in cli.fails(
        3, "board", "member", "add", code, members[1], "--chair"
    )
    assert "secretary" in cli.fails(2, "board", "member", "add", code, secretary)
    for email in members[1:]:
        boards.add_member({"code": code, "email": email, "chair": False})
    [listed] = cli.json("board", "list")
    assert (listed["code"], listed["secretary"]) == (code, secretary)
    assert [m["email"] for m in listed["members"]] == members  # chair first, then by name
    assert code in cli.ok("board", "list").out

    # a complaint referred to the board of its region
    number = factories.complaint(b, summary='Acme & Sons <ltd> "quoted" insults')["number"]
    operations.act(number, "accept", b.commissioner, {})
    operations.act(number, "refer_to_board", b.commissioner, {"reason": "materials & <proof>"})
    actions = {a["name"] for a in cli.json("case", "actions", number)["actions"]}
    assert "schedule_hearing" in actions

    cal = calendar_for(load_policy())
    today = datetime.now().astimezone().date()
    holiday = _next_holiday(today)
    refused = cli.fails(
        2, "case", "act", number, "schedule_hearing", "--by", secretary,
        "--set", f"date={holiday.isoformat()}", "--set", "time=10:00", "--set", "place=Hall 1",
    )  # fmt: skip
    assert "--set date" in refused and "working day" in refused
    assert "may not" in cli.fails(
        4, "case", "act", number, "schedule_hearing", "--by", b.commissioner,
        "--set", "date=2030-01-10", "--set", "time=10:00", "--set", "place=Hall 1",
    )  # fmt: skip
    day = cal.add_working_days(today, 5)
    scheduled = cli.json(
        "case", "act", number, "schedule_hearing", "--by", secretary,
        "--set", f"date={day.isoformat()}", "--set", "time=10:30", "--set", "place=Hall <1> & 2",
    )  # fmt: skip
    assert (scheduled["from"], scheduled["status"]) == ("board_referred", "hearing_scheduled")

    hearing_at = datetime.fromisoformat(f"{day.isoformat()}T11:00:00+05:00")
    operations.act(number, "record_attendance", secretary, {"present": members}, at=hearing_at)
    for email, choice in zip(members, ["for", "for", "against"], strict=True):
        operations.act(
            number, "record_vote", secretary, {"member": email, "vote": choice}, at=hearing_at
        )
    operations.act(
        number,
        "decide",
        secretary,
        {"outcome": "violation", "standards": ["3.4"], "measure": "remark", "reason": "proved"},
        at=hearing_at,
    )

    board_view = cli.json("case", "show", number)["board"]
    assert (board_view["board"], board_view["hearing"]["date"]) == (code, day.isoformat())
    assert board_view["decision"]["votes"] == {"for": 2, "against": 1, "abstain": 0}
    shown = cli.ok("case", "show", number).out
    assert f"board {code}: hearing {day.isoformat()} 10:30" in shown
    assert "decision" in shown and "2 for, 1 against" in shown

    out = tmp_path / "out" / "decision-kk.docx"
    issued = cli.json(
        "doc", "render", number, "board_decision", "--language", "kk", "--out", out,
        "--by", secretary,
    )  # fmt: skip
    assert (issued["kind"], issued["language"]) == ("board_decision", "kk")
    assert issued["format"] == "docx"
    assert issued["created_by"] == secretary and issued["out"] == str(out)
    text = _text(out)
    assert number in text and "Дана Өмірзақова" in text and "Мүше 0 Ғалым" in text
    assert 'Acme & Sons <ltd> "quoted" insults' in text and "Hall <1> & 2" in text
    # decide already issued v1 in the case's language (attached to the notifications)
    again = cli.json("doc", "render", number, "board_decision", "--language", "kk", "--out", out)
    assert (again["version"], again["sha256"]) == (issued["version"], issued["sha256"])
    assert again["created"] is False
    assert (
        "unchanged"
        in cli.ok("doc", "render", number, "board_decision", "--language", "kk", "--out", out).out
    )
    en = cli.json("doc", "render", number, "formal_request", "--language", "en", "--out",
                  tmp_path / "fr-en.docx")  # fmt: skip
    assert en["created"] is True and number in _text(tmp_path / "fr-en.docx")

    assert "KIND" in cli.fails(2, "doc", "render", number, "verdict", "--out", tmp_path / "x")
    assert "--language" in cli.fails(
        2, "doc", "render", number, "answer", "--language", "de", "--out", tmp_path / "x"
    )
    assert not (tmp_path / "x").exists()

    if shutil.which("soffice") and shutil.which("pdftotext"):
        pdf = tmp_path / "decision.pdf"
        made = cli.json("doc", "render", number, "board_decision", "--language", "ru",
                        "--format", "pdf", "--out", pdf)  # fmt: skip
        assert made["format"] == "pdf" and pdf.read_bytes().startswith(b"%PDF")
        extracted = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert number in extracted

    listed_docs = cli.json("doc", "list", number)
    kinds = {(d["kind"], d["language"], d["format"], d["version"]) for d in listed_docs}
    assert ("board_decision", "kk", "docx", 1) in kinds
    assert ("formal_request", "en", "docx", 1) in kinds
    for row in listed_docs:
        assert row["href"] == f"/api/v1/documents/{row['id']}" and len(row["sha256"]) == 64
        assert "path" not in row  # the server's files are not the client's business
    assert "board_decision" in cli.ok("doc", "list", number).out

    assert cli.json("templates", "check") == {"ok": True, "problems": []}
    edited = home / "templates" / "documents" / "ru" / "board_decision.docx"
    edited.parent.mkdir(parents=True)
    page = docx.Document()
    page.add_paragraph("Решение по делу {{ case_number }}: {{ unknown_thing }}")
    page.save(str(edited))
    message = cli.fails(2, "templates", "check")
    assert str(edited) in message and "unknown_thing" in message
    before = cli.json("doc", "list", number)
    refused = cli.fails(
        2, "doc", "render", number, "board_decision", "--language", "ru", "--out",
        tmp_path / "blank.docx",
    )  # fmt: skip
    assert "unknown_thing" in refused
    assert not (tmp_path / "blank.docx").exists()
    assert cli.json("doc", "list", number) == before


@sqlite_only
def test_pdf_without_libreoffice_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    b = factories.body()
    number = factories.complaint(b)["number"]
    env = dict(cli.env)
    env["PATH"] = str(BIN)  # the venv only: no soffice on it
    no_office = Cli(env=env, cwd=cli.cwd)
    message = no_office.fails(
        2, "doc", "render", number, "coupon", "--format", "pdf", "--out", tmp_path / "c.pdf"
    )
    assert "PDF needs LibreOffice" in message
    assert not (tmp_path / "c.pdf").exists()
