"""One page of the case list: filters, total, order by next due date, visibility."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, update
from sqlmodel import col, select

from ethicsflow.app.errors import message
from ethicsflow.models.cases.listing import page_cases
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import session_scope
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import InvalidInput, NotFound
from tests.support import factories as f
from tests.support.cases import act, file_complaint


def page(**kwargs: Any) -> dict[str, Any]:
    with session_scope() as session:
        return page_cases(session, **kwargs)


def test_pages_filters_total_and_order(home: Path) -> None:
    b, other = f.body(), f.body()
    filed = [file_complaint(b, day)["number"] for day in ("2026-11-02", "2026-11-16", "2026-11-09")]
    elsewhere = file_complaint(other, "2026-11-03", summary="Shouting at a visitor")["number"]
    act(
        filed[1],
        "forward",
        b.commissioner,
        "2026-11-17",
        {"to_body": "Ministry", "reason": "x" * 5},
    )

    everything = page()
    assert everything["total"] == 4 and (everything["page"], everything["per_page"]) == (1, 50)
    dues = [item["next_deadline"]["due"] for item in everything["items"] if item["next_deadline"]]
    assert dues == sorted(dues)  # nearest due first
    assert everything["items"][-1]["number"] == filed[1]  # forwarded: no open deadline, last
    assert set(everything["items"][0]) == {
        "number", "kind", "status", "org", "assignee", "registered_on", "next_deadline",
    }  # fmt: skip

    mine = page(org=b.code.lower(), status="triage")
    assert mine["total"] == 2 and {i["number"] for i in mine["items"]} == {filed[0], filed[2]}
    assert page(q="shouting")["items"][0]["number"] == elsewhere
    assert page(q=filed[2][-5:])["total"] == 1
    assert page(q="100%_")["total"] == 0  # % and _ match themselves
    assert page(overdue_on=date(2027, 6, 1), org=b.code)["total"] == 2

    first, second = page(per_page=3), page(per_page=3, page=2)
    assert first["total"] == second["total"] == 4
    assert len(first["items"]) == 3 and len(second["items"]) == 1
    assert {i["number"] for i in first["items"] + second["items"]} == {*filed, elsewhere}
    assert page(page=9)["items"] == []
    order = [i["number"] for i in everything["items"]]
    for size in (1, 2, 3):  # pages across the last dated case and the undated one
        pages = [page(per_page=size, page=n)["items"] for n in range(1, 5)]
        assert [i["number"] for items in pages for i in items] == order
    assert [i["number"] for i in page(sort="number")["items"]] == sorted([*filed, elsewhere])
    registered = [i["registered_on"] for i in page(sort="registered")["items"]]
    assert registered == sorted(registered, reverse=True)

    with session_scope() as session:
        visible = col(Case.number).in_([filed[0], elsewhere])
        seen = page_cases(session, visible=visible)
    assert seen["total"] == 2 and {i["number"] for i in seen["items"]} == {filed[0], elsewhere}


@pytest.mark.parametrize(
    ("values", "error", "text"),
    [
        ({"page": 0}, InvalidInput, "--page: must be from 1 to 1000000, got 0"),
        ({"page": 2**64}, InvalidInput, f"--page: must be from 1 to 1000000, got {2**64}"),
        ({"per_page": 201}, InvalidInput, "--per-page: must be from 1 to 200, got 201"),
        ({"per_page": 0}, InvalidInput, "--per-page: must be from 1 to 200, got 0"),
        (
            {"sort": "x"},
            InvalidInput,
            "--sort: unknown order 'x'; one of due, number, registered, filed",
        ),
        ({"org": "NOPE"}, NotFound, "--org: no organization NOPE"),
        ({"assignee": "no@x.kz"}, NotFound, "--assignee: no person with e-mail no@x.kz"),
    ],
)
def test_refusals_name_the_input(
    home: Path, values: dict[str, Any], error: type[Exception], text: str
) -> None:
    with pytest.raises(error) as info:
        page(**values)
    assert message(info.value) == text  # type: ignore[arg-type]


def _next_dues() -> dict[int, tuple[date | None, date | None]]:
    """Each case's ``next_due`` column and its open deadlines' earliest due date."""
    with session_scope() as session:
        earliest = dict(
            session.exec(
                select(Deadline.case_id, func.min(Deadline.due))
                .where(Deadline.status == "open")
                .group_by(col(Deadline.case_id))
            ).all()
        )
        return {
            case_id: (next_due, earliest.get(case_id))
            for case_id, next_due in session.exec(select(Case.id, Case.next_due)).all()
        }


def test_next_due_is_kept_by_the_database_whoever_writes_the_deadlines(home: Path) -> None:
    b = f.body()
    kept, forwarded = (file_complaint(b, day)["number"] for day in ("2026-11-02", "2026-11-09"))
    act(
        forwarded,
        "forward",
        b.commissioner,
        "2026-11-10",
        {"to_body": "Ministry", "reason": "x" * 5},
    )
    dues = _next_dues()
    assert all(column == earliest for column, earliest in dues.values())
    assert sorted(v[0] is None for v in dues.values()) == [False, True]  # forwarded: none

    with session_scope(write=True) as session:  # SQL by hand: the triggers still keep it
        case_id = session.exec(select(Case.id).where(Case.number == kept)).one()
        session.execute(
            update(Deadline).where(col(Deadline.case_id) == case_id).values(due=date(2027, 1, 4))
        )
        session.execute(
            insert(Deadline).values(
                case_id=case_id, name="extra", due=date(2026, 12, 1), status="open",
                rule="manual", basis="test", policy_version="t", anchor=date(2026, 11, 2),
                amount=1, unit="days",
            )
        )  # fmt: skip
    assert _next_dues()[case_id][0] == date(2026, 12, 1)
    with session_scope(write=True) as session:
        session.execute(delete(Deadline).where(col(Deadline.name) == "extra"))
    assert _next_dues()[case_id] == (date(2027, 1, 4), date(2027, 1, 4))
    with session_scope(write=True) as session:
        session.execute(
            update(Deadline).where(col(Deadline.case_id) == case_id).values(status="met")
        )
    assert _next_dues()[case_id] == (None, None)
