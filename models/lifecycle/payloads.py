"""Typed payloads of lifecycle actions: what each action takes, field by field.

Every field carries a description: ``case actions`` shows it, and the API's and web
forms' fields come from it. How raw values become a payload is in ``fields.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from ethicsflow.models.boards.tables import Outcome, RecusalGround, VoteChoice
from ethicsflow.models.errors import rule


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    def note(self) -> str:
        """The payload's ``reason`` as text: "" when the action takes none or none was given."""
        return str(getattr(self, "reason", None) or "")


class Reason(Payload):
    reason: str = Field(min_length=3, description="reasoned explanation, kept in the audit log")


class OptionalReason(Payload):
    reason: str | None = Field(default=None, description="optional note for the audit log")


class Assign(Payload):
    commissioner: str = Field(description="e-mail of the commissioner to assign")
    reason: str | None = Field(default=None, description="why this commissioner")


class AcceptComplaint(Payload):
    committed_on: date | None = Field(
        default=None, description="date of the conduct (bounds the disciplinary limitation)"
    )
    offence_category: str | None = Field(
        default=None, description="general | discrediting (Law 416-V Art. 50) | budget"
    )
    reason: str | None = Field(default=None, description="optional note")

    @field_validator("offence_category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and value not in ("general", "discrediting", "budget"):
            raise rule("payload.offence_category")
        return value


class ForwardGround(StrEnum):
    not_competent = "not_competent"
    crime_report = "crime_report"
    security_threat = "security_threat"


class Forward(Payload):
    to_body: str = Field(min_length=2, description="the competent body the appeal goes to")
    ground: ForwardGround = Field(
        default=ForwardGround.not_competent,
        description="not_competent (APPK Art. 65) | crime_report | security_threat (Art. 88)",
    )
    reason: str = Field(min_length=3, description="why the body is competent")


class DismissGround(StrEnum):
    anonymous = "anonymous"
    no_substance = "no_substance"
    duplicate = "duplicate"


class Dismiss(Payload):
    ground: DismissGround = Field(description="anonymous (APPK Art. 88) | no_substance | duplicate")
    duplicate_of: str | None = Field(default=None, description="case number, for a duplicate")
    reason: str = Field(min_length=3, description="reasoned decision")


class RequestCorrection(Payload):
    missing: list[str] = Field(
        min_length=1, description="what is missing (APPK Art. 63), comma-separated"
    )
    reason: str | None = Field(default=None, description="note to the filer")


class RequestExplanation(Payload):
    respondent: str | None = Field(
        default=None, description="e-mail of the respondent, if not yet a party"
    )
    questions: str = Field(min_length=3, description="what the respondent must explain")


class RecordExplanation(Payload):
    text: str = Field(min_length=1, description="the respondent's explanation, or its summary")


class Suspend(Payload):
    ground: str = Field(description="a suspension ground of the policy file")
    start: date | None = Field(default=None, description="first day suspended (default today)")
    reason: str = Field(min_length=3, description="the document or fact behind it")


class Extend(Payload):
    until: date | None = Field(
        default=None, description="new answer date (default: the latest the law allows)"
    )
    reason: str = Field(min_length=3, description="reasoned decision of the head (APPK 76(3))")


class Risk(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


POLICY_CHOICES = "policy_choices"
"""Key of ``json_schema_extra`` naming a list of the policy file a field's value comes
from (``case actions`` shows its current choices; the action's effect checks it)."""


class AcceptRestoration(Payload):
    category: str = Field(
        min_length=1,
        max_length=64,
        description="category of the violation, one of restoration.categories of the policy"
        " file (retaliation: the case must be linked to the earlier case first)",
        json_schema_extra={POLICY_CHOICES: "restoration.categories"},
    )
    risk: Risk = Field(description="retaliation risk: low | medium | high")
    reason: str = Field(
        min_length=3, description="reasons for the risk assessment, kept in the audit log"
    )


class Link(Payload):
    related: str = Field(
        min_length=3, description="number of the earlier case this one is related to"
    )
    reason: str | None = Field(default=None, description="how the cases are related")


class ProposedMeasure(BaseModel):
    """One measure of ``propose_measures`` (an object of the JSON list)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    what: str = Field(min_length=3, description="what is to be done to restore the rights")
    responsible: str = Field(description="e-mail of the person responsible for it")
    due: dt.date | None = Field(
        default=None, description="due date, a working day after today (ISO date)"
    )
    due_working_days: int | None = Field(
        default=None, ge=1, le=250, description="or: due N working days from today"
    )
    evidence: str = Field(min_length=3, description="what evidence of completion is expected")

    @model_validator(mode="before")
    @classmethod
    def _due_as_count(cls, data: Any) -> Any:
        # "due": 10 (or "10") means 10 working days: never a date from a Unix timestamp.
        if isinstance(data, dict):
            due = data.get("due")
            if (isinstance(due, int) and not isinstance(due, bool)) or (
                isinstance(due, str) and due.strip().isdigit()
            ):
                if data.get("due_working_days") is not None:
                    raise rule("payload.measure_due_twice")
                data = {**data, "due_working_days": int(due)}
                del data["due"]
        return data

    @model_validator(mode="after")
    def _one_due(self) -> ProposedMeasure:
        if (self.due is None) == (self.due_working_days is None):
            raise rule("payload.measure_due_missing")
        return self

    @field_validator("responsible")
    @classmethod
    def _responsible(cls, value: str) -> str:
        return _email(value)


class ProposeMeasures(Payload):
    measures: list[ProposedMeasure] = Field(
        min_length=1,
        max_length=50,
        description='JSON list (or @FILE) of {"what", "responsible" (e-mail), "due" (ISO date)'
        ' or "due_working_days" (N), "evidence" (what evidence is expected)}',
    )
    reason: str | None = Field(default=None, description="note for the audit log")


class CompleteMeasure(Payload):
    measure: int = Field(ge=1, description="number of the measure (1, 2, ... as proposed)")
    evidence: str = Field(min_length=3, description="the evidence of completion (text or @FILE)")
    evidence_file: str | None = Field(
        default=None,
        description="path of a file attached as evidence (stored read-only with its SHA-256)",
        json_schema_extra={"attachment": True},
    )


class RejectMeasure(Payload):
    measure: int = Field(ge=1, description="number of the measure (1, 2, ... as proposed)")
    reason: str = Field(min_length=3, description="why the measure is rejected (not done)")


class ConfirmRestored(Payload):
    servant_confirmed: bool = Field(
        default=False,
        description="true: the servant confirms the rights are restored, measures still open"
        " are then cancelled",
    )
    reason: str | None = Field(default=None, description="note for the audit log")


class EscalateTo(StrEnum):
    agency = "agency"
    board = "board"


class Escalate(Payload):
    to: EscalateTo = Field(
        description="agency (Agency for Civil Service Affairs) | board (the region's Ethics Board)"
    )
    reason: str = Field(min_length=3, description="why the measures failed, what is asked")


class Retaliation(StrEnum):
    no = "no"
    suspected = "suspected"


class FollowUpCheck(Payload):
    retaliation: Retaliation = Field(
        description="no | suspected (suspected opens a new restoration case linked to this one)"
    )
    reason: str = Field(min_length=3, description="what the check found")


HH_MM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if "@" not in value:
        raise rule("payload.not_an_email", value=value)
    return value


class ScheduleHearing(Payload):
    date: dt.date = Field(description="day of the Board hearing (a working day, ISO date)")
    time: str = Field(description="time of the hearing, HH:MM local (Asia/Almaty)")
    place: str = Field(min_length=2, description="where the Board sits (address, room)")
    confirm_after_limitation: bool = Field(
        default=False,
        description="true to hold the hearing after the disciplinary limitation date anyway",
    )
    reason: str | None = Field(default=None, description="note, e.g. why it is rescheduled")

    @field_validator("time")
    @classmethod
    def _time(cls, value: str) -> str:
        if len(value) == 4 and value[1] == ":":
            value = "0" + value  # 9:30 -> 09:30
        if not HH_MM.match(value):
            raise rule("payload.not_a_time")
        return value


class RecordAttendance(Payload):
    present: list[str] = Field(
        min_length=1, description="e-mails of the board members present, comma-separated"
    )

    @field_validator("present")
    @classmethod
    def _emails(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(_email(v) for v in value))


class Recuse(Payload):
    member: str = Field(description="e-mail of the board member to recuse")
    reason: str = Field(min_length=3, description="the facts behind the recusal")
    ground: RecusalGround = Field(
        default=RecusalGround.other,
        description="kinship | service_dependence | personal_interest | other (APPK Art. 67(1))",
    )
    raised_by: str | None = Field(
        default=None,
        description="e-mail of the party or member who raised it (default: the secretary)",
    )
    upheld: bool = Field(
        default=True,
        description="the other members' decision (APPK Art. 67(5)); false records a rejection",
    )

    @field_validator("member")
    @classmethod
    def _member(cls, value: str) -> str:
        return _email(value)

    @field_validator("raised_by")
    @classmethod
    def _raised_by(cls, value: str | None) -> str | None:
        return _email(value) if value else None


class RecordVote(Payload):
    member: str = Field(description="e-mail of the voting board member")
    vote: VoteChoice = Field(description="for | against | abstain (for: the proposed decision)")
    dissent: str | None = Field(default=None, description="the member's dissenting opinion, if any")

    @field_validator("member")
    @classmethod
    def _member(cls, value: str) -> str:
        return _email(value)


class Decide(Payload):
    outcome: Outcome = Field(description="violation | no_violation of the Ethical Code")
    standards: list[str] = Field(
        default_factory=list,
        description="standards breached, refs of the Ethical Code such as 2.1,3.4"
        " (required for a violation, empty otherwise)",
    )
    measure: str | None = Field(
        default=None,
        description="recommended disciplinary penalty, a code of the policy (violation only)",
    )
    reason: str = Field(min_length=3, description="the Board's reasoning")

    @field_validator("standards")
    @classmethod
    def _refs(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))
