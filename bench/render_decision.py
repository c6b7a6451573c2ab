"""Time to render one Board decision (goal: <= 1.5x a bare python-docx document).

Seeds one decided complaint (six members, four votes, a recusal, a dissent, two breached
standards) under a fresh embedded home, then measures, median of N runs:

- context: `build_context` (the database reads and the formatting);
- render: the docxtpl render of the packaged template into normalized bytes;
- bare python-docx: a document with the same paragraphs and tables holding the same
  text, no templating, saved to memory: once from python-docx's default template (its
  styles part is 438 kB), once from our template's package with the body replaced (the
  same styles as the rendered decision, so only the templating differs);

and the documents per second over M renders: render only (context + render), and render
+ store (`issue_document` in its own write transaction: file, row, audit event; the
reasons change every time, so each call stores a new version).

Run: `python bench/render_decision.py [--runs N] [--total M] [--language kk|ru|en]`
(SQLite; ETHICSFLOW_BENCH_DATABASE_URL for PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from _common import fresh_home

RECEIVED = "2026-11-16T10:00:00+05:00"


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+05:00")


def seed() -> str:
    """One complaint taken to `board_referred` by the operations, then the Board's rows."""
    from sqlmodel import select

    from ethicsflow.models.boards import roster as boards
    from ethicsflow.models.boards.tables import Decision, Hearing, Recusal, Vote
    from ethicsflow.models.cases import operations
    from ethicsflow.models.cases.access import get_case
    from ethicsflow.models.db import session_scope
    from ethicsflow.models.people.tables import Person

    operations.add_org({"code": "BENCH", "name": "Министерство & Co", "region": "Astana"})
    names = {
        "filer": "Әлия Ғалымқызы",
        "respondent": "Өмірзақ Ұлықбекұлы",
        "commissioner": "Һасен Іскаков",
        "head": "Ержан Көшербаев",
        "secretary": "Гүлнар Сәрсенова",
        "chair": "Бақыт Нұрланұлы",
        "m2": "Дәулет Құрманов",
        "m3": "Айгүл Ізбасарова",
        "m4": "Серік Әбенов",
        "m5": "Мөлдір Һамитова",
        "m6": "Ләззат Оңғарова",
    }
    roles = {"commissioner": ["commissioner"], "head": ["head"]}
    for key, name in names.items():
        operations.add_person(
            {
                "email": f"{key}@bench.kz",
                "name": name,
                "org": "BENCH",
                "roles": roles.get(key, ["servant"]),
            }
        )
    number = operations.file_one(
        {
            "kind": "complaint",
            "org": "BENCH",
            "by": "filer@bench.kz",
            "against": "respondent@bench.kz",
            "summary": 'Acme & Sons <ltd> "quoted" remarks at a staff meeting',
            "received_at": RECEIVED,
        },
        now=_at("2026-11-16"),
    )["number"]
    commissioner = "commissioner@bench.kz"
    steps: list[tuple[str, str, dict[str, Any], str]] = [
        ("accept", commissioner, {"committed_on": "2026-11-02"}, "2026-11-16"),
        ("request_explanation", commissioner, {"questions": "Explain the remarks"}, "2026-11-17"),
        ("record_explanation", commissioner, {"text": "I said 'enough' & left"}, "2026-11-18"),
        ("refer_to_board", commissioner, {"reason": "Humiliating remarks"}, "2026-11-20"),
    ]
    for action, by, values, day in steps:
        operations.act(number, action, by, values, at=_at(day))
    boards.add_board(
        {
            "code": "BAST",
            "name": "Совет по этике",
            "region": "Astana",
            "secretary": "secretary@bench.kz",
        }
    )
    for key in ("chair", "m2", "m3", "m4", "m5", "m6"):
        boards.add_member({"code": "BAST", "email": f"{key}@bench.kz", "chair": key == "chair"})
    with session_scope(write=True) as session:
        case = get_case(session, number)
        ids = {
            p.email.split("@")[0]: p.id or 0
            for p in session.exec(select(Person).where(Person.email.like("%@bench.kz")))  # type: ignore[attr-defined]
        }
        board = boards.board_of_case(session, case)
        hearing = Hearing(
            case_id=case.id or 0,
            board_id=board.id or 0,
            date=dt.date(2026, 11, 25),
            time="10:30",
            place="Astana, Mangilik El 8, room 301",
            present=[ids[k] for k in ("chair", "m2", "m3", "m5")],
        )
        session.add(hearing)
        session.flush()
        hid = hearing.id or 0
        session.add(
            Recusal(
                hearing_id=hid,
                person_id=ids["m4"],
                ground="kinship",
                reason="Cousin",
                raised_by="automatic",
            )
        )
        for key, vote in (("chair", "for"), ("m2", "for"), ("m3", "against"), ("m5", "abstain")):
            dissent = "Rude but not humiliating" if vote == "against" else None
            session.add(Vote(hearing_id=hid, person_id=ids[key], vote=vote, dissent=dissent))
        session.add(
            Decision(
                case_id=case.id or 0,
                hearing_id=hid,
                outcome="violation",
                standards=["3.1", "3.4"],
                penalty="reprimand",
                reasoning="The remarks humiliated two subordinates in front of staff",
                votes_for=2,
                votes_against=1,
                votes_abstain=1,
                members=6,
                present=4,
                recused=1,
                quorum_rule="2/3",
                decided_on=dt.date(2026, 11, 25),
                decided_by="secretary@bench.kz",
            )
        )
    return number


