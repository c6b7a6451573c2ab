"""How the deadline sweep reads and writes many rows at once.

Reads go by primary key in ``IN`` lists of at most :data:`CHUNK` ids (:func:`in_chunks`):
the cases a step found, their organizations and assignees (:func:`load_cases`), the heads
of each organization, the person responsible for each measure deadline. Writes go in
savepoints of :data:`BATCH` items (:func:`each`), so a domain error on one case leaves
out only that case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import EthicsflowError
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.restoration.records import MEASURE_PREFIX
from ethicsflow.models.restoration.tables import Measure

CHUNK = 500
"""Ids per ``IN (...)`` list (SQLite limits the number of bound parameters)."""

BATCH = 100
"""Items written per savepoint (see :func:`each`)."""

T = TypeVar("T")


def each(
    session: Session,
    items: Sequence[T],
    write: Callable[[T], Counter[str]],
    fail: Callable[[T, EthicsflowError], None],
) -> Counter[str]:
    """Run ``write`` on every item in savepoints of BATCH items; returns the summed counts
    of the committed ones. When a batch fails with a domain error it is rolled back and
    run again one item per savepoint, so that only the failing items are left out (each
    reported to ``fail``). A savepoint per item always would be slow on a large sweep
    (docs/internals.md, "deadlines")."""
    total: Counter[str] = Counter()
    for start in range(0, len(items), BATCH):
        part = items[start : start + BATCH]
        counts: Counter[str] = Counter()
        try:
            with session.begin_nested():
                for item in part:
                    counts.update(write(item))
        except EthicsflowError:
            counts = Counter()
            for item in part:
                try:
                    with session.begin_nested():
                        one = write(item)
                except EthicsflowError as exc:
                    fail(item, exc)
                else:
                    counts.update(one)
        total.update(counts)
    return total


def in_chunks(
    session: Session, query: Callable[[list[Any]], SelectOfScalar[T]], keys: Iterable[Any]
) -> list[T]:
    """Rows of ``query(part)`` for every part of the distinct ``keys``, in order."""
    distinct = sorted({k for k in keys if k is not None})
    rows: list[T] = []
    for start in range(0, len(distinct), CHUNK):
        rows.extend(session.exec(query(distinct[start : start + CHUNK])).all())
    return rows


@dataclass(frozen=True)
class Loaded:
    """Cases by id with their organizations and assignees, loaded in a few IN queries.

    The session's identity map holds objects weakly; the references here keep them in
    it, so ``outbox.common()``'s ``session.get(Organization, ...)`` costs no query.
    """

    cases: dict[int, Case]
    orgs: dict[int, Organization]
    people: dict[int, Person]

    def assignee(self, case: Case) -> Person | None:
        return self.people.get(case.assignee_id) if case.assignee_id is not None else None


def load_cases(session: Session, case_ids: Iterable[int], *, lock: bool = False) -> Loaded:
    """``lock`` holds the case rows until commit (PostgreSQL), as apply_action does."""

    def query(part: list[int]) -> SelectOfScalar[Case]:
        found = select(Case).where(col(Case.id).in_(part)).order_by(col(Case.id))
        return found.with_for_update() if lock else found

    cases = {c.id: c for c in in_chunks(session, query, case_ids) if c.id is not None}
    orgs = in_chunks(
        session,
        lambda part: select(Organization).where(col(Organization.id).in_(part)),
        [c.organization_id for c in cases.values()],
    )
    return Loaded(
        cases=cases,
        orgs={o.id: o for o in orgs if o.id is not None},
        people=people_by_id(session, [c.assignee_id for c in cases.values()]),
    )


def people_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, Person]:
    found = in_chunks(session, lambda part: select(Person).where(col(Person.id).in_(part)), ids)
    return {p.id: p for p in found if p.id is not None}


def measure_owners(
    session: Session, deadlines: Iterable[Deadline]
) -> dict[int, tuple[Measure, Person]]:
    """The measure and its responsible person of each measure deadline, by deadline id."""
    ids = [d.id for d in deadlines if d.id is not None and d.name.startswith(MEASURE_PREFIX)]
    measures = in_chunks(
        session, lambda part: select(Measure).where(col(Measure.deadline_id).in_(part)), ids
    )
    people = people_by_id(session, [row.responsible_id for row in measures])
    out: dict[int, tuple[Measure, Person]] = {}
    for row in measures:
        person = people.get(row.responsible_id) if row.responsible_id is not None else None
        if row.deadline_id is not None and person is not None:
            out[row.deadline_id] = (row, person)
    return out


def heads_of(session: Session, org_ids: Iterable[int]) -> dict[int, list[Person]]:
    """The people with role ``head`` of each organization."""
    found = in_chunks(
        session,
        lambda part: (
            select(Person).where(col(Person.organization_id).in_(part)).order_by(col(Person.id))
        ),
        org_ids,
    )
    heads: dict[int, list[Person]] = {}
    for person in found:
        if person.has_role("head"):
            heads.setdefault(person.organization_id, []).append(person)
    return heads
