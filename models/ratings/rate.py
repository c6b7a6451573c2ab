"""The filer's satisfaction rating of a closed case (`case rate`).

Once the case is closed the filer may rate it once, 1 to 5, with an optional comment:
a named filer by e-mail (the complainant party of the case), an anonymous one by the
receipt code given at filing (only its SHA-256 is stored; compared in constant time).
The rating is a ``Rating`` row; the audit chain records that a rating was given and its
score, never the comment (free text of a filer stays out of the hash-chained log).
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.cases.intake import hash_receipt
from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.errors import (
    ACTOR,
    Conflict,
    FieldRef,
    InvalidInput,
    NotPermitted,
    invalid_from,
    key,
    option,
)
from ethicsflow.models.lifecycle.kinds import CLOSED_STATES
from ethicsflow.models.people.tables import Person
from ethicsflow.models.policy import load_policy
from ethicsflow.models.ratings.tables import Rating
from ethicsflow.models.types import utcnow

RATEABLE_STATES: frozenset[str] = CLOSED_STATES | {"answered", "restored", "closed"}
"""Statuses in which the filer has had the case's outcome: the lifecycles' terminal
states (complaint: forwarded, returned, closed, appealed) and the states reached by the
reasoned answer (``answered``) or by the confirmed restoration (``restored``), which the
follow-ups and the appeal window leave open for months."""

ANONYMOUS_ACTOR = "anonymous"
"""The actor of the audit event of an anonymous filer's rating (as at filing)."""

COMMENT_MAX = 2000


class RateCase(BaseModel):
    """What `case rate` carries."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=1, description="number of the case")
    score: int = Field(ge=1, le=5, description="satisfaction, 1 (lowest) to 5 (highest)")
    comment: str | None = Field(default=None, max_length=COMMENT_MAX, description="comment")
    by: str | None = Field(default=None, description="e-mail of the filer")
    receipt: str | None = Field(default=None, description="receipt code of an anonymous filer")
    receipt_sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the receipt code (the engine passes this, not the code)",
    )

    @field_validator("score", mode="before")
    @classmethod
    def _score(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("must be a whole number from 1 to 5")
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                raise ValueError("must be a whole number from 1 to 5") from None
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("must be a whole number from 1 to 5")
        return value

    @field_validator("comment", "by", "receipt")
    @classmethod
    def _blank(cls, value: str | None) -> str | None:
        return value or None


def _field(where: str) -> FieldRef:
    if where == "number":
        return key("number")
    return ACTOR if where == "by" else option(where)


def validate_rating(values: dict[str, Any]) -> RateCase:
    """Parse raw values; a bad one raises InvalidInput naming the option."""
    try:
        data = RateCase.model_validate(values)
    except ValidationError as exc:
        error = invalid_from(exc, _field)
        if error.field == option("score"):
            error = InvalidInput("rating.score_range", option("score"), got=values.get("score"))
        raise error from exc
    receipt = data.receipt or data.receipt_sha256
    if data.by and receipt:
        raise InvalidInput("rating.by_or_receipt", by=ACTOR, receipt=option("receipt"))
    if not data.by and not receipt:
        raise InvalidInput("rating.filer_required", ACTOR, receipt=option("receipt", "CODE"))
    return data


def _check_filer(session: Session, case: Case, data: RateCase) -> str:
    """The actor of the rating, or NotPermitted naming the rule."""
    if data.receipt or data.receipt_sha256:
        stored = case.receipt_hash or ""
        given = data.receipt_sha256 or hash_receipt(data.receipt or "")
        if not stored or not hmac.compare_digest(given, stored):
            raise NotPermitted("rating.wrong_receipt", option("receipt"), number=case.number)
        return ANONYMOUS_ACTOR
    assert data.by is not None
    email = data.by.strip().lower()
    person = session.exec(select(Person).where(Person.email == email)).first()
    filer = (
        session.exec(
            select(Party).where(
                Party.case_id == case.id,
                Party.role == PartyRole.complainant,
                Party.person_id == person.id,
            )
        ).first()
        if person is not None
        else None
    )
    if filer is None:
        raise NotPermitted("rating.not_filer", ACTOR, email=email, number=case.number)
    return email


def rating_dict(case: Case, rating: Rating) -> dict[str, Any]:
    return {
        "number": case.number,
        "score": rating.score,
        "comment": rating.comment,
        "rated_at": rating.created_at.astimezone(UTC).isoformat(),
    }


def rate_case(values: dict[str, Any], *, at: datetime | None = None) -> dict[str, Any]:
    """`case rate`: the filer's rating of a closed case, once (one write transaction).

    values: number, score (1..5), comment (optional, at most 2000 characters), and
    either by (the filer's e-mail) or receipt (the anonymous filer's receipt code).
    Refusals write nothing: InvalidInput (a bad value, the case is not closed),
    NotPermitted (not the filer), Conflict (already rated).
    """
    data = validate_rating(values)
    require_schema()
    policy = load_policy()
    at = at or utcnow()
    try:
        with session_scope(write=True) as session:
            case = get_case(session, data.number, lock=True)
            actor = _check_filer(session, case, data)
            if case.status not in RATEABLE_STATES:
                raise InvalidInput(
                    "rating.case_not_closed",
                    key("number"),
                    number=case.number,
                    status=case.status,
                    closed=sorted(RATEABLE_STATES),
                )
            earlier = session.exec(select(Rating).where(Rating.case_id == case.id)).first()
            if earlier is not None:
                raise _already(case, earlier, policy.zone)
            case.bump()
            rating = Rating(
                case_id=case.id or 0,
                score=data.score,
                comment=data.comment,
                by="receipt" if actor == ANONYMOUS_ACTOR else actor,
                created_at=at,
            )
            session.add(rating)
            append_event(
                session,
                case,
                actor=actor,
                action="rate",
                from_status=case.status,
                to_status=case.status,
                payload={"score": data.score, "comment": data.comment is not None},
                at=at,
            )
            session.add(case)
            session.flush()
            return rating_dict(case, rating)
    except IntegrityError:
        # A concurrent rating of the same case won the unique constraint.
        with session_scope() as session:
            case = get_case(session, data.number)
            earlier = session.exec(select(Rating).where(Rating.case_id == case.id)).first()
            if earlier is None:
                raise
            raise _already(case, earlier, policy.zone) from None


def _already(case: Case, rating: Rating, zone: str) -> Conflict:
    day = local_date(rating.created_at, zone)
    return Conflict("rating.already_rated", key("number"), number=case.number, day=day)
