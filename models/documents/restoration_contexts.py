"""Context builders of a restoration request's letters: the measures letter, and the
outcome that the answer to the servant reports.

The measures letter goes to the persons responsible for the agreed measures (or to one
of them, ``to``); the answer's outcome is ``confirm_restored`` or ``not_confirmed`` with
the measures taken and how each ended. ``contexts.py`` holds the other letters.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session

from ethicsflow.models.audit.tables import Event
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.documents import facts as f
from ethicsflow.models.documents.formatting import clean, date_in_words, text
from ethicsflow.models.errors import InvalidInput, option
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.restoration.records import measures_of
from ethicsflow.models.restoration.tables import Measure, MeasureStatus


def restoration_outcome(
    session: Session, case: Case, language: str
) -> tuple[str, str, list[str], Event | None]:
    """Outcome and reasons of a restoration request: the ``confirm_restored`` or
    ``not_confirmed`` action and its reason, then the measures and how they ended."""
    event = f.last_event(session, case, "confirm_restored", "not_confirmed")
    if event is None:
        raise f.refuse("answer", case, "document.no_restoration_outcome")
    outcome = "restored" if event.action == "confirm_restored" else "not_restored"
    lines = [clean(str(f.payload(event).get("reason", "")))]
    rows = measures_of(session, case)
    if rows:
        lines.append(text("measures_taken", language))
        lines += [_measure_line(session, row, language) for row in rows]
    reasoning = "\n".join(line for line in lines if line)
    return outcome, reasoning, [text("restoration_no_standards", language)], event


def _measure_line(session: Session, row: Measure, language: str) -> str:
    """'1) What (responsible: Name; due 20 November 2026; completed 19 November 2026)'."""
    if row.status == MeasureStatus.completed:
        state = text("completed_on", language)
        if row.closed_on:
            state = f"{state} {date_in_words(row.closed_on, language)}"
    elif row.status == MeasureStatus.rejected:
        state = text("rejected_measure", language)
    else:
        state = text("not_completed", language)
    who = _responsible_name(session, row)
    due = date_in_words(row.due, language)
    return (
        f"{row.seq}) {clean(row.what)} ({text('responsible', language)}: {who};"
        f" {text('due', language)}: {due}; {state})"
    )


def _responsible(session: Session, row: Measure) -> Person | None:
    return f.person(session, row.responsible_id) or f.person_by_email(
        session, row.responsible_email
    )


def _responsible_name(session: Session, row: Measure) -> str:
    who = _responsible(session, row)
    return clean(who.name) if who else clean(row.responsible_email)


def _category(policy: Policy, case: Case, language: str) -> str:
    """The category of the violation as the policy names it (the code if it names none)."""
    if not case.category:
        return text("not_recorded", language)
    found = policy.restoration.categories.get(case.category)
    return clean(found.label(language)) if found else clean(case.category)


def build_measures_letter_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
    to: str | None = None,
) -> dict[str, Any]:
    """The restoration measures letter: to the person responsible ``to`` (their measures
    only), or, without ``to``, every measure in force grouped by responsible person.
    Rejected measures are left out. Dated the day of the latest ``propose_measures``."""
    policy = policy or load_policy()
    rows = measures_of(session, case)
    if not rows:
        raise f.refuse("measures_letter", case, "document.no_measures")
    rows = [r for r in rows if r.status != MeasureStatus.rejected]
    if not rows:
        raise f.refuse("measures_letter", case, "document.no_measures_in_force")
    if to is not None:
        email = to.strip().lower()
        mine = [r for r in rows if r.responsible_email.strip().lower() == email]
        if not mine:
            responsible = sorted({r.responsible_email for r in rows})
            raise InvalidInput(
                "measure.not_responsible",
                option("to"),
                email=to,
                number=case.number,
                responsible=responsible,
            )
        rows = mine
    rows.sort(key=lambda r: (_responsible_name(session, r).casefold(), r.responsible_email, r.seq))
    names: list[str] = []
    orgs: list[str] = []
    for row in rows:
        name = _responsible_name(session, row)
        who = _responsible(session, row)
        org = f.org_name(session, who.organization_id) if who else ""
        if name not in names:
            names.append(name)
        if org and org not in orgs:
            orgs.append(org)
    proposed = f.last_event(session, case, "propose_measures")
    day = f.day_of(proposed.at, policy) if proposed else f.today_or(today, policy)
    name, post = f.commissioner(session, case, language)
    return {
        **f.common(session, case, language, day),
        "addressee": "; ".join(names),
        "addressee_org": "; ".join(orgs) or text("not_recorded", language),
        "servant": f.filer_name(session, case, language),
        "received_date": date_in_words(f.receipt_day(case, policy), language),
        "category": _category(policy, case, language),
        "measures": [
            {
                "number": str(row.seq),
                "what": clean(row.what),
                "responsible": _responsible_name(session, row),
                "due": date_in_words(row.due, language),
                "evidence": clean(row.evidence_expected) or text("not_recorded", language),
            }
            for row in rows
        ],
        "commissioner": name,
        "commissioner_post": post,
    }
