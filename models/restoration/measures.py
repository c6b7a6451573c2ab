"""Effects of the restoration actions: category, links, measures, the ends, follow-ups.

Each effect refuses with a domain error naming the ``--set`` field and the rule (the
engine's transaction then writes nothing), or writes the rows of ``restoration/tables.py``
and records what it did in ``ctx.notes``. A measure's deadline is a ``Deadline`` row
named ``measure:<n>`` (rule ``measure``, basis from ``restoration.measures`` of the
policy), so the sweep reminds the person responsible and reports it overdue. The
notifications are queued by ``outbox.on_action`` from the rows written here.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, or_, select

from ethicsflow.models.cases.access import party_person
from ethicsflow.models.cases.tables import Case, CaseLink, PartyRole
from ethicsflow.models.deadlines.rules import Due
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import Conflict, InvalidInput, NotFound
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import LIVE, Context
from ethicsflow.models.lifecycle.restoration import FOLLOW_UPS
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.restoration.tables import FollowUp, Measure, MeasureStatus

MEASURE_RULE = "measure"
"""``Deadline.rule`` of a measure's deadline (not a rule of ``policy.rules``)."""

EVIDENCE_KIND = "evidence"
"""``Document.kind`` of a file attached as evidence of a measure."""

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
"""Largest evidence file accepted (50 MiB)."""

MEASURE_PREFIX = "measure:"


def measure_deadline_name(seq: int) -> str:
    return f"{MEASURE_PREFIX}{seq}"


# --- lookups (also used by outbox.py and sweep.py) -----------------------------------------


def measures_of(session: Session, case: Case) -> list[Measure]:
    """The case's measures in the order proposed."""
    return list(
        session.exec(
            select(Measure).where(Measure.case_id == case.id).order_by(col(Measure.seq))
        ).all()
    )


def measures_by_deadline(session: Session, deadline_ids: list[int]) -> dict[int, Measure]:
    """Measures whose deadline is one of ``deadline_ids``, by deadline id."""
    if not deadline_ids:
        return {}
    rows = session.exec(
        select(Measure).where(col(Measure.deadline_id).in_(sorted(set(deadline_ids))))
    ).all()
    return {m.deadline_id: m for m in rows if m.deadline_id is not None}


def is_overdue(session: Session, measure: Measure, today: date) -> bool:
    """An open measure whose due date has passed (or whose deadline the sweep missed)."""
    if measure.status != MeasureStatus.open:
        return False
    if measure.due < today:
        return True
    deadline = session.get(Deadline, measure.deadline_id) if measure.deadline_id else None
    return deadline is not None and deadline.status == DeadlineStatus.missed


def pending_follow_ups(session: Session, case: Case) -> list[Deadline]:
    """Follow-up deadlines not yet checked (open, or missed by the sweep), earliest first."""
    done = set(
        session.exec(select(FollowUp.deadline_name).where(FollowUp.case_id == case.id)).all()
    )
    rows = session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, col(Deadline.name).in_(FOLLOW_UPS))
        .where(col(Deadline.status).in_([*(s.value for s in LIVE), DeadlineStatus.missed]))
        .order_by(col(Deadline.due), col(Deadline.id))
    ).all()
    return [d for d in rows if d.name not in done]


def linked_cases(session: Session, case: Case) -> list[Case]:
    """Cases linked to ``case`` in either direction."""
    links = session.exec(
        select(CaseLink).where(or_(CaseLink.case_id == case.id, CaseLink.related_id == case.id))
    ).all()
    ids = {link.related_id if link.case_id == case.id else link.case_id for link in links}
    return [c for c in (session.get(Case, i) for i in sorted(ids)) if c is not None]


def restoration_view(session: Session, case: Case) -> dict[str, Any]:
    """Measures and follow-ups of a restoration case, JSON-ready (for `case show`)."""
    follow_ups = session.exec(
        select(FollowUp).where(FollowUp.case_id == case.id).order_by(col(FollowUp.id))
    ).all()
    return {
        "measures": [
            {
                "measure": m.seq,
                "what": m.what,
                "responsible": m.responsible_email,
                "due": m.due.isoformat(),
                "evidence_expected": m.evidence_expected,
                "status": m.status,
                "evidence": m.evidence,
                "evidence_document_id": m.evidence_document_id,
                "reason": m.reason,
                "closed_on": m.closed_on.isoformat() if m.closed_on else None,
            }
            for m in measures_of(session, case)
        ],
        "follow_ups": [
            {
                "deadline": f.deadline_name,
                "checked_on": f.checked_on.isoformat(),
                "retaliation": f.retaliation,
                "reason": f.reason,
                "new_case": _number(session, f.new_case_id),
                "by": f.by,
            }
            for f in follow_ups
        ],
    }


