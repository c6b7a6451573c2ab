"""Ethics Boards: creating them, their members, and which board hears a case.

``add_board`` / ``add_member`` are transactional operations (one call, one
transaction) called by the admin flows; ``board_of_case`` and ``roster`` are
lookups for the hearing actions and the documents; ``list_boards`` is `board list`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from ethicsflow.models.boards.tables import Board, BoardMember
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.errors import (
    Conflict,
    FieldRef,
    InvalidInput,
    NotFound,
    invalid_from,
    key,
    operation,
    option,
    rule,
)
from ethicsflow.models.people.tables import ORG_CODE, Organization, Person


class BoardCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    code: str = Field(description="short code of the board, A-Z 0-9")
    name: str = Field(min_length=1, description="name of the board")
    region: str = Field(min_length=1, description="region whose cases it hears")
    secretary: str = Field(min_length=3, description="e-mail of the board's secretary")

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.upper()
        if not ORG_CODE.match(value):
            raise rule("board.code_format")
        return value


@dataclass(frozen=True)
class Seat:
    person: Person
    chair: bool


def board_person(session: Session, email: str, field: FieldRef) -> Person:
    """The person a board's secretary or member is to be (unknown: ``board.no_person``)."""
    person = session.exec(select(Person).where(Person.email == email.strip().lower())).first()
    if person is None:
        raise NotFound("board.no_person", field, email=email, add=operation("person add"))
    return person


def get_board(session: Session, code: str) -> Board:
    """The board with ``code`` (unknown: ``board.not_found``)."""
    board = session.exec(select(Board).where(Board.code == code.strip().upper())).first()
    if board is None:
        raise NotFound("board.not_found", key("code"), code=code)
    return board


def roster(session: Session, board: Board) -> list[Seat]:
    """The board's members (chair first, then by name); the secretary is not a member."""
    rows = session.exec(
        select(BoardMember, Person)
        .join(Person, col(Person.id) == BoardMember.person_id)
        .where(BoardMember.board_id == board.id)
    ).all()
    seats = [Seat(person, member.chair) for member, person in rows]
    return sorted(seats, key=lambda s: (not s.chair, s.person.name, s.person.email))


def board_dict(session: Session, board: Board) -> dict[str, Any]:
    secretary = session.get(Person, board.secretary_id)
    return {
        "code": board.code,
        "name": board.name,
        "region": board.region,
        "secretary": secretary.email if secretary else None,
        "members": [
            {"email": s.person.email, "name": s.person.name, "chair": s.chair}
            for s in roster(session, board)
        ],
    }


def board_of_case(session: Session, case: Case) -> Board:
    """The board of the region of the case's organization (DESIGN §2)."""
    org = session.get(Organization, case.organization_id)
    region = org.region if org else None
    if not region:
        raise InvalidInput(
            "board.org_without_region",
            number=case.number,
            org=org.code if org else "?",
            region=option("region"),
            add=operation("org add"),
        )
    board = session.exec(select(Board).where(Board.region == region)).first()
    if board is None:
        raise InvalidInput(
            "board.none_for_region", number=case.number, region=region, add=operation("board add")
        )
    return board


def add_board(values: dict[str, Any]) -> dict[str, Any]:
    try:
        data = BoardCreate.model_validate(values)
    except ValidationError as exc:
        raise invalid_from(exc, lambda w: key("code") if w == "code" else option(w)) from exc
    require_schema()
    with session_scope(write=True) as session:
        if session.exec(select(Board).where(Board.code == data.code)).first():
            raise Conflict("board.exists", key("code"), code=data.code)
        taken = session.exec(select(Board).where(Board.region == data.region)).first()
        if taken is not None:
            raise Conflict(
                "board.region_taken", option("region"), region=data.region, board=taken.code
            )
        secretary = board_person(session, data.secretary, option("secretary"))
        board = Board(
            code=data.code, name=data.name, region=data.region, secretary_id=secretary.id or 0
        )
        session.add(board)
        session.flush()
        return board_dict(session, board)


def add_member(values: dict[str, Any]) -> dict[str, Any]:
    code = str(values.get("code", ""))
    email = str(values.get("email", ""))
    chair = bool(values.get("chair", False))
    require_schema()
    with session_scope(write=True) as session:
        board = get_board(session, code)
        person = board_person(session, email, key("email"))
        if person.id == board.secretary_id:
            raise InvalidInput(
                "board.secretary_as_member", key("email"), email=person.email, board=board.code
            )
        members = session.exec(select(BoardMember).where(BoardMember.board_id == board.id)).all()
        if any(m.person_id == person.id for m in members):
            raise Conflict(
                "board.already_member", key("email"), email=person.email, board=board.code
            )
        if chair:
            current = next((m for m in members if m.chair), None)
            if current is not None:
                holder = session.get(Person, current.person_id)
                raise Conflict(
                    "board.chair_taken",
                    option("chair"),
                    board=board.code,
                    chair=holder.email if holder else current.person_id,
                )
        session.add(BoardMember(board_id=board.id or 0, person_id=person.id or 0, chair=chair))
        session.flush()
        return board_dict(session, board)


def list_boards(where: ColumnElement[bool] | None = None) -> list[dict[str, Any]]:
    """Every board by code (``where``: only those whose secretary, a :class:`Person`, it
    keeps; a board is hosted by its secretary's organization)."""
    require_schema()
    with session_scope() as session:
        query = select(Board).order_by(col(Board.code))
        if where is not None:
            query = query.join(Person, col(Person.id) == Board.secretary_id).where(where)
        return [board_dict(session, board) for board in session.exec(query).all()]


def host_org(session: Session, board: Board) -> int | None:
    """The organization hosting ``board``: its secretary's."""
    secretary = session.get(Person, board.secretary_id)
    return secretary.organization_id if secretary is not None else None
