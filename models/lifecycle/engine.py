"""The one generic engine that applies any lifecycle action to a case.

Validate the actor, the state and the payload; run the action's effect;
start, meet and cancel its deadlines; change the status; append the audit
event. All inside the caller's transaction: any refusal writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.access import actor_tokens, allowed_actions, get_case, get_person
from ethicsflow.models.cases.intake import file_case
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.calendar import calendar_for
from ethicsflow.models.deadlines.rules import local_date, rule_due
from ethicsflow.models.deadlines.tables import DeadlineStatus
from ethicsflow.models.errors import ActionNotAllowed, Conflict, NotPermitted
from ethicsflow.models.lifecycle.base import SYSTEM, Action, Lifecycle
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.lifecycle.fields import parse_payload
from ethicsflow.models.lifecycle.kinds import LIFECYCLES
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.types import utcnow


@dataclass(frozen=True)
class ActResult:
    number: str
    action: str
    from_status: str
    status: str
    version: int
    changes: list[dict[str, Any]]
    notes: dict[str, Any]


def _refuse_if_not_allowed(
    lifecycle: Lifecycle, case: Case, name: str, tokens: set[str], actor: str
) -> Action[Any]:
    action = lifecycle.action(name)
    here = allowed_actions(lifecycle, case)
    if action is None or case.status not in action.source:
        raise ActionNotAllowed(
            "action.unknown" if action is None else "action.not_allowed",
            action=name,
            status=case.status,
            kind=lifecycle.kind,
            number=case.number,
            allowed=here,
            listed=here or "none",
        )
    if not tokens & set(action.roles):
        raise NotPermitted(
            "action.not_permitted", action=name, actor=actor, number=case.number, roles=action.roles
        )
    return action


def apply_action(
    session: Session,
    *,
    number: str,
    action: str,
    actor_email: str,
    values: dict[str, Any],
    at: datetime | None = None,
    if_version: int | None = None,
    policy: Policy | None = None,
    operator: str | None = None,
    literal: bool = False,
) -> ActResult:
    """Apply ``action`` as ``actor_email``; ``operator``: who at the server's console acted
    for that person (recorded in the event beside the actor)."""
    policy = policy or load_policy()
    # Lock the row: a concurrent action waits here and then sees the winner's status and
    # version (as SQLite's BEGIN IMMEDIATE gives), instead of failing half-way at flush.
    case = get_case(session, number, lock=True)
    if if_version is not None and case.version != if_version:
        raise Conflict(
            "action.version_mismatch",
            number=case.number,
            version=case.version,
            expected=if_version,
        )
    lifecycle = LIFECYCLES[case.kind]
    if actor_email == SYSTEM:
        actor, label, tokens = None, SYSTEM, {SYSTEM}
    else:
        actor = get_person(session, actor_email)
        label, tokens = actor.email, actor_tokens(session, case, actor)
    spec = _refuse_if_not_allowed(lifecycle, case, action, tokens, label)
    payload = parse_payload(spec.payload, values, literal=literal)
    at = at or utcnow()
    case.bump()
    ctx = Context(
        session=session,
        case=case,
        actor=actor,
        actor_label=label,
        action=spec.name,
        payload=payload,
        at=at,
        today=local_date(at, policy.zone),
        policy=policy,
        cal=calendar_for(policy),
        open_case=lambda filing: file_case(session, filing, now=at, policy=policy).number,
    )
    before = case.status
    if spec.effect is not None:
        spec.effect(ctx)
        if case.status != before and case.status not in spec.may_lead_to:
            raise AssertionError(f"{spec.name}: the effect set status {case.status}")
    for name in spec.meets:
        for deadline in ctx.live(name):
            ctx.close(deadline, DeadlineStatus.met)
    for deadline in ctx.live():
        if "*" in spec.cancels or deadline.name in spec.cancels:
            ctx.close(deadline, DeadlineStatus.cancelled)
    for rule in spec.starts:
        ctx.start(rule_due(rule, ctx.today, policy, ctx.cal))
    if spec.dest:
        case.status = spec.dest
    event_payload: dict[str, Any] = payload.model_dump(mode="json", exclude_none=True)
    if ctx.changes:
        event_payload["deadlines"] = ctx.changes
    if ctx.notes:
        event_payload["notes"] = ctx.notes
    if operator:
        event_payload["operator"] = operator
    append_event(
        session,
        case,
        actor=label,
        action=spec.name,
        from_status=before,
        to_status=case.status,
        payload=event_payload,
        at=at,
    )
    session.add(case)
    session.flush()
    for notice in spec.notices:
        notice(ctx)
    return ActResult(
        number=case.number,
        action=spec.name,
        from_status=before,
        status=case.status,
        version=case.version,
        changes=ctx.changes,
        notes=ctx.notes,
    )
