"""Context builders of the letters of a case: one ``build_<kind>_context`` per kind.

Each returns exactly ``FIELDS[kind]`` (``kinds.py``), every value formatted in the
document's language: dates in words, names, labels, citations. Where a fact is not in the
database the value says so ("not recorded in ethicsflow") instead of inventing it; where
the document cannot exist yet (no extension, no respondent), it is refused with
:class:`InvalidInput` naming the step that is missing. The Board's documents are in
``board_contexts.py``, the restoration measures letter in ``restoration_contexts.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from ethicsflow.models.audit.tables import Event
from ethicsflow.models.boards.records import decision_of
from ethicsflow.models.cases.filing import CaseKind
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.documents import facts as f
from ethicsflow.models.documents.board_contexts import (
    build_board_decision_context,
    build_formal_request_context,
    build_hearing_minutes_context,
)
from ethicsflow.models.documents.formatting import (
    OUTCOMES,
    cite,
    clean,
    date_in_words,
    text,
    within,
)
from ethicsflow.models.documents.kinds import ADDRESSED
from ethicsflow.models.documents.restoration_contexts import (
    build_measures_letter_context,
    restoration_outcome,
)
from ethicsflow.models.errors import InvalidInput, option, payload
from ethicsflow.models.notifications.texts import POST_LABELS, label
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import Policy, load_policy

Builder = Callable[..., dict[str, Any]]


def _registering_officer(session: Session, case: Case) -> Person | None:
    """The commissioner assigned at registration (the filing's own `assign` event)."""
    filed = f.last_event(session, case, "file")
    for event in f.events(session, case, "assign"):
        if filed is not None and event.seq == filed.seq + 1 and event.actor == "system":
            return f.person_by_email(session, str(f.payload(event).get("assignee", "")))
    return None


def build_coupon_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """The registration coupon (APPK Art. 64(2)). The receipt code of an anonymous filing
    is not stored (only its hash), so it is never printed."""
    policy = policy or load_policy()
    local = case.received_at.astimezone(ZoneInfo(policy.zone))
    officer = _registering_officer(session, case)
    notes = []
    if case.anonymous:
        notes.append(
            {
                "kk": "Анонимді өтініштің қабылдау коды тіркеу кезінде бір рет көрсетілді;"
                " ethicsflow оның тек хэшін сақтайды және оны қайта басып шығара алмайды.",
                "ru": "Код приёма анонимного обращения был показан один раз при регистрации;"
                " ethicsflow хранит только его хэш и не может напечатать его повторно.",
                "en": "The receipt code of an anonymous appeal was shown once at"
                " registration; ethicsflow keeps only its hash and cannot print it again.",
            }[language]
        )
    if case.missing_requisites:
        missing = ", ".join(clean(m) for m in case.missing_requisites)
        notes.append(
            {
                "kk": f"Өтініште жетіспейтін деректемелер (ӘРПК 63-бабы): {missing}.",
                "ru": f"В обращении отсутствуют реквизиты (статья 63 АППК РК): {missing}.",
                "en": f"Details missing from the appeal (APPK Art. 63): {missing}.",
            }[language]
        )
    return {
        **f.common(session, case, language, case.registered_on),
        "received_date": date_in_words(local.date(), language),
        "received_time": local.strftime("%H:%M"),
        "registered_on": date_in_words(case.registered_on, language),
        "registering_officer": clean(officer.name) if officer else "ethicsflow",
        "registering_post": label(POST_LABELS, "commissioner" if officer else "system", language),
        "filer": f.filer_name(session, case, language),
        "answer_due": f.due_text(f.deadline(session, case, "answer", first=True), language)
        or text("not_recorded", language),
        "notes": notes,
    }


def build_acknowledgment_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Letter to the filer: the appeal was received and registered; when it is answered."""
    policy = policy or load_policy()
    name, post = f.commissioner(session, case, language)
    return {
        **f.common(session, case, language, case.registered_on),
        "filer": f.filer_name(session, case, language),
        "received_date": date_in_words(f.receipt_day(case, policy), language),
        "registered_on": date_in_words(case.registered_on, language),
        "answer_due": f.due_text(f.deadline(session, case, "answer", first=True), language)
        or text("not_recorded", language),
        "commissioner": name,
        "commissioner_post": post,
    }


def _extension_dues(event_payload: dict[str, Any]) -> tuple[str | None, str | None]:
    old = new = None
    for change in event_payload.get("deadlines", []):
        if change.get("deadline") != "answer":
            continue
        if change.get("status") == "extended":
            old = change.get("due")
        elif change.get("status") == "open":
            new = change.get("due")
    return old, new


def build_extension_notice_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Notice to the filer that the answer period was extended (APPK Art. 76(3))."""
    policy = policy or load_policy()
    event = f.last_event(session, case, "extend")
    if event is None:
        raise f.refuse("extension_notice", case, "document.no_extension")
    data = f.payload(event)
    old, new = _extension_dues(data)

    def words(iso: str | None) -> str:
        if not iso:
            return text("not_recorded", language)
        return date_in_words(dt.date.fromisoformat(iso), language)

    approver = f.person_by_email(session, event.actor)
    return {
        **f.common(session, case, language, f.day_of(event.at, policy)),
        "filer": f.filer_name(session, case, language),
        "received_date": date_in_words(f.receipt_day(case, policy), language),
        "old_due": words(old),
        "new_due": words(new),
        "reason": clean(str(data.get("reason", ""))) or text("no_reason", language),
        "approved_by": clean(approver.name) if approver else clean(event.actor),
    }


def build_forwarding_notice_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Notice to the filer that the appeal went to the competent body (APPK Art. 65(1))."""
    policy = policy or load_policy()
    event = f.last_event(session, case, "forward")
    if event is None:
        raise f.refuse("forwarding_notice", case, "document.not_forwarded")
    data = f.payload(event)
    name, post = f.commissioner(session, case, language)
    return {
        **f.common(session, case, language, f.day_of(event.at, policy)),
        "filer": f.filer_name(session, case, language),
        "received_date": date_in_words(f.receipt_day(case, policy), language),
        "to_body": clean(str(data.get("to_body", ""))) or text("not_recorded", language),
        "reason": clean(str(data.get("reason", ""))) or text("no_reason", language),
        "commissioner": name,
        "commissioner_post": post,
    }


def build_explanation_request_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Request to the respondent for a written explanation; without a `request_explanation`
    action yet, it asks about the facts and gives the policy's period in words."""
    policy = policy or load_policy()
    row, who = f.respondent_of(session, case)
    if row is None:
        raise f.refuse(
            "explanation_request",
            case,
            "document.no_respondent",
            respondent=payload("respondent", "EMAIL"),
        )
    event = f.last_event(session, case, "request_explanation")
    due = f.deadline(session, case, "explanation") if event else None
    rule = policy.rules["explanation"]  # a required rule (the policy checks it is there)
    name, post = f.commissioner(session, case, language)
    day = f.day_of(event.at, policy) if event else f.today_or(today, policy)
    questions = clean(str(f.payload(event).get("questions", ""))) if event else ""
    return {
        **f.common(session, case, language, day),
        "respondent": f.party_name(session, row, language),
        "respondent_org": f.org_name(session, who.organization_id if who else None)
        or text("not_recorded", language),
        "facts": clean(case.summary),
        "questions": questions or text("default_questions", language),
        "explanation_due": f.due_text(due, language) or within(rule.amount, rule.unit, language),
        "commissioner": name,
        "commissioner_post": post,
    }


def _complaint_outcome(
    session: Session, case: Case, language: str, policy: Policy
) -> tuple[str, str, list[str], Event | None]:
    """Outcome, reasons, standards breached and the answering event of a complaint."""
    decision = decision_of(session, case)
    answered = f.last_event(session, case, "answer", "find_no_violation")
    referred = f.last_event(session, case, "refer_to_disciplinary")
    if decision is not None:
        outcome = decision.outcome
    elif answered is not None and answered.action == "find_no_violation":
        outcome = "no_violation"
    elif referred is not None:
        outcome = "referred"
    else:
        raise f.refuse("answer", case, "document.no_outcome")
    reasoning = clean(str(f.payload(answered).get("reason", ""))) if answered else ""
    if not reasoning and decision is not None:
        reasoning = clean(decision.reasoning)
    if not reasoning and referred is not None:
        reasoning = clean(str(f.payload(referred).get("reason", "")))
    if decision is not None and decision.outcome == "violation" and decision.standards:
        code = f.code_version(policy, case, decision)
        standards = [cite(code, ref, language) for ref in decision.standards]
    else:
        standards = [text("no_standards", language)]
    return outcome, reasoning, standards, answered


def build_answer_context(
    session: Session,
    case: Case,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """The reasoned answer to the filer, with the right to appeal (APPK Art. 91): the
    reasons of the answering action, else of the Board's decision; for a restoration
    request, of ``confirm_restored`` or ``not_confirmed`` with the measures taken."""
    policy = policy or load_policy()
    if case.kind == CaseKind.restoration:
        outcome, reasoning, standards, answered = restoration_outcome(session, case, language)
    else:
        outcome, reasoning, standards, answered = _complaint_outcome(
            session, case, language, policy
        )
    window = f.deadline(session, case, "appeal_window")
    rule = policy.rules["appeal_window"]  # a required rule
    name, post = f.commissioner(session, case, language)
    day = f.day_of(answered.at, policy) if answered else f.today_or(today, policy)
    return {
        **f.common(session, case, language, day),
        "filer": f.filer_name(session, case, language),
        "received_date": date_in_words(f.receipt_day(case, policy), language),
        "facts": clean(case.summary),
        "outcome": label(OUTCOMES, outcome, language),
        "reasoning": reasoning or text("no_reason", language),
        "standards": standards,
        "appeal_until": f.due_text(window, language) or within(rule.amount, rule.unit, language),
        "signer": name,
        "signer_post": post,
    }


BUILDERS: dict[str, Builder] = {
    "coupon": build_coupon_context,
    "acknowledgment": build_acknowledgment_context,
    "extension_notice": build_extension_notice_context,
    "forwarding_notice": build_forwarding_notice_context,
    "explanation_request": build_explanation_request_context,
    "board_decision": build_board_decision_context,
    "hearing_minutes": build_hearing_minutes_context,
    "formal_request": build_formal_request_context,
    "answer": build_answer_context,
    "measures_letter": build_measures_letter_context,
}


def build_context(
    session: Session,
    case: Case,
    kind: str,
    language: str,
    *,
    today: dt.date | None = None,
    policy: Policy | None = None,
    to: str | None = None,
) -> dict[str, Any]:
    """The context of ``kind`` for ``case`` in ``language`` (exactly ``FIELDS[kind]``);
    ``to`` addresses a kind of ``ADDRESSED`` to one person."""
    if to is None:
        return BUILDERS[kind](session, case, language, today=today, policy=policy)
    if kind not in ADDRESSED:
        raise InvalidInput("document.not_addressed", option("to"), addressed=list(ADDRESSED))
    return BUILDERS[kind](session, case, language, today=today, policy=policy, to=to)
