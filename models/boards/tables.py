"""The regional Ethics Board: its members, hearings, recusals, votes and decisions.

A case's board is the board of its organization's region (``Board.region`` is unique).
Hearing steps are complaint actions (``models/lifecycle/complaint.py``); these rows are what
they record, and what the decision documents are built from.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ethicsflow.models.types import UTCDateTime, utcnow


class Board(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=16)
    name: str
    region: str = Field(index=True, unique=True, max_length=100)
    secretary_id: int = Field(foreign_key="person.id")
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class BoardMember(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("board_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    chair: bool = False


class HearingStatus(StrEnum):
    scheduled = "scheduled"  # the current sitting of the case
    rescheduled = "rescheduled"  # replaced by a later schedule_hearing
    held = "held"  # the decision was taken at it


class Hearing(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True)
    board_id: int = Field(foreign_key="board.id", index=True)
    date: dt.date
    time: str = Field(max_length=5)  # HH:MM, local time of the policy zone
    place: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=HearingStatus.scheduled, max_length=12)
    # Member person ids recorded present by record_attendance (None: not recorded yet).
    present: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after_limitation: bool = False  # scheduled after the limitation date, confirmed
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class RecusalGround(StrEnum):
    kinship = "kinship"
    service_dependence = "service_dependence"
    personal_interest = "personal_interest"
    other = "other"


class Recusal(SQLModel, table=True):
    """A member's recusal on one hearing: automatic (conflict found) or raised and decided."""

    __table_args__ = (UniqueConstraint("hearing_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearing.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    ground: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    raised_by: str = Field(max_length=254)  # e-mail, or "automatic"
    upheld: bool = True  # the other members' decision (APPK Art. 67(5))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class VoteChoice(StrEnum):
    for_ = "for"
    against = "against"
    abstain = "abstain"


class Vote(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("hearing_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearing.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    vote: str = Field(max_length=8)
    dissent: str | None = Field(default=None, sa_column=Column(Text))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))


class Outcome(StrEnum):
    violation = "violation"
    no_violation = "no_violation"


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id", index=True, unique=True)
    hearing_id: int = Field(foreign_key="hearing.id", unique=True)
    outcome: str = Field(max_length=16)
    # Cited standards as "chapter.paragraph[.subparagraph]" of the code version below.
    standards: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    code_version: str | None = Field(default=None, max_length=32)
    penalty: str | None = Field(default=None, max_length=40)
    penalty_note: str | None = Field(default=None, sa_column=Column(Text))
    reasoning: str = Field(sa_column=Column(Text, nullable=False))
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    members: int = 0
    present: int = 0
    recused: int = 0
    quorum_rule: str = Field(sa_column=Column(Text, nullable=False))
    decided_on: dt.date
    decided_by: str = Field(max_length=254)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime()))
