"""Issued documents: every kind in every language, real content, versions, audit, PDF.

The Board's rows (board, members, hearing, recusal, votes, decision) are inserted
directly after the case reached ``board_referred`` through the operations: the Board
actions that write them arrive separately.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pytest
from sqlmodel import col, select

from ethicsflow.app.errors import message
from ethicsflow.models.audit.chain import verify_chain
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards import roster as boards
from ethicsflow.models.boards.tables import Decision, Hearing, Recusal, Vote
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.documents import (
    BUILDERS,
    FIELDS,
    KINDS,
    PdfUnavailable,
    build_context,
    list_documents,
    render_document,
)
from ethicsflow.models.documents.render import packaged_dir
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import InvalidInput, NotFound
from ethicsflow.models.people.tables import LANGUAGES, Person
from tests.support import factories as f
from tests.support.cases import act, at, file_complaint, refused, row_counts, snapshot
from tests.support.documents import file_text

SUMMARY = 'Acme & Sons <ltd> "quoted" remarks at a staff meeting'
NAMES = {
    "filer": "Әлия Ғалымқызы Жаңбырбаева",
    "respondent": "Өмірзақ Ұлықбекұлы Үсенов",
    "commissioner": "Һасен Іскаков",
    "head": "Ержан Көшербаев",
    "secretary": "Гүлнар Сәрсенова",
    "chair": "Бақыт Нұрланұлы",
    "member2": "Дәулет Құрманов",
    "member3": "Айгүл Ізбасарова",
    "member4": "Серік Әбенов",
    "member5": "Мөлдір Һамитова",
    "absent": "Ләззат Оңғарова",
}
MEMBERS = ("chair", "member2", "member3", "member4", "member5", "absent")
DISSENT = "The remarks were rude but not humiliating & should be a <remark>"


@dataclass
class Scenario:
    number: str
    body: f.Body
    people: dict[str, str]  # role -> e-mail


def _people(code: str) -> dict[str, str]:
    return {
        "filer": f.person(code, name=NAMES["filer"], language="kk"),
        "respondent": f.person(code, name=NAMES["respondent"]),
        "commissioner": f.person(code, "commissioner", name=NAMES["commissioner"]),
        "head": f.person(code, "head", name=NAMES["head"]),
    }


def referred_case(committed_on: str = "2026-11-02", summary: str = SUMMARY) -> Scenario:
    """A complaint taken to `board_referred` through the operations, with an extension
    and the respondent's explanation on the way."""
    code = f.org()
    people = _people(code)
    body = f.Body(
        code, people["commissioner"], people["head"], people["filer"], people["respondent"]
    )
    number = file_complaint(body, "2026-11-16", summary=summary)["number"]
    act(number, "accept", body.commissioner, "2026-11-16", {"committed_on": committed_on})
    act(
        number,
        "request_explanation",
        body.commissioner,
        "2026-11-17",
        {"questions": "Explain the remarks of 2 November & their context"},
    )
    act(
        number,
        "record_explanation",
        body.commissioner,
        "2026-11-18",
        {"text": 'I said "enough" & left; no <insult> was meant'},
    )
    act(number, "extend", body.head, "2026-11-19", {"reason": "Witnesses are on leave"})
    act(
        number,
        "refer_to_board",
        body.commissioner,
        "2026-11-20",
        {"reason": "Repeated humiliating remarks to subordinates"},
    )
    return Scenario(number, body, people)


def add_board(s: Scenario, region: str = "Astana") -> dict[str, str]:
    """The region's board: a secretary, a chair and five members."""
    code = s.body.code
    seats = {
        "secretary": f.person(code, "board_secretary", name=NAMES["secretary"]),
        **{role: f.person(code, "board_member", name=NAMES[role]) for role in MEMBERS},
    }
    board_code = f"B{f.uid().upper()[:6]}"
    boards.add_board(
        {
            "code": board_code,
            "name": "Совет по этике & Co",
            "region": region,
            "secretary": seats["secretary"],
        }
    )
    for role in MEMBERS:
        boards.add_member({"code": board_code, "email": seats[role], "chair": role == "chair"})
    s.people.update(seats)
    return seats