def _number(session: Session, case_id: int | None) -> str | None:
    case = session.get(Case, case_id) if case_id is not None else None
    return case.number if case else None


def _measure(ctx: Context, seq: int) -> Measure:
    measures = measures_of(ctx.session, ctx.case)
    found = next((m for m in measures if m.seq == seq), None)
    if found is None:
        known = ", ".join(str(m.seq) for m in measures) or "none proposed yet"
        raise InvalidInput(f"--set measure: {ctx.case.number} has no measure {seq} ({known})")
    if found.status != MeasureStatus.open:
        on = f" on {found.closed_on.isoformat()}" if found.closed_on else ""
        raise InvalidInput(f"--set measure: measure {seq} is already {found.status}{on}")
    return found


def _close_measure(ctx: Context, measure: Measure, status: MeasureStatus) -> bool:
    """Set the measure's status; meet or cancel its deadline. True when it is late."""
    measure.status = status
    measure.closed_on = ctx.today
    ctx.session.add(measure)
    deadline = ctx.session.get(Deadline, measure.deadline_id) if measure.deadline_id else None
    late = ctx.today > measure.due
    if deadline is not None and deadline.status in LIVE:
        done = status == MeasureStatus.completed
        ctx.close(deadline, DeadlineStatus.met if done else DeadlineStatus.cancelled)
    return late


def _cancel_open_measures(ctx: Context, why: str) -> None:
    cancelled = []
    for measure in measures_of(ctx.session, ctx.case):
        if measure.status == MeasureStatus.open:
            measure.reason = why
            _close_measure(ctx, measure, MeasureStatus.cancelled)
            cancelled.append(measure.seq)
    if cancelled:
        ctx.notes["measures_cancelled"] = cancelled


def _not_a_working_day(ctx: Context, day: date) -> str:
    name = ctx.cal.holiday_name(day, "en")
    return f"a holiday ({name})" if name else f"a weekend day ({day.strftime('%A')})"


# --- accept, link ---------------------------------------------------------------------------


def _earlier_links(ctx: Context) -> list[Case]:
    return [c for c in linked_cases(ctx.session, ctx.case) if c.received_at <= ctx.case.received_at]


def accept_restoration(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.AcceptRestoration)
    categories = ctx.policy.restoration.categories
    code = payload.category.lower()
    category = categories.get(code)
    if category is None:
        raise InvalidInput(
            f"--set category: unknown category {payload.category!r}; one of"
            f" {', '.join(categories)} (restoration.categories in the policy file)"
        )
    if category.requires_link and not _earlier_links(ctx):
        raise InvalidInput(
            f"--set category: {code} needs the request linked to the earlier case it"
            f" retaliates for (restoration.categories.{code}.requires_link in the policy"
            " file); link it first with the `link` action (--set related=NUMBER), or file"
            " it with --related NUMBER"
        )
    ctx.case.category = code
    ctx.case.risk = payload.risk.value


def link(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.Link)
    number = payload.related.strip().upper()
    other = ctx.session.exec(select(Case).where(Case.number == number)).first()
    if other is None:
        raise NotFound(f"--set related: no case {payload.related}")
    if other.id == ctx.case.id:
        raise InvalidInput(f"--set related: {number} is this case; link an earlier case")
    if other.received_at > ctx.case.received_at:
        raise InvalidInput(
            f"--set related: {number} was received after {ctx.case.number}; link the later"
            f" case to the earlier one (act on {number})"
        )
    if any(c.id == other.id for c in linked_cases(ctx.session, ctx.case)):
        raise Conflict(f"--set related: {ctx.case.number} and {number} are already linked")
    ctx.session.add(CaseLink(case_id=ctx.case.id or 0, related_id=other.id or 0))
    ctx.notes["related"] = number


# --- measures -------------------------------------------------------------------------------


