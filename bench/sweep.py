"""Time of one deadline sweep over many open cases (goal: <= 2 s for 100,000, 1 % due).

Seeds N open complaints under review, each with an open `answer` deadline, straight
into the database with SQLAlchemy Core (filing them one by one would take minutes):
0.5 % of the deadlines passed (missed: overdue + escalation), 0.5 % fall in the
reminder window, the rest are due later. With `--history H` it also seeds H closed
cases whose deadlines were met in the past, as a database that has run for years holds.
Then it times `sweep(now)` (plain operation, no Prefect) at 10:00 on a working day, so
the digests go out too, and a second sweep at the same moment (which queues nothing).
Runs for 100,000 and for 10,000 cases, to show how the cost grows.

Run: `python bench/sweep.py [N ...] [--history H] [--due PERCENT]`
(SQLite; ETHICSFLOW_BENCH_DATABASE_URL for PostgreSQL: one database per run).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from _common import fresh_home

NOW = datetime.fromisoformat("2026-11-25T10:00:00+05:00")  # a Wednesday, a working day
COMMISSIONERS = 20
URL = "json://127.0.0.1:9/bench"
BATCH = 10_000


def seed(cases: int, history: int, now: datetime, due_percent: float = 1.0) -> dict[str, int]:
    from sqlalchemy import insert, select
    from sqlmodel import col

    from ethicsflow.models.cases import operations
    from ethicsflow.models.cases.tables import Case
    from ethicsflow.models.db import session_scope
    from ethicsflow.models.deadlines.calendar import calendar_for
    from ethicsflow.models.deadlines.rules import local_date
    from ethicsflow.models.deadlines.tables import Deadline
    from ethicsflow.models.people.tables import Organization, Person
    from ethicsflow.models.policy import load_policy

    policy = load_policy()
    cal = calendar_for(policy)
    today = local_date(now, policy.zone)
    operations.add_org({"code": "BENCH", "name": "Benchmark body", "region": "Astana"})
    operations.add_person(
        {
            "email": "head@bench.kz",
            "name": "Head",
            "org": "BENCH",
            "roles": ["head"],
            "notify": [URL],
        }
    )
    for i in range(COMMISSIONERS):
        operations.add_person(
            {
                "email": f"c{i}@bench.kz",
                "name": f"Commissioner {i}",
                "org": "BENCH",
                "roles": ["commissioner"],
                "notify": [URL],
            }
        )
    rule = policy.rule("answer")
    rng = random.Random(20261125)
    missed_days = [cal.previous_working_day(today - timedelta(days=d)) for d in (1, 3, 7)]
    window = [cal.add_working_days(today, n) for n in (1, 2, 3)]
    later = [cal.add_working_days(today, n) for n in range(4, 16)]
    counts = {"missed": 0, "reminder window": 0}
    with session_scope(write=True) as session:
        org_id = session.execute(select(Organization.id)).scalar_one()
        people = (
            session.execute(select(Person.id).where(col(Person.email).like("c%@bench.kz")))
            .scalars()
            .all()
        )
        received = datetime(2026, 11, 2, 4, 30, tzinfo=UTC)

        def case_row(i: int, status: str) -> dict[str, Any]:
            return {
                "number": f"BENCH-2026-{i:07d}",
                "kind": "complaint",
                "status": status,
                "organization_id": org_id,
                "assignee_id": people[i % len(people)],
                "received_at": received,
                "registered_on": date(2026, 11, 2),
                "language": "ru",
                "anonymous": False,
                "confidential": True,
                "summary": f"Benchmark appeal {i}",
                "missing_requisites": [],
                "offence_category": "general",
                "policy_version": policy.version,
                "audit_head": "",
                "event_count": 0,
                "created_at": received,
                "version": 1,
            }

        def deadline_row(case_id: int, due: date, status: str) -> dict[str, Any]:
            return {
                "case_id": case_id,
                "name": "answer",
                "due": due,
                "status": status,
                "rule": "rules.answer",
                "basis": rule.basis,
                "policy_version": policy.version,
                "anchor": date(2026, 11, 2),
                "amount": rule.amount,
                "unit": rule.unit,
                "opened_at": received,
                "closed_on": due if status != "open" else None,
            }

        def insert_cases(first: int, n: int, status: str) -> list[int]:
            ids: list[int] = []
            for start in range(first, first + n, BATCH):
                rows = [case_row(i, status) for i in range(start, min(first + n, start + BATCH))]
                session.execute(insert(Case), rows)
                ids += (
                    session.execute(
                        select(Case.id).where(col(Case.number).in_([r["number"] for r in rows]))
                    )
                    .scalars()
                    .all()
                )
            return ids

        for start in range(0, history, BATCH):  # closed long ago, deadline met
            ids = insert_cases(start, min(BATCH, history - start), "closed")
            session.execute(
                insert(Deadline),
                [
                    deadline_row(cid, today - timedelta(days=rng.randint(30, 1500)), "met")
                    for cid in ids
                ],
            )
        ids = insert_cases(history, cases, "under_review")
        rows = []
        every = round(200 / due_percent)  # 1 in `every`/2 cases due: half passed, half soon
        for k, cid in enumerate(ids):
            if k % every == 0:
                due, counts["missed"] = missed_days[k % 3], counts["missed"] + 1
            elif k % every == every // 2:
                due, counts["reminder window"] = window[k % 3], counts["reminder window"] + 1
            else:
                due = later[k % len(later)]
            rows.append(deadline_row(cid, due, "open"))
        for start in range(0, len(rows), BATCH):
            session.execute(insert(Deadline), rows[start : start + BATCH])
    return counts


def run(
    cases: int, history: int, due_percent: float
) -> tuple[float, float, dict[str, int], dict[str, Any]]:
    fresh_home(f"ethicsflow-bench-sweep-{cases}-")
    from ethicsflow.models.deadlines.sweep import sweep

    t0 = time.perf_counter()
    due = seed(cases, history, NOW, due_percent)
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = sweep(NOW)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = sweep(NOW)
    second = time.perf_counter() - t0
    assert not result["errors"] and not again["errors"], (result, again)
    assert result["missed"] == due["missed"], (result, due)
    assert again["missed"] == 0 and not any(again["queued"].values()), again
    print(
        f"  seeded {cases:,} open cases (+{history:,} closed) in {seeded:.1f} s;"
        f" due: {due['missed']} passed, {due['reminder window']} in the reminder window"
    )
    return first, second, due, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000, 10_000])
    parser.add_argument("--history", type=int, default=0, help="closed cases to seed too")
    parser.add_argument("--due", type=float, default=1.0, help="per cent of the cases due")
    args = parser.parse_args()
    for cases in args.sizes:
        first, second, _, result = run(cases, args.history, args.due)
        print(
            f"sweep over {cases:,} open cases, {args.due:g} % due: {first:.2f} s"
            f" (goal <= 2 s at 100,000, 1 %); again at the same moment: {second:.2f} s"
        )
        print(f"  missed {result['missed']}, queued {result['queued']}")


if __name__ == "__main__":
    main()