def _id(session: Any, email: str) -> int:
    person = session.exec(select(Person).where(Person.email == email)).one()
    return int(person.id)


def hold_hearing(s: Scenario, *, decide: bool = True, penalty: str | None = "reprimand") -> None:
    """Hearing on 2026-11-25: of six members, four present and voting (2 for, 1 against
    with a dissent, 1 abstaining), one recused (not counted present), one absent."""
    add_board(s)
    with session_scope(write=True) as session:
        case = get_case(session, s.number)
        board = boards.board_of_case(session, case)
        ids = {role: _id(session, email) for role, email in s.people.items()}
        hearing = Hearing(
            case_id=case.id or 0,
            board_id=board.id or 0,
            date=dt.date(2026, 11, 25),
            time="10:30",
            place="Astana, Mangilik El 8, room 301",
            present=[ids[r] for r in ("chair", "member2", "member3", "member5")],
        )
        session.add(hearing)
        session.flush()
        hid = hearing.id or 0
        session.add(
            Recusal(
                hearing_id=hid,
                person_id=ids["member4"],
                ground="kinship",
                reason="Cousin of the respondent",
                raised_by="automatic",
            )
        )
        session.add(Vote(hearing_id=hid, person_id=ids["chair"], vote="for"))
        session.add(Vote(hearing_id=hid, person_id=ids["member2"], vote="for"))
        session.add(Vote(hearing_id=hid, person_id=ids["member3"], vote="against", dissent=DISSENT))
        session.add(Vote(hearing_id=hid, person_id=ids["member5"], vote="abstain"))
        if decide:
            session.add(
                Decision(
                    case_id=case.id or 0,
                    hearing_id=hid,
                    outcome="violation",
                    standards=["3.1", "3.4"],
                    penalty=penalty,
                    penalty_note=None if penalty else "First breach; the respondent apologised",
                    reasoning="The remarks humiliated two subordinates in front of staff",
                    votes_for=2,
                    votes_against=1,
                    votes_abstain=1,
                    members=6,
                    present=4,
                    recused=1,
                    quorum_rule="quorum: at least 2/3 of the board's members",
                    decided_on=dt.date(2026, 11, 25),
                    decided_by=s.people["secretary"],
                )
            )


def decided_case(**kw: Any) -> Scenario:
    s = referred_case(**kw)
    hold_hearing(s)
    return s


def forwarded_case() -> Scenario:
    code = f.org()
    people = _people(code)
    body = f.Body(
        code, people["commissioner"], people["head"], people["filer"], people["respondent"]
    )
    number = file_complaint(body, "2026-11-16")["number"]
    act(
        number,
        "forward",
        body.commissioner,
        "2026-11-17",
        {"to_body": "Ministry of Labour & Social Protection", "reason": "Labour dispute"},
    )
    return Scenario(number, body, people)


def render(number: str, kind: str, language: str, **values: Any) -> dict[str, Any]:
    return render_document(
        {"number": number, "kind": kind, "language": language, **values}, at=at("2026-11-26")
    )


# --- every kind, every language -------------------------------------------------------


# Kinds of a restoration request: tests/models/documents/test_documents_restoration.py
COMPLAINT_KINDS = tuple(kind for kind in KINDS if kind != "measures_letter")


def test_render_every_kind_in_every_language_holds_the_case(home: Path) -> None:
    s = decided_case()
    forwarded = forwarded_case()
    for language in LANGUAGES:
        for kind in COMPLAINT_KINDS:
            number = forwarded.number if kind == "forwarding_notice" else s.number
            result = render(number, kind, language)
            assert result["version"] == 1 and result["created"], (kind, language)
            assert result["template"] == f"{language}/{kind}.docx"
            content = file_text(result)
            assert number in content, (kind, language)
            assert "{{" not in content and "{%" not in content, (kind, language)
            named = NAMES["filer"] if kind in _TO_FILER else NAMES["respondent"]
            if kind == "coupon":
                named = NAMES["commissioner"]  # the registering officer
            assert named in content, (kind, language, named)