def median_ms(runs: int, work: Callable[[], object]) -> float:
    work()  # warm caches (template bytes, parsed variables, policy)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def bare(texts: list[str], tables: list[list[list[str]]], base: bytes | None) -> bytes:
    """The same paragraphs and tables with python-docx, no templating."""
    import docx

    document = docx.Document(io.BytesIO(base) if base else None)
    if base:
        body = document.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
    for text in texts:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50, help="runs per median")
    parser.add_argument("--total", type=int, default=1000, help="renders for the rate")
    parser.add_argument("--language", default="ru", choices=("kk", "ru", "en"))
    args = parser.parse_args()

    home = fresh_home("ethicsflow-bench-doc-")
    number = seed()

    import docx
    from sqlmodel import select

    from ethicsflow.models.boards.tables import Decision
    from ethicsflow.models.cases.access import get_case
    from ethicsflow.models.db import session_scope
    from ethicsflow.models.documents.contexts import build_context
    from ethicsflow.models.documents.render import find_template, render_template
    from ethicsflow.models.documents.store import issue_document
    from ethicsflow.models.policy import load_policy

    lang = args.language
    policy = load_policy()
    today = dt.date(2026, 11, 26)
    template = find_template("board_decision", lang)

    def context() -> dict[str, Any]:
        with session_scope() as session:
            case = get_case(session, number)
            return build_context(session, case, "board_decision", lang, today=today, policy=policy)

    values = context()
    rendered = render_template(template, values)
    document = docx.Document(io.BytesIO(rendered.data))
    texts = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    cells = sum(len(r) for t in tables for r in t)

    own_base = template.data
    t_context = median_ms(args.runs, context)
    t_render = median_ms(args.runs, lambda: render_template(template, values))
    t_bare = median_ms(args.runs, lambda: bare(texts, tables, None))
    t_bare_own = median_ms(args.runs, lambda: bare(texts, tables, own_base))

    print(
        f"board decision ({lang}): {len(texts)} paragraphs, {len(tables)} tables"
        f" ({cells} cells), {len(rendered.data):,} bytes; median of {args.runs} runs"
    )
    print(f"  context (database reads + formatting)       {t_context:7.2f} ms")
    print(f"  render (docxtpl, sandboxed, normalized zip) {t_render:7.2f} ms")
    print(f"  context + render                            {t_context + t_render:7.2f} ms")
    print(f"  bare python-docx, default template          {t_bare:7.2f} ms")
    print(f"  bare python-docx, our template's styles     {t_bare_own:7.2f} ms")
    print(
        f"  ratio render / bare (default template)      {t_render / t_bare:7.2f}x  (goal <= 1.5x)"
    )
    print(f"  ratio render / bare (same styles)           {t_render / t_bare_own:7.2f}x")
    print(f"  ratio context+render / bare (default)       {(t_context + t_render) / t_bare:7.2f}x")

    started = time.perf_counter()
    for _ in range(args.total):
        render_template(template, context())
    elapsed = time.perf_counter() - started
    print(
        f"  {args.total} renders (context + render)        {args.total / elapsed:7.0f} documents/s"
    )

    started = time.perf_counter()
    for i in range(args.total):
        with session_scope(write=True) as session:
            case = get_case(session, number, lock=True)
            decision = session.exec(select(Decision).where(Decision.case_id == case.id)).one()
            decision.reasoning = f"The remarks humiliated two subordinates (revision {i})"
            session.add(decision)
            case.bump()
            issue_document(session, case, "board_decision", lang, "bench@bench.kz")
    elapsed = time.perf_counter() - started
    stored = sum(1 for _ in (home / "documents" / number).glob("*.docx"))
    print(
        f"  {args.total} renders + store (new version each) {args.total / elapsed:6.0f} documents/s"
        f"  ({stored} files)"
    )


if __name__ == "__main__":
    main()
