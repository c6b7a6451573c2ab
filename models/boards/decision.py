"""The Ethics Board's decision: the ``decide`` effect and the decision document it issues.

``decide`` refuses, naming the rule, without attendance, quorum, every vote of the
members present and not recused, or a majority (the policy's ``board`` rule), and with
standards not in the Ethical Code in force on the date of the conduct or a penalty after
the disciplinary limitation date. The decision document (.docx) is issued once per
language a party reads it in, in the same transaction, and attached to their notices.
"""

from __future__ import annotations

from collections.abc import Callable

from ethicsflow.models.boards.hearing import sitting_of
from ethicsflow.models.boards.quorum import rule_text
from ethicsflow.models.boards.records import (
    LIMITATION_BASIS,
    decision_of,
    limitation_deadline,
)
from ethicsflow.models.boards.sitting import count_sitting
from ethicsflow.models.boards.tables import Decision, HearingStatus, Outcome
from ethicsflow.models.deadlines.tables import DeadlineStatus
from ethicsflow.models.documents.store import documents_dir, issue_document
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.errors import payload as in_payload
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context


def _check_standards(ctx: Context[p.Payload], payload: p.Decide) -> tuple[str, str | None]:
    """(code version, penalty note); refuses invalid standards or measure."""
    day = ctx.case.committed_on or ctx.receipt()
    code = ctx.policy.ethical_code.in_force(day)
    # the version in force on the date of the conduct or, not known, on the receipt date
    known = [s.ref for s in code.standards]
    if payload.outcome == Outcome.violation:
        if not payload.standards:
            raise InvalidInput(
                "decision.standards_missing"
                if ctx.case.committed_on
                else "decision.standards_missing_by_receipt",
                in_payload("standards"),
                known=known,
                version=code.version,
                day=day,
            )
        unknown = [ref for ref in payload.standards if code.standard(ref) is None]
        if unknown:
            raise InvalidInput(
                "decision.standards_unknown"
                if ctx.case.committed_on
                else "decision.standards_unknown_by_receipt",
                in_payload("standards"),
                unknown=unknown,
                known=known,
                version=code.version,
                day=day,
            )
        penalties = [item.code for item in ctx.policy.penalties.items]
        if payload.measure is not None and payload.measure not in penalties:
            raise InvalidInput(
                "decision.unknown_penalty",
                in_payload("measure"),
                measure=payload.measure,
                penalties=penalties,
                basis=ctx.policy.penalties.basis,
            )
    else:
        if payload.standards:
            raise InvalidInput("decision.standards_without_violation", in_payload("standards"))
        if payload.measure is not None:
            raise InvalidInput("decision.penalty_without_violation", in_payload("measure"))
    note = None
    limitation = limitation_deadline(ctx.session, ctx.case)
    if limitation is not None and ctx.today > limitation.due:
        if payload.measure is not None:
            raise InvalidInput(
                "decision.penalty_after_limitation",
                in_payload("measure"),
                limitation=limitation.due,
                basis=LIMITATION_BASIS,
            )
        if payload.outcome == Outcome.violation:
            note = (
                f"no penalty is recommended: the disciplinary limitation date"
                f" {limitation.due.isoformat()} has passed ({LIMITATION_BASIS})"
            )
    return code.version, note


def decide(ctx: Context[p.Decide]) -> None:
    payload = ctx.payload
    sitting = sitting_of(ctx)
    hearing = sitting.hearing
    rule = ctx.policy.board
    if hearing.present is None:
        raise InvalidInput("decision.no_attendance", action="decide")
    count = count_sitting(ctx.session, hearing, sitting.seats, rule)
    result = count.tally
    if not result.quorum_met:
        raise InvalidInput(
            "decision.no_quorum", action="decide", tally=result.reason, rule=rule_text(rule)
        )
    if count.missing:
        raise InvalidInput("decision.votes_missing", action="decide", members=count.missing)
    if not result.adopted:
        raise InvalidInput(
            "decision.not_adopted", action="decide", tally=result.reason, rule=rule_text(rule)
        )
    version, note = _check_standards(ctx, payload)
    ctx.session.add(
        Decision(
            case_id=ctx.case.id or 0,
            hearing_id=hearing.id or 0,
            outcome=payload.outcome,
            standards=list(payload.standards),
            code_version=version,
            penalty=payload.measure,
            penalty_note=note,
            reasoning=payload.reason,
            votes_for=result.for_,
            votes_against=result.against,
            votes_abstain=result.abstain,
            members=len(sitting.seats),
            present=result.eligible,
            recused=count.recused,
            quorum_rule=rule_text(rule),
            decided_on=ctx.today,
            decided_by=ctx.actor_label,
        )
    )
    hearing.status = HearingStatus.held
    ctx.session.add(hearing)
    ctx.notes["tally"] = result.reason
    ctx.notes["code_version"] = version
    if note:
        ctx.notes["penalty_note"] = note
    if payload.outcome == Outcome.no_violation:
        # No penalty can follow: the limitation clock is moot (as for find_no_violation).
        for deadline in ctx.live("limitation"):
            ctx.close(deadline, DeadlineStatus.cancelled)


def decision_documents(ctx: Context[p.Payload]) -> Callable[[str], list[str]]:
    """The decision .docx in a language, issued once per language in this transaction."""
    issued: dict[str, list[str]] = {}
    decision = decision_of(ctx.session, ctx.case)
    author = decision.decided_by if decision else "system"

    def document(lang: str) -> list[str]:
        if lang not in issued:
            row = issue_document(ctx.session, ctx.case, "board_decision", lang, author, at=ctx.at)
            issued[lang] = [str(documents_dir() / row.path)]
        return issued[lang]

    return document