def propose_measures(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.ProposeMeasures)
    planned: list[tuple[p.ProposedMeasure, Person, date, int, str]] = []
    for i, item in enumerate(payload.measures):
        where = f"--set measures[{i}]"
        person = ctx.session.exec(select(Person).where(Person.email == item.responsible)).first()
        if person is None:
            raise NotFound(f"{where}.responsible: no person with e-mail {item.responsible}")
        if item.due is not None:
            day = item.due
            if day <= ctx.today:
                raise InvalidInput(
                    f"{where}.due: {day.isoformat()} is not after today"
                    f" ({ctx.today.isoformat()}); a measure is due in the future"
                )
            if not ctx.cal.is_working_day(day):
                raise InvalidInput(
                    f"{where}.due: {day.isoformat()} is not a working day: it is"
                    f" {_not_a_working_day(ctx, day)}"
                )
            planned.append((item, person, day, 0, "date"))
        else:
            n = item.due_working_days or 0
            day = ctx.cal.add_working_days(ctx.today, n)
            planned.append((item, person, day, n, "working_days"))
    existing = measures_of(ctx.session, ctx.case)
    seq = max((m.seq for m in existing), default=0)
    rule = ctx.policy.restoration.measures
    added = []
    for item, person, day, amount, unit in planned:
        seq += 1
        deadline = ctx.start(
            Due(
                name=measure_deadline_name(seq),
                due=day,
                rule=MEASURE_RULE,
                basis=rule.basis,
                policy_version=ctx.policy.version,
                anchor=ctx.today,
                amount=amount,
                unit=unit,
            )
        )
        ctx.session.flush()
        ctx.session.add(
            Measure(
                case_id=ctx.case.id or 0,
                seq=seq,
                what=item.what,
                responsible_id=person.id,
                responsible_email=person.email,
                due=day,
                evidence_expected=item.evidence,
                deadline_id=deadline.id,
                created_at=ctx.at,
            )
        )
        added.append({"measure": seq, "responsible": person.email, "due": day.isoformat()})
    ctx.notes["measures"] = added


def _store_evidence(ctx: Context, measure: Measure, path_text: str) -> Document:
    """Store the file at ``path_text`` read-only under the case's documents, with a row."""
    from ethicsflow.models.documents.store import documents_dir, write_read_only

    path = Path(path_text).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(
            f"--set evidence_file: cannot read {path}: {exc.strerror or exc}"
        ) from None
    if not data:
        raise InvalidInput(f"--set evidence_file: {path} is empty")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise InvalidInput(
            f"--set evidence_file: {path} is larger than {MAX_EVIDENCE_BYTES // 2**20} MiB"
        )
    sha256 = hashlib.sha256(data).hexdigest()
    ext = path.suffix.lower().lstrip(".")[:4]
    if not ext.isalnum():
        ext = "bin"
    relative = f"{ctx.case.number}/evidence-{measure.seq}-{sha256[:8]}.{ext}"
    target = documents_dir() / relative
    same = target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256
    if not same:  # a file already stored (a retried action) is never rewritten
        write_read_only(target, data)
    latest = ctx.session.exec(
        select(Document.version)
        .where(
            Document.case_id == ctx.case.id,
            Document.kind == EVIDENCE_KIND,
            Document.language == ctx.case.language,
            Document.format == ext,
        )
        .order_by(col(Document.version).desc())
    ).first()
    document = Document(
        case_id=ctx.case.id or 0,
        kind=EVIDENCE_KIND,
        language=ctx.case.language,
        format=ext,
        version=(latest or 0) + 1,
        path=relative,
        sha256=sha256,
        size=len(data),
        template="",
        template_sha256="",
        created_by=ctx.actor_label,
        created_at=ctx.at,
    )
    ctx.session.add(document)
    ctx.session.flush()
    ctx.notes["evidence_file"] = {"path": relative, "sha256": sha256, "size": len(data)}
    return document


def complete_measure(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.CompleteMeasure)
    measure = _measure(ctx, payload.measure)
    if payload.evidence_file:
        document = _store_evidence(ctx, measure, payload.evidence_file)
        measure.evidence_document_id = document.id
    measure.evidence = payload.evidence
    late = _close_measure(ctx, measure, MeasureStatus.completed)
    ctx.notes["measure"] = {"measure": measure.seq, "status": "completed"}
    if late:
        ctx.notes["late"] = f"due {measure.due.isoformat()}"


def reject_measure(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.RejectMeasure)
    measure = _measure(ctx, payload.measure)
    measure.reason = payload.reason
    _close_measure(ctx, measure, MeasureStatus.rejected)
    ctx.notes["measure"] = {"measure": measure.seq, "status": "rejected"}


# --- the ends: confirm_restored, escalate, not_confirmed -------------------------------------


def confirm_restored(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.ConfirmRestored)
    still_open = [m for m in measures_of(ctx.session, ctx.case) if m.status == MeasureStatus.open]
    if still_open and not payload.servant_confirmed:
        listed = "; ".join(
            f"{m.seq} ({m.what}, {m.responsible_email}, due {m.due.isoformat()})"
            for m in still_open
        )
        raise InvalidInput(
            f"confirm_restored: measures still open: {listed}; record each with"
            " complete_measure or reject_measure, or add --set servant_confirmed=true if"
            " the servant confirms the rights are restored"
        )
    if payload.servant_confirmed:
        ctx.notes["servant_confirmed"] = True
    _cancel_open_measures(ctx, "the servant confirmed the rights restored")


