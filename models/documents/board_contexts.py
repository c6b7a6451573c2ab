"""Context builders of the Ethics Board's documents: decision, minutes, представление.

What each holds follows DESIGN §7 (inferred from published practice, no real template
was found): board and region, number, date, place, members present and absent,
secretary, invited persons, quorum with the rule applied, agenda, who referred the
materials and when, facts, the respondent's explanation, length of service and earlier
penalties, the norms breached, the vote, recusals and dissenting opinions, the
recommended penalty, the instruction to send a представление, signatures.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.boards.records import decision_of
from ethicsflow.models.boards.roster import roster
from ethicsflow.models.boards.tables import Board, Decision, Hearing, Recusal, Vote
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.documents import facts as f
from ethicsflow.models.documents.formatting import (
    OUTCOMES,
    RECUSAL_GROUNDS,
    VOTES,
    cite,
    clean,
    date_in_words,
    head_of,
    head_post,
    quorum_statement,
    text,
)
from ethicsflow.models.documents.kinds import FIELDS
from ethicsflow.models.notifications.texts import KIND_LABELS, POST_LABELS, label
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy, load_policy


def penalty_label(policy: Policy, code: str, language: str) -> str:
    item = next((p for p in policy.penalties.items if p.code == code), None)
    return clean(getattr(item, f"label_{language}")) if item else clean(code)


def _penalty(policy: Policy, decision: Decision | None, language: str) -> str:
    if decision is None:
        return text("no_decision", language)
    if decision.penalty:
        return penalty_label(policy, decision.penalty, language)
    note = clean(decision.penalty_note)
    return f"{text('no_penalty', language)}: {note}" if note else text("no_penalty", language)


def appointing_official(session: Session, case: Case, respondent: Person | None, lang: str) -> str:
    """The head of the respondent's body (a person with the role ``head``), else a
    description of the post."""
    org_id = respondent.organization_id if respondent else case.organization_id
    org = f.org_name(session, org_id)
    heads = sorted(
        (
            p
            for p in session.exec(select(Person).where(Person.organization_id == org_id)).all()
            if p.has_role("head")
        ),
        key=lambda p: (p.name, p.email),
    )
    if heads:
        return f"{clean(heads[0].name)}, {head_post(org, lang)}"
    return head_of(org, lang)


def earlier_penalties(
    session: Session, case: Case, respondent: Person | None, before: dt.date, lang: str
) -> str:
    """Breaches found by a Board in the respondent's earlier cases (ethicsflow's own)."""
    if respondent is None:
        return text("no_earlier_penalties", lang)
    rows = session.exec(
        select(Case, Decision)
        .join(Party, col(Party.case_id) == Case.id)
        .join(Decision, col(Decision.case_id) == Case.id)
        .where(
            Party.role == PartyRole.respondent,
            Party.person_id == respondent.id,
            Decision.outcome == "violation",
            Case.id != case.id,
            col(Decision.decided_on) < before,
        )
        .order_by(col(Decision.decided_on), col(Case.number))
    ).all()
    if not rows:
        return text("no_earlier_penalties", lang)
    policy = load_policy()
    return "; ".join(
        f"{other.number}: {_penalty(policy, decision, lang)}"
        f" ({date_in_words(decision.decided_on, lang)})"
        for other, decision in rows
    )


def _instructions(
    decision: Decision | None, addressee: str, limitation: str, lang: str
) -> list[str]:
    """What the Board instructs, as bullet items without a final stop (a Russian date
    ends in "г.")."""
    return [
        item.removesuffix(".") for item in _instruction_texts(decision, addressee, limitation, lang)
    ]


def _instruction_texts(
    decision: Decision | None, addressee: str, limitation: str, lang: str
) -> list[str]:
    if decision is None:
        return [
            {
                "kk": "Іс Кеңестің қарауында қалады.",
                "ru": "Дело остаётся на рассмотрении Совета.",
                "en": "The case remains before the Board.",
            }[lang]
        ]
    if decision.outcome == "violation":
        return [
            {
                "kk": f"Тәртіптік жаза қолдану туралы мәселені қарау үшін ұсынуды жіберу:"
                f" {addressee}; тәртіптік жаза қолдану мерзімі: {limitation}.",
                "ru": f"Направить представление для рассмотрения вопроса о наложении"
                f" дисциплинарного взыскания: {addressee}; срок наложения взыскания:"
                f" {limitation}.",
                "en": f"Send a formal request (представление) to consider a disciplinary"
                f" penalty to: {addressee}; disciplinary limitation date: {limitation}.",
            }[lang],
            {
                "kk": "Шешім туралы өтініш берушіге және шағым жасалған адамға хабарлау.",
                "ru": "Уведомить о решении заявителя и лицо, в отношении которого подано"
                " обращение.",
                "en": "Inform the filer and the person complained of of this decision.",
            }[lang],
        ]
    return [
        {
            "kk": "Өтініш берушіге шағымдану құқығы көрсетілген дәлелді жауап жіберу.",
            "ru": "Направить заявителю мотивированный ответ с разъяснением права обжалования.",
            "en": "Send the filer a reasoned answer stating the right to appeal.",
        }[lang],
        {
            "kk": "Шешім туралы шағым жасалған адамға хабарлау.",
            "ru": "Уведомить о решении лицо, в отношении которого подано обращение.",
            "en": "Inform the person complained of of this decision.",
        }[lang],
    ]


def _name(session: Session, person_id: int, lang: str) -> str:
    who = f.person(session, person_id)
    return clean(who.name) if who else text("unknown_person", lang)


def _recusals(session: Session, hearing: Hearing) -> list[Recusal]:
    return list(
        session.exec(
            select(Recusal).where(Recusal.hearing_id == hearing.id).order_by(col(Recusal.id))
        ).all()
    )


def _board_part(
    session: Session,
    case: Case,
    lang: str,
    policy: Policy,
    board: Board,
    hearing: Hearing,
    decision: Decision | None,
    *,
    count_votes: bool = False,
) -> dict[str, Any]:
    """The fields the decision and the minutes share (``kinds._BOARD``). The decision
    reports the tally it recorded; the minutes (``count_votes``) count the Vote rows."""
    seats = roster(session, board)
    chair = next((s.person for s in seats if s.chair), None)
    secretary = f.person(session, board.secretary_id)
    present_ids = hearing.present
    if present_ids is None:
        present = absent = [text("attendance_not_recorded", lang)]
    else:
        chair_mark = f" ({text('chair', lang)})"
        present = [
            clean(s.person.name) + (chair_mark if s.chair else "")
            for s in seats
            if s.person.id in present_ids
        ]
        seated = {s.person.id for s in seats}
        present += [_name(session, pid, lang) for pid in present_ids if pid not in seated]
        recused_ids = {r.person_id for r in _recusals(session, hearing) if r.upheld}
        absent = [
            clean(s.person.name)
            for s in seats
            if s.person.id not in present_ids and s.person.id not in recused_ids
        ]
        absent = absent or [text("all_present", lang)]
    row, respondent = f.respondent_of(session, case)
    respondent_name = f.party_name(session, row, lang)
    referral = f.last_event(session, case, "refer_to_board")
    referrer = f.person_by_email(session, referral.actor) if referral else None
    invited = [f"{respondent_name} — {text('as_respondent', lang)}"]
    if referrer is not None:
        invited.append(f"{clean(referrer.name)} — {text('as_reporter', lang)}")
    recusal_rows = _recusals(session, hearing)
    recusals = [
        f"{_name(session, r.person_id, lang)}: {label(RECUSAL_GROUNDS, r.ground, lang)}"
        f" — {clean(r.reason)} ({text('upheld' if r.upheld else 'rejected', lang)})"
        for r in recusal_rows
    ] or [text("no_recusals", lang)]
    votes = session.exec(
        select(Vote).where(Vote.hearing_id == hearing.id).order_by(col(Vote.id))
    ).all()
    dissents = [
        f"{_name(session, v.person_id, lang)}: {clean(v.dissent)}" for v in votes if v.dissent
    ] or [text("no_dissents", lang)]
    if decision is not None and not count_votes:
        tally = [decision.votes_for, decision.votes_against, decision.votes_abstain]
    else:
        tally = [sum(1 for v in votes if v.vote == c) for c in ("for", "against", "abstain")]
    present_count: int | None
    if decision is not None:
        members, present_count, recused = decision.members, decision.present, decision.recused
    else:
        members = len(seats)
        present_count = len(present_ids) if present_ids is not None else None
        recused = sum(1 for r in recusal_rows if r.upheld)
    limitation = f.due_text(f.deadline(session, case, "limitation"), lang) or text(
        "no_limitation", lang
    )
    addressee = appointing_official(session, case, respondent, lang)
    if decision is not None and decision.outcome == "violation" and decision.standards:
        code = f.code_version(policy, case, decision)
        standards = [cite(code, ref, lang) for ref in decision.standards]
    else:
        standards = [text("no_standards", lang)]
    agenda = [
        {
            "kk": f"№ {c.number} іс ({label(KIND_LABELS, c.kind, lang)}),"
            f" {f.org_name(session, c.organization_id)}",
            "ru": f"Дело № {c.number} ({label(KIND_LABELS, c.kind, lang)}),"
            f" {f.org_name(session, c.organization_id)}",
            "en": f"Case {c.number} ({label(KIND_LABELS, c.kind, lang)}),"
            f" {f.org_name(session, c.organization_id)}",
        }[lang]
        for c in f.sitting(session, hearing)
    ]
    not_recorded = text("not_recorded", lang)
    return {
        "board_name": clean(board.name),
        "board_region": clean(board.region),
        "hearing_date": date_in_words(hearing.date, lang),
        "hearing_time": hearing.time,
        "place": clean(hearing.place),
        "chair": clean(chair.name) if chair else text("no_chair", lang),
        "secretary": clean(secretary.name) if secretary else not_recorded,
        "members_present": present,
        "members_absent": absent,
        "invited": invited,
        "quorum": quorum_statement(policy, members, present_count, recused, lang),
        "agenda": agenda,
        "referred_by": f"{clean(referrer.name)}, {label(POST_LABELS, 'commissioner', lang)}"
        if referrer
        else not_recorded,
        "referred_on": date_in_words(f.day_of(referral.at, policy), lang)
        if referral
        else not_recorded,
        "referral_reason": clean(str(f.payload(referral).get("reason", ""))) or not_recorded,
        "facts": clean(case.summary),
        "respondent": respondent_name,
        "respondent_org": f.org_name(session, respondent.organization_id if respondent else None)
        or not_recorded,
        "explanation": clean(
            str(f.payload(f.last_event(session, case, "record_explanation")).get("text", ""))
        )
        or text("no_explanation", lang),
        "service_length": not_recorded,
        "earlier_penalties": earlier_penalties(
            session, case, respondent, decision.decided_on if decision else hearing.date, lang
        ),
        "outcome": label(OUTCOMES, decision.outcome, lang)
        if decision
        else text("no_decision", lang),
        "standards": standards,
        "reasoning": clean(decision.reasoning) if decision else not_recorded,
        "votes_for": tally[0],
        "votes_against": tally[1],
        "votes_abstain": tally[2],
        "recusals": recusals,
        "dissents": dissents,
        "penalty": _penalty(policy, decision, lang),
        "instructions": _instructions(decision, addressee, limitation, lang),
        "addressee": addressee,
        "limitation_date": limitation,
    }


def _decided(kind: str, session: Session, case: Case) -> tuple[Decision, Hearing, Board]:
    decision = decision_of(session, case)
    if decision is None:
        raise f.refuse(kind, case, "document.no_decision")
    hearing = session.get(Hearing, decision.hearing_id)
    board = f.board(session, hearing.board_id) if hearing else None
    if hearing is None or board is None:
        raise f.refuse(kind, case, "document.decision_without_hearing")
    return decision, hearing, board


def build_board_decision_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    policy = policy or load_policy()
    decision, hearing, board = _decided("board_decision", session, case)
    return {
        **f.common(session, case, language, decision.decided_on),
        **_board_part(session, case, language, policy, board, hearing, decision),
        "decision_number": f"{board.code}/{case.number}",
    }


def build_hearing_minutes_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Minutes of the sitting that heard the case (with or without a decision yet)."""
    policy = policy or load_policy()
    decision = decision_of(session, case)
    hearing = f.hearing_of(session, case, decision)
    if hearing is None:
        raise f.refuse("hearing_minutes", case, "document.no_hearing")
    if hearing.present is None:
        raise f.refuse("hearing_minutes", case, "document.no_attendance")
    board = f.board(session, hearing.board_id)
    if board is None:
        raise f.refuse("hearing_minutes", case, "document.hearing_without_board")
    votes = session.exec(
        select(Vote).where(Vote.hearing_id == hearing.id).order_by(col(Vote.id))
    ).all()
    return {
        **f.common(session, case, language, hearing.date),
        **_board_part(session, case, language, policy, board, hearing, decision, count_votes=True),
        "minutes_number": f"{board.code}/{hearing.date.isoformat()}",
        "votes": [
            {"name": _name(session, v.person_id, language), "vote": label(VOTES, v.vote, language)}
            for v in votes
        ]
        or [{"name": text("no_votes", language), "vote": "—"}],
    }


def build_formal_request_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """The представление to the appointing official, after a Board found a breach."""
    policy = policy or load_policy()
    decision, hearing, board = _decided("formal_request", session, case)
    if decision.outcome != "violation":
        raise f.refuse(
            "formal_request",
            case,
            "document.no_breach",
        )
    part = _board_part(session, case, language, policy, board, hearing, decision)
    return {
        **f.common(session, case, language, f.today_or(today, policy)),
        # the Board part of the decision that this kind declares (kinds.FIELDS)
        **{k: v for k, v in part.items() if k in FIELDS["formal_request"]},
        "outgoing_number": f"{board.code}/{case.number}/FR",
        "decision_number": f"{board.code}/{case.number}",
        "decision_date": date_in_words(decision.decided_on, language),
    }