_TO_FILER = ("acknowledgment", "extension_notice", "forwarding_notice", "answer")


def test_build_context_returns_exactly_the_declared_fields(home: Path) -> None:
    s = decided_case()
    forwarded = forwarded_case()
    assert set(BUILDERS) == set(KINDS) == set(FIELDS)
    with session_scope() as session:
        for kind in COMPLAINT_KINDS:
            number = forwarded.number if kind == "forwarding_notice" else s.number
            case = get_case(session, number)
            for language in LANGUAGES:
                context = build_context(session, case, kind, language, today=dt.date(2026, 12, 1))
                assert set(context) == FIELDS[kind], (kind, set(context) ^ FIELDS[kind])


def test_board_decision_holds_names_votes_standards_and_escaped_values(home: Path) -> None:
    s = decided_case()
    with session_scope() as session:
        case = get_case(session, s.number)
        decision = session.exec(select(Decision).where(Decision.case_id == case.id)).one()
        votes = session.exec(select(Vote).where(Vote.hearing_id == decision.hearing_id)).all()
    counts = {c: sum(1 for v in votes if v.vote == c) for c in ("for", "against", "abstain")}
    en = file_text(render(s.number, "board_decision", "en"))
    for name in NAMES.values():  # every Kazakh letter ә ғ қ ң ө ұ ү һ і, in every form
        if name not in (NAMES["filer"], NAMES["head"]):
            assert name in en, name
    assert SUMMARY in en  # & < and quotes intact
    assert 'I said "enough" & left; no <insult> was meant' in en
    assert DISSENT in en and "Совет по этике & Co" in en
    document = docx.Document(
        io.BytesIO(Path(render(s.number, "board_decision", "en")["path"]).read_bytes())
    )
    tally = next(t for t in document.tables if t.rows[0].cells[0].text == "For")
    assert [c.text for c in tally.rows[1].cells] == [
        str(counts["for"]),
        str(counts["against"]),
        str(counts["abstain"]),
    ]
    assert counts == {"for": 2, "against": 1, "abstain": 1}
    assert "25 November 2026" in en and "Astana, Mangilik El 8, room 301" in en
    assert (
        "subpara. 1) para. 8 of the Ethical Code of Civil Servants (Decree No. 153 of"
        " 29.12.2015, as amended 02.11.2023)" in en
    )
    assert "subpara. 6) para. 8 of the Ethical Code" in en
    assert "Reprimand" in en
    assert "Cousin of the respondent" in en and "kinship" in en
    assert "Length of civil service: not recorded in ethicsflow." in en
    assert "Rule applied: a quorum is at least 2/3 of the members" in en
    assert "assumption" in en
    assert f"{NAMES['commissioner']}, Ethics Commissioner" in en  # who referred
    assert "20 November 2026" in en  # when
    absent = en.split("Members absent:")[1].split("Invited")[0]
    assert NAMES["absent"] in absent and NAMES["member4"] not in absent  # recused: not absent
    assert "4 of the Board's 6 members are present and not recused (recused: 1)" in en

    ru = file_text(render(s.number, "board_decision", "ru"))
    assert "25 ноября 2026 г." in ru and "Выговор" in ru and SUMMARY in ru
    assert "подпункт 6) пункта 8 Этического кодекса государственных служащих" in ru
    kk = file_text(render(s.number, "board_decision", "kk"))
    assert "2026 жылғы 25 қараша" in kk and "Сөгіс" in kk and SUMMARY in kk
    assert "кодексінің (29.12.2015 № 153 Жарлық, 02.11.2023 редакциясы) 8-тармағының 6)" in kk