def escalate(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.Escalate)
    measures = measures_of(ctx.session, ctx.case)
    failed = [
        {"measure": m.seq, "state": "rejected"}
        if m.status == MeasureStatus.rejected
        else {"measure": m.seq, "state": "overdue"}
        for m in measures
        if m.status == MeasureStatus.rejected or is_overdue(ctx.session, m, ctx.today)
    ]
    if not failed:
        listed = ", ".join(f"{m.seq} {m.status} due {m.due.isoformat()}" for m in measures)
        raise InvalidInput(
            f"escalate: no measure is overdue or rejected ({listed or 'no measures'});"
            " a case is escalated when a measure was not done in time or was refused"
        )
    ctx.notes["escalated_to"] = payload.to.value
    ctx.notes["measures"] = failed
    if payload.to == p.EscalateTo.board:
        from ethicsflow.models.boards.roster import board_of_case

        try:
            board = board_of_case(ctx.session, ctx.case)
        except InvalidInput as exc:
            raise InvalidInput(f"--set to: {exc.message}") from None
        ctx.notes["board"] = board.code


def not_confirmed(ctx: Context) -> None:
    _cancel_open_measures(ctx, "the violation was not confirmed")


# --- follow-ups -----------------------------------------------------------------------------


def _open_retaliation_case(ctx: Context, deadline: Deadline, reason: str) -> Case:
    """File a new restoration request of the servant, linked to this case (same transaction)."""
    from ethicsflow.models.cases.filing import FileCase
    from ethicsflow.models.cases.intake import file_case

    filer = party_person(ctx.session, ctx.case, PartyRole.complainant)
    if filer is None:
        raise InvalidInput(
            f"--set retaliation: {ctx.case.number} has no filer to open the new case for;"
            f" file it with `case file --kind restoration --related {ctx.case.number}`"
        )
    org = ctx.session.get(Organization, ctx.case.organization_id)
    assert org is not None
    filing = FileCase(
        kind="restoration",
        org=org.code,
        by=filer.email,
        summary=(
            f"Suspected retaliation found at the follow-up check {deadline.name} of"
            f" {ctx.case.number}: {reason}"
        ),
        received_at=ctx.at,
        key=f"follow-up:{ctx.case.number}:{deadline.name}",
        related=ctx.case.number,
    )
    filed = file_case(ctx.session, filing, now=ctx.at, policy=ctx.policy)
    new = ctx.session.exec(select(Case).where(Case.number == filed.number)).one()
    new.category = "retaliation"
    ctx.session.add(new)
    return new


def follow_up(ctx: Context) -> None:
    payload = ctx.payload
    assert isinstance(payload, p.FollowUpCheck)
    pending = pending_follow_ups(ctx.session, ctx.case)
    if not pending:
        raise InvalidInput(f"follow_up: no follow-up check is pending on {ctx.case.number}")
    deadline = pending[0]
    if deadline.status == DeadlineStatus.missed:
        ctx.notes["late"] = f"due {deadline.due.isoformat()}"
    else:
        ctx.close(deadline, DeadlineStatus.met)
    new = None
    if payload.retaliation == p.Retaliation.suspected:
        new = _open_retaliation_case(ctx, deadline, payload.reason)
        ctx.notes["new_case"] = new.number
    ctx.session.add(
        FollowUp(
            case_id=ctx.case.id or 0,
            deadline_name=deadline.name,
            checked_on=ctx.today,
            retaliation=payload.retaliation.value,
            reason=payload.reason,
            new_case_id=new.id if new else None,
            by=ctx.actor_label,
            created_at=ctx.at,
        )
    )
    ctx.notes["follow_up"] = deadline.name
    last = len(pending) == 1
    for other in ctx.live():
        if other.name == "appeal_window" and other.due < ctx.today:
            ctx.close(other, DeadlineStatus.met)  # the window passed without an appeal
        elif last:
            ctx.close(other, DeadlineStatus.cancelled)
    if last:
        ctx.case.status = "closed"


def schedule_restoration_hearing(ctx: Context) -> None:
    """The Board hears a restoration case only when it was escalated to the Board."""
    from ethicsflow.models.audit.tables import Event
    from ethicsflow.models.boards.hearing import schedule_hearing

    event = ctx.session.exec(
        select(Event)
        .where(Event.case_id == ctx.case.id, Event.action == "escalate")
        .order_by(col(Event.id).desc())
    ).first()
    to = json.loads(event.payload).get("to") if event is not None else None
    if to != p.EscalateTo.board:
        raise InvalidInput(
            f"schedule_hearing: {ctx.case.number} was escalated to the {to or 'nobody'}, not"
            " to the Ethics Board; the Board hears a restoration case escalated with"
            " `escalate --set to=board`"
        )
    schedule_hearing(ctx)
