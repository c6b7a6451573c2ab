"""Documents of a restoration request: the measures letter (to all, or to one responsible
person in their language) and the reasoned answer after confirm_restored / not_confirmed.

The restoration actions arrive separately, so the measures and the events of
``propose_measures``, ``confirm_restored`` and ``not_confirmed`` are written directly
here, after the request was filed and accepted through the operations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from ethicsflow.models.audit.chain import append_event, verify_chain
from ethicsflow.models.audit.tables import Event
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.documents import FIELDS, build_context, list_documents, render_document
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.people.tables import LANGUAGES, Person
from ethicsflow.models.restoration.tables import Measure
from tests.support import factories as f
from tests.support.cases import at, refused
from tests.support.documents import file_text

NAMES = {
    "filer": "Әлия Ғалымқызы Жаңбырбаева",
    "commissioner": "Һасен Іскаков",
    "head": "Ержан Көшербаев",
    "hr": "Гүлнар Сәрсенова",
    "lawyer": "Дәулет Құрманов",
}
MEASURES = (
    # (responsible, what, due, evidence, status)
    ("head", "Cancel order No. 12 & restore the post <deputy head>", "2026-12-07", "order", "open"),
    ("hr", "Pay the bonus withheld in October & November", "2026-12-14", "payslip <Oct>", "open"),
    ("head", "Apologise in writing", "2026-12-21", "letter", "completed"),
    ("lawyer", "Withdrawn step", "2026-12-21", "none", "rejected"),
)
DUES = {
    "kk": ("2026 жылғы 7 желтоқсан", "2026 жылғы 14 желтоқсан", "2026 жылғы 21 желтоқсан"),
    "ru": ("7 декабря 2026 г.", "14 декабря 2026 г.", "21 декабря 2026 г."),
    "en": ("7 December 2026", "14 December 2026", "21 December 2026"),
}


@dataclass
class Request:
    number: str
    people: dict[str, str]  # role -> e-mail


def request(*, measures: bool = True) -> Request:
    code = f.org()
    people = {
        "filer": f.person(code, name=NAMES["filer"], language="kk"),
        "commissioner": f.person(code, "commissioner", name=NAMES["commissioner"]),
        "head": f.person(code, "head", name=NAMES["head"], language="ru"),
        "hr": f.person(code, name=NAMES["hr"], language="kk"),
        "lawyer": f.person(code, name=NAMES["lawyer"], language="en"),
    }
    number = operations.file_one(
        {
            "kind": "restoration",
            "org": code,
            "by": people["filer"],
            "summary": "Demoted & deprived of the bonus after I reported <a conflict>",
            "received_at": "2026-11-16T10:00:00+05:00",
        },
        now=at("2026-11-16"),
    )["number"]
    # what `accept` records (category, status); the restoration actions are written apart
    with session_scope(write=True) as session:
        case = get_case(session, number)
        case.category, case.risk, case.status = "pressure", "high", "inquiry"
        case.bump()
        session.add(case)
    if measures:
        with session_scope(write=True) as session:
            case = get_case(session, number)
            for seq, (role, what, due, evidence, status) in enumerate(MEASURES, start=1):
                person = session.exec(select(Person).where(Person.email == people[role])).one()
                session.add(
                    Measure(
                        case_id=case.id or 0,
                        seq=seq,
                        what=what,
                        responsible_id=person.id,
                        responsible_email=person.email,
                        due=dt.date.fromisoformat(due),
                        evidence_expected=evidence,
                        status=status,
                        closed_on=dt.date(2026, 12, 1) if status == "completed" else None,
                    )
                )
            event(session, case, "propose_measures", "measures_in_progress", "2026-11-20", {})
            case.bump()
            session.add(case)
    return Request(number, people)


def event(session: Any, case: Any, action: str, to: str, day: str, payload: dict[str, Any]) -> None:
    append_event(
        session,
        case,
        actor="commissioner@example.kz",
        action=action,
        from_status=case.status,
        to_status=to,
        payload=payload,
        at=at(day),
    )
    case.status = to


def conclude(number: str, action: str, reason: str) -> None:
    with session_scope(write=True) as session:
        case = get_case(session, number)
        to = "restored" if action == "confirm_restored" else "answered"
        event(session, case, action, to, "2026-12-22", {"reason": reason})
        case.bump()
        session.add(case)


def render(number: str, kind: str, language: str | None = None, **values: Any) -> dict[str, Any]:
    return render_document(
        {"number": number, "kind": kind, "language": language, **values}, at=at("2026-12-23")
    )


# --- the measures letter ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_letter_to_all_lists_every_measure_in_force_by_responsible_person(
    home: Path, language: str
) -> None:
    r = request()
    result = render(r.number, "measures_letter", language)
    assert result["template"] == f"{language}/measures_letter.docx"
    assert result["path"].endswith(f"{r.number}/measures_letter-{language}-v1.docx")
    text = file_text(result)
    assert "{{" not in text and "{%" not in text
    assert r.number in text
    assert NAMES["filer"] in text  # whose rights are restored
    for what in (m[1] for m in MEASURES[:3]):
        assert what in text, what  # "&" and "<" intact
    assert "payslip <Oct>" in text
    assert "Withdrawn step" not in text and NAMES["lawyer"] not in text  # rejected
    for due in DUES[language]:
        assert due in text
    assert NAMES["head"] in text and NAMES["hr"] in text
    assert NAMES["commissioner"] in text
    category = {
        "kk": "Мемлекеттік қызметшіге қысым көрсету",
        "ru": "Давление на государственного служащего",
        "en": "Pressure on the civil servant",
    }
    assert category[language] in text
    # grouped by responsible person: Гүлнар's measure, then Ержан's two
    lines = text.splitlines()
    hr, head1, head3 = (lines.index(MEASURES[i][1]) for i in (1, 0, 2))
    assert hr < head1 < head3 or head1 < head3 < hr


def test_letter_to_one_person_in_their_language_with_their_measures(home: Path) -> None:
    r = request()
    head = r.people["head"]
    result = render(r.number, "measures_letter", to=head.upper())
    assert result["language"] == "ru"  # the head's language, not the case's (kk)
    assert result["to"] == head
    tag = hashlib.sha256(head.encode()).hexdigest()[:8]
    assert result["path"].endswith(f"{r.number}/measures_letter-ru-{tag}-v1.docx")
    text = file_text(result)
    assert f"Уважаемый(ая) {NAMES['head']}!" in text
    assert MEASURES[0][1] in text and MEASURES[2][1] in text
    assert MEASURES[1][1] not in text and NAMES["hr"] not in text
    assert "7 декабря 2026 г." in text and "21 декабря 2026 г." in text
    assert "14 декабря 2026 г." not in text

    hr = render(r.number, "measures_letter", to=r.people["hr"])
    assert (hr["language"], hr["version"], hr["created"]) == ("kk", 1, True)
    assert "2026 жылғы 14 желтоқсан" in file_text(hr) and NAMES["hr"] in file_text(hr)
    # an explicit language wins; each recipient has their own identity of versions,
    # on the one version sequence of the kind and language
    en_head = render(r.number, "measures_letter", "en", to=head)
    assert (en_head["version"], en_head["created"]) == (1, True)
    assert "Dear Ержан Көшербаев," in file_text(en_head)
    to_all = render(r.number, "measures_letter", "ru")
    assert (to_all["version"], to_all["created"]) == (2, True)
    again = render(r.number, "measures_letter", to=head)
    assert (again["version"], again["created"], again["path"]) == (1, False, result["path"])

    with session_scope() as session:
        case = get_case(session, r.number)
        assert verify_chain(session, case).ok
        issued = session.exec(
            select(Event)
            .where(Event.case_id == case.id, Event.action == "issue_document")
            .order_by(col(Event.seq))
        ).all()
        assert [json.loads(e.payload).get("to") for e in issued] == [
            head,
            r.people["hr"],
            head,
            None,
        ]
    listed = list_documents(r.number)
    assert len(listed) == 4 and len({d["path"] for d in listed}) == 4


def test_letter_refusals_write_nothing(home: Path) -> None:
    bare = request(measures=False)
    refused(
        bare.number,
        InvalidInput,
        r"measures_letter: case .* has no measures \(propose_measures first\)",
        lambda: render(bare.number, "measures_letter", "kk"),
    )
    r = request()
    refused(
        r.number,
        InvalidInput,
        rf"--to: {r.people['filer']} is not responsible for any measure of case {r.number}",
        lambda: render(r.number, "measures_letter", to=r.people["filer"]),
    )
    refused(  # responsible only for a rejected measure
        r.number,
        InvalidInput,
        "--to: .* is not responsible",
        lambda: render(r.number, "measures_letter", to=r.people["lawyer"]),
    )
    refused(
        r.number,
        InvalidInput,
        "--to: only measures_letter is addressed to one person",
        lambda: render(r.number, "acknowledgment", to=r.people["head"]),
    )
    refused(
        r.number,
        InvalidInput,
        "--to: 'not-an-address' is not an e-mail address",
        lambda: render(r.number, "measures_letter", to="not-an-address"),
    )


def test_contexts_hold_exactly_the_declared_fields(home: Path) -> None:
    r = request()
    conclude(r.number, "confirm_restored", "Reinstated")
    with session_scope() as session:
        case = get_case(session, r.number)
        for language in LANGUAGES:
            for kind in ("measures_letter", "answer", "acknowledgment", "coupon"):
                context = build_context(session, case, kind, language, today=dt.date(2026, 12, 1))
                assert set(context) == FIELDS[kind], kind
            mine = build_context(session, case, "measures_letter", language, to=r.people["hr"])
            assert [m["number"] for m in mine["measures"]] == ["2"]
            assert mine["addressee"] == NAMES["hr"]


# --- the reasoned answer ----------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_answer_after_confirm_restored_gives_the_reason_and_the_measures(
    home: Path, language: str
) -> None:
    r = request()
    conclude(r.number, "confirm_restored", "Order No. 12 cancelled & bonus paid <in full>")
    text = file_text(render(r.number, "answer", language))
    assert NAMES["filer"] in text
    assert "Order No. 12 cancelled & bonus paid <in full>" in text
    restored = {
        "kk": "құқықтары қалпына келтірілді",
        "ru": "права государственного служащего восстановлены",
        "en": "violated rights were restored",
    }
    assert restored[language] in text
    assert MEASURES[0][1] in text and NAMES["head"] in text
    assert DUES[language][0] in text
    assert {"kk": "2026 жылғы 22 желтоқсан", "ru": "22 декабря 2026 г.", "en": "22 December 2026"}[
        language
    ] in text  # dated the day of confirm_restored
    assert "91" in text  # the right to appeal (APPK Art. 91)


def test_answer_after_not_confirmed_and_before_any_outcome(home: Path) -> None:
    r = request()
    refused(
        r.number,
        InvalidInput,
        r"answer: case .* has no outcome yet \(confirm_restored or not_confirmed first\)",
        lambda: render(r.number, "answer", "en"),
    )
    conclude(r.number, "not_confirmed", "The head refused to cancel the order")
    text = file_text(render(r.number, "answer", "en"))
    assert "the restoration of the rights was not confirmed" in text
    assert "The head refused to cancel the order" in text
    assert "not completed" in text and "rejected" in text