def test_conduct_before_the_2023_rewrite_cites_the_2015_paragraphs(home: Path) -> None:
    s = decided_case(committed_on="2023-06-01")
    en = file_text(render(s.number, "board_decision", "en"))
    # 3.1 was subpara. 1) para. 9 before 02.11.2023; 3.4 did not exist in that version
    assert "subpara. 1) para. 9 of the Ethical Code of Civil Servants (Decree No. 153 of" in en
    assert "standard 3.4 (not in the 2015 version of the Code)" in en


def test_minutes_count_the_vote_rows_and_list_each_vote(home: Path) -> None:
    s = referred_case()
    hold_hearing(s, decide=False)
    en = file_text(render(s.number, "hearing_minutes", "en"))
    assert "Total: for 2, against 1, abstained 1." in en
    assert f"{NAMES['member3']}\nagainst" in en
    assert "no decision was taken at this sitting" in en
    assert "MINUTES No. B" in en


def test_formal_request_names_the_head_and_the_limitation_date(home: Path) -> None:
    s = decided_case()
    with session_scope() as session:
        case = get_case(session, s.number)
        limitation = build_context(session, case, "formal_request", "ru")["limitation_date"]
    ru = file_text(render(s.number, "formal_request", "ru"))
    assert f"{NAMES['head']}, руководитель государственного органа" in ru
    assert "принять меры" in ru and limitation in ru and "г." in limitation
    assert NAMES["respondent"] in ru and "Выговор" in ru


def test_answer_states_the_appeal_rights(home: Path) -> None:
    s = decided_case()
    en = file_text(render(s.number, "answer", "en"))
    assert "Article 91 of the APPK" in en and "higher administrative body" in en
    assert "court" in en and NAMES["filer"] in en


def test_no_penalty_prints_the_note(home: Path) -> None:
    s = referred_case()
    hold_hearing(s, penalty=None)
    en = file_text(render(s.number, "board_decision", "en"))
    assert "no disciplinary penalty is recommended: First breach; the respondent apologised" in en


def test_coupon_of_an_anonymous_appeal_prints_no_receipt_code(home: Path) -> None:
    code = f.org()
    f.person(code, "commissioner", name=NAMES["commissioner"])
    filed = operations.file_one(
        {
            "kind": "complaint",
            "org": code,
            "anonymous": True,
            "summary": SUMMARY,
            "received_at": "2026-11-16T10:00:00+05:00",
        }
    )
    content = file_text(render(filed["number"], "coupon", "kk"))
    assert filed["receipt_code"] not in content
    assert "анонимді өтініш беруші" in content and "хэші" in content
    assert "2026 жылғы 16 қараша" in content and "10:00" in content


# --- versions, audit, refusals ----------------------------------------------------------


def test_same_inputs_give_the_same_sha_and_no_new_version(home: Path) -> None:
    s = decided_case()
    first = render(s.number, "board_decision", "ru")
    before = snapshot(s.number)
    again = render(s.number, "board_decision", "ru")
    assert again["sha256"] == first["sha256"] and again["version"] == 1
    assert not again["created"]
    assert snapshot(s.number) == before  # no event, no case version
    assert len(list_documents(s.number)) == 1


def test_changed_data_makes_version_2_and_leaves_v1_on_disk(home: Path) -> None:
    s = referred_case()
    hold_hearing(s)
    first = render(s.number, "board_decision", "en")
    v1 = Path(first["path"])
    v1_bytes = v1.read_bytes()
    assert stat.S_IMODE(v1.stat().st_mode) == 0o444
    with session_scope(write=True) as session:
        case = get_case(session, s.number)
        decision = session.exec(select(Decision).where(Decision.case_id == case.id)).one()
        decision.reasoning = "Corrected reasons"
        session.add(decision)
    version_before = snapshot(s.number).version
    second = render(s.number, "board_decision", "en")
    assert second["version"] == 2 and second["created"]
    assert second["sha256"] != first["sha256"]
    assert Path(second["path"]).name == "board_decision-en-v2.docx"
    assert v1.read_bytes() == v1_bytes
    assert "Corrected reasons" in file_text(second)
    assert snapshot(s.number).version == version_before + 1


