"""Choosing a commissioner without a conflict of interest (APPK Art. 67(1)).

Excluded: the complainant, the respondent, the respondent's line manager, and
anyone whose line manager is the respondent. Among the rest the least-loaded
(open cases assigned) wins; ties go to the alphabetically first e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.people.tables import Person


@dataclass(frozen=True)
class Choice:
    commissioner: Person | None
    reason: str


def conflicts(
    candidate: Person, complainant: Person | None, respondent: Person | None
) -> str | None:
    """Why the candidate may not handle the case, or None."""
    if complainant is not None and candidate.id == complainant.id:
        return "is the complainant"
    if respondent is not None:
        if candidate.id == respondent.id:
            return "is the respondent"
        if respondent.manager_id is not None and candidate.id == respondent.manager_id:
            return "is the respondent's line manager"
        if candidate.manager_id is not None and candidate.manager_id == respondent.id:
            return "reports to the respondent"
    return None


def open_load(
    session: Session, person_ids: list[int], terminal: frozenset[str] | set[str]
) -> dict[int, int]:
    rows = session.exec(
        select(Case.assignee_id, func.count())
        .where(col(Case.assignee_id).in_(person_ids))
        .where(col(Case.status).not_in(terminal))
        .group_by(col(Case.assignee_id))
    ).all()
    return {int(pid): int(n) for pid, n in rows if pid is not None}


@dataclass
class LoadCache:
    """Commissioners and their open-case counts per organization, for one batch.

    A batch import (one transaction) reads them once and counts its own
    assignments on top, instead of a query per row.
    """

    candidates: dict[int, list[Person]] = field(default_factory=dict)
    loads: dict[int, int] = field(default_factory=dict)


def choose_commissioner(
    session: Session,
    organization_id: int,
    complainant: Person | None,
    respondent: Person | None,
    terminal: frozenset[str] | set[str],
    cache: LoadCache | None = None,
) -> Choice:
    if cache is not None and organization_id in cache.candidates:
        candidates = cache.candidates[organization_id]
    else:
        candidates = [
            p
            for p in session.exec(
                select(Person).where(Person.organization_id == organization_id)
            ).all()
            if p.has_role("commissioner")
        ]
        if cache is not None:
            cache.candidates[organization_id] = candidates
            ids = [c.id for c in candidates if c.id is not None]
            cache.loads.update(dict.fromkeys(ids, 0))
            cache.loads.update(open_load(session, ids, terminal) if ids else {})
    if not candidates:
        return Choice(None, "the organization has no commissioner")
    excluded = []
    eligible = []
    for candidate in candidates:
        why = conflicts(candidate, complainant, respondent)
        if why:
            excluded.append(f"{candidate.email} {why}")
        else:
            eligible.append(candidate)
    if not eligible:
        return Choice(
            None, "no commissioner without a conflict of interest: " + "; ".join(excluded)
        )
    if cache is not None:
        load = cache.loads
    else:
        load = open_load(session, [c.id for c in eligible if c.id is not None], terminal)
    eligible.sort(key=lambda c: (load.get(c.id or 0, 0), c.email))
    chosen = eligible[0]
    reason = (
        f"least-loaded eligible commissioner ({load.get(chosen.id or 0, 0)} open cases"
        f" of {len(eligible)} eligible)"
    )
    if excluded:
        reason += "; excluded: " + "; ".join(excluded)
    if cache is not None and chosen.id is not None:
        cache.loads[chosen.id] = cache.loads.get(chosen.id, 0) + 1
    return Choice(chosen, reason)
