"""Registering a case (APPK Art. 62-64): number, deadlines, parties, assignment.

Refusal to accept is forbidden (Art. 64(1)): a filing that lacks what Art. 63
requires is registered all the same, with the missing details listed, and the
commissioner may ask for a correction. Anonymous filings get a receipt code
once (100 random bits), of which only the SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.access import email_of
from ethicsflow.models.cases.assignment import Choice, LoadCache, choose_commissioner
from ethicsflow.models.cases.filing import FileCase
from ethicsflow.models.cases.notices import on_filed
from ethicsflow.models.cases.tables import Case, CaseLink, CaseSequence, Party, PartyRole
from ethicsflow.models.db import insert_for
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import Due, local_date, registration_date, rule_due
from ethicsflow.models.deadlines.tables import Deadline
from ethicsflow.models.errors import ACTOR, InvalidInput, NotFound, operation, option
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES, LIFECYCLES
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.types import utcnow

OPENED_AT_FILING = ("answer", "forward")


@dataclass(frozen=True)
class Filed:
    number: str
    created: bool
    status: str
    assignee: str | None
    receipt_code: str | None
    registered_on: date
    deadlines: list[dict[str, str]]


def hash_receipt(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each


def new_receipt_code() -> str:
    """20 random symbols = 100 bits, as ABCDE-FGHJK-LMNPQ-RSTUV (DESIGN §9: at least 80)."""
    text = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(20))
    return "-".join(text[i : i + 5] for i in range(0, 20, 5))


def next_number(
    session: Session, org: Organization, year: int, cache: FilingCache | None = None
) -> str:
    """Allocate the next gap-free number; the counter row is locked until commit.

    In a batch the locked counter row is read once (``cache``): it stays locked by the
    batch's transaction, and a row's savepoint rollback expires it, so the next read of
    ``last`` comes from the database again.
    """
    key = (org.id or 0, year)
    if cache is not None and key in cache.counters:
        counter = cache.counters[key]
        counter.last += 1
        session.add(counter)
        return f"{org.code}-{year}-{counter.last:05d}"
    upsert = insert_for(session)
    session.execute(
        upsert(CaseSequence)
        .values(organization_id=org.id, year=year, last=0)
        .on_conflict_do_nothing()
    )
    counter = session.exec(
        select(CaseSequence)
        .where(CaseSequence.organization_id == org.id, CaseSequence.year == year)
        .with_for_update()
    ).one()
    counter.last += 1
    session.add(counter)
    if cache is not None:
        cache.fresh_counters[key] = counter
    return f"{org.code}-{year}-{counter.last:05d}"


def existing_by_key(session: Session, key: str) -> Case | None:
    return session.exec(select(Case).where(Case.idempotency_key == key)).first()


@dataclass
class FilingCache:
    """Lookups one batch of filings (one transaction) makes once, not once per row."""

    orgs: dict[str, Organization | None] = field(default_factory=dict)
    people: dict[str, Person | None] = field(default_factory=dict)
    loads: LoadCache = field(default_factory=LoadCache)
    counters: dict[tuple[int, int], CaseSequence] = field(default_factory=dict)
    """Number counters whose row exists for sure (its filing's savepoint was released)."""
    fresh_counters: dict[tuple[int, int], CaseSequence] = field(default_factory=dict)
    absent_keys: set[str] = field(default_factory=set)
    """Idempotency keys known not to exist yet (checked for the whole batch at once)."""

    def prefetch_keys(self, session: Session, keys: list[str]) -> None:
        if not keys:
            return
        found = set(
            session.exec(
                select(Case.idempotency_key).where(col(Case.idempotency_key).in_(keys))
            ).all()
        )
        self.absent_keys = set(keys) - {k for k in found if k}

    def settle(self, kept: bool) -> None:
        """After a row's savepoint: keep its new counters, or forget them (rolled back)."""
        if kept:
            self.counters.update(self.fresh_counters)
        self.fresh_counters.clear()


def _org(session: Session, code: str, cache: FilingCache | None) -> Organization | None:
    if cache is not None and code in cache.orgs:
        return cache.orgs[code]
    org = session.exec(select(Organization).where(Organization.code == code)).first()
    if cache is not None:
        cache.orgs[code] = org
    return org


def _person(
    session: Session, email: str | None, required: bool, cache: FilingCache | None = None
) -> Person | None:
    """The person with ``email``; a ``required`` one (the filer) must exist."""
    if email is None:
        return None
    if cache is not None and email in cache.people:
        person = cache.people[email]
    else:
        person = session.exec(select(Person).where(Person.email == email)).first()
        if cache is not None:
            cache.people[email] = person
    if person is None and required:
        raise NotFound("person.not_found_add", ACTOR, email=email, add=operation("person add"))
    return person


def deadline_rows(session: Session, case: Case) -> list[dict[str, str]]:
    rows = session.exec(
        select(Deadline).where(Deadline.case_id == case.id).order_by(col(Deadline.id))
    ).all()
    return [{"name": d.name, "due": d.due.isoformat(), "status": d.status} for d in rows]


def missing_requisites(filer: Person | None) -> list[str]:
    """What APPK Art. 63 asks of a statement that this filing does not show."""
    if filer is None:
        return []
    return [] if filer.iin else ["iin_or_address"]


def file_case(
    session: Session,
    filing: FileCase,
    *,
    now: datetime | None = None,
    policy: Policy | None = None,
    cache: FilingCache | None = None,
    operator: str | None = None,
) -> Filed:
    """Register one case in the caller's transaction (or return the keyed one).
    ``operator``: who at the server filed it for the filer (the ``file`` event says so)."""
    policy = policy or load_policy()
    earlier = _filed_before(session, filing.key, cache)
    if earlier is not None:
        return earlier
    org = _org(session, filing.org, cache)
    if org is None:
        raise NotFound("org.not_found", option("org"), code=filing.org)
    filer = _person(session, filing.by, True, cache)
    respondent = _person(session, filing.against, False, cache)
    related = None
    if filing.related:
        related = session.exec(select(Case).where(Case.number == filing.related.upper())).first()
        if related is None:
            raise NotFound("case.not_found", option("related"), number=filing.related)
    now = now or utcnow()
    received_at = filing.received_at or now
    if received_at > now:
        raise InvalidInput("case.received_in_future", option("received_at"))
    if filing.committed_on and filing.committed_on > local_date(received_at, policy.zone):
        raise InvalidInput("case.conduct_after_receipt", option("committed_on"))
    cal = calendar_for(policy)
    registered_on = registration_date(received_at, policy, cal)
    receipt_day = local_date(received_at, policy.zone)
    lifecycle = LIFECYCLES[filing.kind]
    code = new_receipt_code() if filing.anonymous else None
    case = Case(
        number=next_number(session, org, registered_on.year, cache),
        kind=filing.kind,
        status=lifecycle.initial,
        organization_id=org.id or 0,
        received_at=received_at,
        registered_on=registered_on,
        language=filer.language if filer else "ru",
        anonymous=filing.anonymous,
        confidential=filing.confidential,
        summary=filing.summary,
        idempotency_key=filing.key,
        committed_on=filing.committed_on,
        receipt_hash=hash_receipt(code) if code else None,
        missing_requisites=missing_requisites(filer),
        policy_version=policy.version,
    )
    session.add(case)
    session.flush()
    _insert_parties(session, case, filer, respondent, filing.against)
    if related is not None:
        session.add(CaseLink(case_id=case.id or 0, related_id=related.id or 0))
    dues: list[Due] = [rule_due(name, receipt_day, policy, cal) for name in OPENED_AT_FILING]
    _insert_deadlines(session, case, dues, now)
    append_event(
        session,
        case,
        actor=filer.email if filer else "anonymous",
        action="file",
        from_status=None,
        to_status=case.status,
        at=now,
        payload={
            "kind": str(filing.kind),
            "org": org.code,
            "received_at": received_at.isoformat(),
            "registered_on": registered_on.isoformat(),
            "anonymous": filing.anonymous,
            "confidential": filing.confidential,
            "respondent": filing.against,
            "related": related.number if related else None,
            "missing_requisites": case.missing_requisites,
            "deadlines": [
                {
                    "deadline": d.name,
                    "due": d.due.isoformat(),
                    "rule": d.rule,
                    "policy_version": d.policy_version,
                }
                for d in dues
            ],
        }
        | ({"operator": operator} if operator else {}),
    )
    choice = choose_commissioner(
        session, org.id or 0, filer, respondent, CLOSED_STATES, cache.loads if cache else None
    )
    _assign(session, case, choice, now)
    on_filed(session, case, policy.zone, now, filer, choice.commissioner)
    return Filed(
        case.number,
        True,
        case.status,
        choice.commissioner.email if choice.commissioner else None,
        code,
        registered_on,
        [{"name": d.name, "due": d.due.isoformat(), "status": "open"} for d in dues],
    )


def _filed_before(session: Session, key: str | None, cache: FilingCache | None) -> Filed | None:
    """The case filed earlier with the idempotency ``key``, if any."""
    if not key:
        return None
    if cache is not None and key in cache.absent_keys:
        cache.absent_keys.discard(key)  # a repeat of the key later must look
        return None
    found = existing_by_key(session, key)
    if found is None:
        return None
    return Filed(
        found.number,
        False,
        found.status,
        email_of(session, found.assignee_id),
        None,
        found.registered_on,
        deadline_rows(session, found),
    )


# Parties and deadlines as Core inserts: compiled once, no ORM objects (a bulk import
# files hundreds of cases a second; the rows are read back by queries, never cached).


def _insert_parties(
    session: Session,
    case: Case,
    filer: Person | None,
    respondent: Person | None,
    against: str | None,
) -> None:
    parties = []
    if filer:
        parties.append(
            {
                "case_id": case.id,
                "role": PartyRole.complainant.value,
                "person_id": filer.id,
                "name": filer.name,
                "email": filer.email,
            }
        )
    if against:
        parties.append(
            {
                "case_id": case.id,
                "role": PartyRole.respondent.value,
                "person_id": respondent.id if respondent else None,
                "name": respondent.name if respondent else None,
                "email": against,
            }
        )
    if parties:
        session.execute(insert(Party.__table__), parties)  # type: ignore[attr-defined]


def _insert_deadlines(session: Session, case: Case, dues: list[Due], now: datetime) -> None:
    session.execute(
        insert(Deadline.__table__),  # type: ignore[attr-defined]
        [
            {
                "case_id": case.id,
                "name": d.name,
                "due": d.due,
                "status": "open",
                "rule": d.rule,
                "basis": d.basis,
                "policy_version": d.policy_version,
                "anchor": d.anchor,
                "amount": d.amount,
                "unit": d.unit,
                "opened_at": now,
            }
            for d in dues
        ],
    )


def _assign(session: Session, case: Case, choice: Choice, now: datetime) -> None:
    """Record the commissioner chosen at filing (the case moves to ``triage``)."""
    case.assignment_note = choice.reason
    if choice.commissioner is not None:
        case.assignee_id = choice.commissioner.id
        before, case.status = case.status, "triage"
        append_event(
            session,
            case,
            actor="system",
            action="assign",
            from_status=before,
            to_status=case.status,
            at=now,
            payload={"assignee": choice.commissioner.email, "reason": choice.reason},
        )
    session.add(case)
    session.flush()