def test_an_override_template_makes_a_new_version(home: Path) -> None:
    s = decided_case()
    first = render(s.number, "answer", "en")
    override = home / "templates" / "documents" / "en" / "answer.docx"
    override.parent.mkdir(parents=True)
    template = docx.Document(str(packaged_dir() / "en" / "answer.docx"))
    template.add_paragraph("Edited by the secretary: {{ case_number }}")
    template.save(str(override))
    second = render(s.number, "answer", "en")
    assert second["version"] == 2 and second["template"] == "override:en/answer.docx"
    assert f"Edited by the secretary: {s.number}" in file_text(second)
    assert Path(first["path"]).exists()


def test_issuing_appends_a_verified_audit_event(home: Path) -> None:
    s = decided_case()
    result = render(s.number, "board_decision", "kk", by=s.people["secretary"])
    assert result["created_by"] == s.people["secretary"]
    with session_scope() as session:
        case = get_case(session, s.number)
        event = session.exec(
            select(Event).where(Event.case_id == case.id).order_by(col(Event.seq).desc())
        ).first()
        assert event is not None and event.action == "issue_document"
        assert event.actor == s.people["secretary"]
        assert event.from_status == event.to_status == case.status
        for key in ("kind", "language", "format", "version", "sha256", "size", "template"):
            assert f'"{key}"' in event.payload
        assert result["sha256"] in event.payload
        assert verify_chain(session, case).ok


def test_board_decision_before_a_decision_is_refused_and_writes_nothing(home: Path) -> None:
    s = referred_case()
    refused(
        s.number,
        InvalidInput,
        r"board_decision: case .* has no Board decision yet \(decide",
        lambda: render(s.number, "board_decision", "en"),
    )
    refused(
        s.number,
        InvalidInput,
        r"hearing_minutes: .* has no hearing",
        lambda: render(s.number, "hearing_minutes", "en"),
    )
    refused(
        s.number,
        InvalidInput,
        r"formal_request: .* no Board decision",
        lambda: render(s.number, "formal_request", "ru"),
    )
    refused(
        s.number,
        InvalidInput,
        r"forwarding_notice: .* was not forwarded \(forward",
        lambda: render(s.number, "forwarding_notice", "en"),
    )
    assert not (home / "documents" / s.number).exists()


def test_explanation_request_without_a_respondent_is_refused(home: Path) -> None:
    code = f.org()
    f.person(code, "commissioner")
    filer = f.person(code)
    number = operations.file_one(
        {"kind": "complaint", "org": code, "by": filer, "summary": SUMMARY}
    )["number"]
    refused(
        number,
        InvalidInput,
        "explanation_request: case .* has no respondent",
        lambda: render(number, "explanation_request", "ru"),
    )
    refused(
        number,
        InvalidInput,
        r"extension_notice: .* has no extension \(extend first\)",
        lambda: render(number, "extension_notice", "ru"),
    )


def test_unknown_kind_language_format_person_and_folder_out_are_refused(
    home: Path, tmp_path: Path
) -> None:
    s = decided_case()
    counts = row_counts()
    refused(
        s.number,
        InvalidInput,
        "KIND: unknown document kind 'verdict'; allowed: ",
        lambda: render(s.number, "verdict", "en"),
    )
    refused(
        s.number,
        InvalidInput,
        r"--language: .*'de'; allowed: kk, ru, en",
        lambda: render(s.number, "answer", "de"),
    )
    refused(
        s.number,
        InvalidInput,
        r"--format: .*'odt'; allowed: docx, pdf",
        lambda: render(s.number, "answer", "en", format="odt"),
    )
    with pytest.raises(NotFound) as missing:
        render(s.number, "answer", "en", by="nobody@example.kz")
    assert message(missing.value).startswith("--by: no person with e-mail nobody@example.kz")
    refused(
        s.number,
        InvalidInput,
        r"--out: .* is a folder",
        lambda: render(s.number, "answer", "en", out=str(tmp_path)),
    )
    refused(
        s.number, NotFound, "NUMBER: no case", lambda: render("NOPE-2026-00001", "answer", "en")
    )
    assert row_counts() == counts
    assert not (home / "documents").exists()


def test_out_copies_the_stored_file(home: Path, tmp_path: Path) -> None:
    s = decided_case()
    out = tmp_path / "new" / "folder" / "decision.docx"
    result = render(s.number, "board_decision", "ru", out=str(out))
    assert result["out"] == str(out)
    assert out.read_bytes() == Path(result["path"]).read_bytes()
    assert out.stat().st_mode & 0o200  # the copy is the user's to edit


def test_language_defaults_to_the_case_language(home: Path) -> None:
    s = decided_case()  # filed by a kk-speaking filer
    result = render_document({"number": s.number, "kind": "coupon"}, at=at("2026-11-26"))
    assert result["language"] == "kk"
    assert "ТАЛОН" in file_text(result)


def test_list_documents_lists_every_version_with_its_absolute_path(home: Path) -> None:
    s = decided_case()
    render(s.number, "board_decision", "en")
    render(s.number, "answer", "ru")
    listed = list_documents(s.number)
    assert [(d["kind"], d["language"], d["version"]) for d in listed] == [
        ("answer", "ru", 1),
        ("board_decision", "en", 1),
    ]
    for entry in listed:
        assert Path(entry["path"]).is_absolute() and Path(entry["path"]).is_file()
        assert set(entry) >= {"format", "sha256", "size", "created_by", "created_at", "template"}
    with session_scope() as session:
        rows = session.exec(select(Document)).all()
        assert all(not Path(r.path).is_absolute() for r in rows)


def test_an_override_with_an_unknown_variable_is_refused_never_blank(home: Path) -> None:
    s = decided_case()
    override = home / "templates" / "documents" / "ru" / "coupon.docx"
    override.parent.mkdir(parents=True)
    template = docx.Document(str(packaged_dir() / "ru" / "coupon.docx"))
    template.add_paragraph("Secret: {{ unknown_thing }}")
    template.save(str(override))
    refused(
        s.number,
        InvalidInput,
        r"template .*ru/coupon\.docx: unknown variable unknown_thing",
        lambda: render(s.number, "coupon", "ru"),
    )
    assert not (home / "documents").exists()


# --- PDF -------------------------------------------------------------------------------

NO_PDF_TOOLS = shutil.which("soffice") is None or shutil.which("pdftotext") is None


@pytest.mark.slow
@pytest.mark.skipif(NO_PDF_TOOLS, reason="PDF needs LibreOffice (soffice) and pdftotext")
def test_pdf_is_converted_stored_and_holds_the_case_number(home: Path, tmp_path: Path) -> None:
    s = decided_case()
    result = render(s.number, "board_decision", "kk", format="pdf", out=str(tmp_path / "d.pdf"))
    assert result["format"] == "pdf" and result["version"] == 1 and result["created"]
    pdf = Path(result["path"])
    assert pdf.name == "board_decision-kk-v1.pdf" and pdf.read_bytes().startswith(b"%PDF")
    shown = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert s.number in shown
    assert NAMES["respondent"] in shown  # Kazakh letters survive the conversion
    again = render(s.number, "board_decision", "kk", format="pdf")
    assert again["sha256"] == result["sha256"] and not again["created"]
    kinds = [(d["format"], d["version"]) for d in list_documents(s.number)]
    assert kinds == [("docx", 1), ("pdf", 1)]


def test_pdf_without_libreoffice_is_refused_clearly(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = decided_case()
    monkeypatch.setenv("PATH", str(home / "empty-path"))
    counts = row_counts()
    with pytest.raises(PdfUnavailable, match="PDF needs LibreOffice: soffice not found"):
        render(s.number, "board_decision", "en", format="pdf")
    assert row_counts() == counts
