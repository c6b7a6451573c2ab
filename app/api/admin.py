"""``/api/v1`` administration: organizations, people, Ethics Boards and their members,
accounts, invitations and API tokens.

Who may do what is the access table's (``models/permissions``). An administration
operation is decided by the reader's roles in the organization it acts on: a person's
or an account's own organization (every organization when they hold a role that counts
everywhere: ``decide.person_target``), a Board's host (its secretary's organization), and
for a new organization the whole installation. Reads list what the reader administers.

Each change to the directory is one flow run with the parameters the CLI sends, so its
result is what the CLI prints. Accounts change here, in a transaction, never in a flow
run: they carry secrets that a flow run's stored parameters must not (as the CLI's
``account`` and ``token`` commands do).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema
from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import Principal, SignedIn
from ethicsflow.app.api.cases import person_json
from ethicsflow.app.api.threads import reads
from ethicsflow.models.accounts import operations as accounts
from ethicsflow.models.accounts import tokens as api_tokens
from ethicsflow.models.accounts.listing import list_accounts
from ethicsflow.models.boards.roster import board_person, get_board, host_org, list_boards
from ethicsflow.models.cases.access import get_person
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import InvalidInput, key, option
from ethicsflow.models.people.directory import (
    get_org,
    list_organizations,
    list_people,
    person_view,
)
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import (
    administered,
    person_target,
    require,
    require_org,
    target_org_allowed,
)
from ethicsflow.models.permissions.table import Operation

router = APIRouter(prefix="/api/v1")
OrgFilter = Annotated[str | None, Query(max_length=16, description="code of one organization")]


class Command(BaseModel):
    """A change's body. It names no actor: the actor is the signed-in person (``by`` or
    ``actor`` naming anyone else is refused; they are not in the schema)."""

    model_config = ConfigDict(extra="forbid")
    by: SkipJsonSchema[str | None] = Field(default=None, exclude=True)
    actor: SkipJsonSchema[str | None] = Field(default=None, exclude=True)


def checked(body: Command, who: Principal) -> dict[str, Any]:
    """The body's values, once it names no actor but the signed-in person."""
    for name in ("by", "actor"):
        named = getattr(body, name)
        if named is not None and named.strip().lower() != who.actor:
            raise InvalidInput("auth.actor_is_the_signed_in_person", option(name))
    return body.model_dump()


def masked(url: str) -> str:
    """A notification URL as ``notify list`` shows it (each service's secrets hidden)."""
    # imported here (import time): apprise loads its plugins on import
    from ethicsflow.flows.sending import privacy_url

    return privacy_url(url)


# --- organizations --------------------------------------------------------------------


class OrganizationIn(Command):
    code: str = Field(description="short code, A-Z and digits; starts case numbers")
    name: str = Field(description="name of the state body")
    region: str | None = Field(default=None, description="region (oblast or city)")
    parent: str | None = Field(default=None, description="code of the parent organization")


@router.get("/organizations", tags=["admin"])
@reads
def organizations(who: SignedIn) -> list[dict[str, Any]]:
    """Every organization: code, name, region, parent."""
    with session_scope() as session:
        require(session, who.person, Operation.organizations_list, operator=who.operator)
        return list_organizations(session)


@router.post("/organizations", status_code=201, tags=["admin"])
def add_organization(body: OrganizationIn, who: SignedIn) -> dict[str, Any]:
    """Add a state body (one flow run). A new organization, top-level or not, is the
    installation administrator's (the access table)."""
    values = checked(body, who)
    with session_scope() as session:
        require_org(session, who.person, None, Operation.admin_organizations, operator=who.operator)
    return operations.run("add_org", {"values": values})


# --- people ---------------------------------------------------------------------------


class PersonIn(Command):
    email: str = Field(description="e-mail, the person's identifier")
    name: str = Field(description="full name")
    org: str = Field(description="code of the person's organization")
    roles: list[str] = Field(
        default_factory=lambda: ["servant"],
        description="servant, commissioner, head, board_secretary, board_member, agency,"
        " admin (of the person's body), platform_admin (of the installation)",
    )
    notify: list[str] = Field(default_factory=list, description="apprise URLs")
    language: str = Field(default="ru", description="kk, ru or en")
    manager: str | None = Field(default=None, description="e-mail of the line manager")
    iin: str | None = Field(default=None, description="12-digit IIN")


def kept_where(
    session: Session, who: Principal, operation: Operation, org: str | None
) -> ColumnElement[bool]:
    """A where-clause on :class:`Person` keeping those a list of ``operation`` shows: of
    ``org`` (which the reader must administer), else of every organization the reader
    administers (refused when none)."""
    if org is not None:
        target = get_org(session, org, option("org"))
        require_org(session, who.person, target.id, operation, operator=who.operator)
        return col(Person.organization_id) == target.id
    require(session, who.person, operation, operator=who.operator)
    return administered(who.person, operation, Person.organization_id, operator=who.operator)


def administrable(
    who: Principal, operation: Operation, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """``rows`` (people of organizations ``kept_where`` lets the reader see, each with its
    ``roles``) without those the reader may not do ``operation`` on: a person holding a
    role that counts everywhere is the whole installation's (``person_target``), as for
    one person (``administered_person``)."""
    if target_org_allowed(who.person, None, operation, operator=who.operator):
        return rows
    return [row for row in rows if person_target(0, row["roles"]) is not None]


@router.get("/people", tags=["admin"])
@reads
def people(who: SignedIn, org: OrgFilter = None) -> list[dict[str, Any]]:
    """The people of the organizations the reader administers (of ``org``), as ``person
    add`` prints them; notification URLs with their secrets hidden. One holding a role
    that counts everywhere only to the installation's administrators."""
    with session_scope() as session:
        kept = kept_where(session, who, Operation.admin_people, org)
        listed = list_people(session, where=kept, mask=masked)
    return administrable(who, Operation.admin_people, listed)


def administered_person(
    session: Session, who: Principal, email: str, operation: Operation
) -> Person:
    """The person with ``email``, once the reader may do ``operation`` on them."""
    person = get_person(session, email, key("email"))
    target = person_target(person.organization_id, person.roles)
    require_org(session, who.person, target, operation, operator=who.operator)
    return person


@router.get("/people/{email}", tags=["admin"])
@reads
def show_person(email: str, who: SignedIn) -> dict[str, Any]:
    """One person, as ``person add`` prints them."""
    with session_scope() as session:
        person = administered_person(session, who, email, Operation.admin_people)
        return person_view(session, person, mask=masked)


@router.post("/people", status_code=201, tags=["admin"])
def add_person(body: PersonIn, who: SignedIn) -> dict[str, Any]:
    """Add a person with roles, language and notification targets (one flow run)."""
    values = checked(body, who)
    with session_scope() as session:
        org = get_org(session, body.org, option("org"))
        target = person_target(org.id or 0, body.roles)
        require_org(session, who.person, target, Operation.admin_people, operator=who.operator)
    return operations.run("add_person", {"values": values})


# --- Ethics Boards --------------------------------------------------------------------


class BoardIn(Command):
    code: str = Field(description="short code of the board, A-Z and digits")
    name: str = Field(description="name of the board")
    region: str = Field(description="region whose cases it hears (one board each)")
    secretary: str = Field(description="e-mail of the secretary (does not vote)")


class MemberIn(Command):
    email: str = Field(description="e-mail of the member")
    chair: bool = Field(default=False, description="the member chairs the board")


@router.get("/boards", tags=["admin"])
@reads
def boards(who: SignedIn) -> list[dict[str, Any]]:
    """The boards hosted by the organizations the reader administers (a board's host is
    its secretary's organization), with their secretary and members."""
    with session_scope() as session:
        require(session, who.person, Operation.admin_boards, operator=who.operator)
    return list_boards(
        administered(
            who.person, Operation.admin_boards, Person.organization_id, operator=who.operator
        )
    )


@router.post("/boards", status_code=201, tags=["admin"])
def add_board(body: BoardIn, who: SignedIn) -> dict[str, Any]:
    """Add the Ethics Board of a region (one flow run); it is hosted by its secretary's
    organization."""
    values = checked(body, who)
    with session_scope() as session:
        secretary = board_person(session, body.secretary, option("secretary"))
        require_org(
            session,
            who.person,
            secretary.organization_id,
            Operation.admin_boards,
            operator=who.operator,
        )
    return operations.run("add_board", {"values": values})


@router.post("/boards/{code}/members", status_code=201, tags=["admin"])
def add_board_member(code: str, body: MemberIn, who: SignedIn) -> dict[str, Any]:
    """Add a member to a board (at most one chair; one flow run)."""
    values = checked(body, who)
    with session_scope() as session:
        board = get_board(session, code)
        host = host_org(session, board)
        require_org(session, who.person, host, Operation.admin_boards, operator=who.operator)
    return operations.run("add_board_member", {"values": {"code": board.code, **values}})


# --- accounts, invitations, API tokens ------------------------------------------------


class InvitationIn(Command):
    email: str = Field(description="e-mail of the person")
    hours: int = Field(default=72, ge=1, le=720, description="how long the link is valid")


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200, description="the token of the link")
    password: str = Field(min_length=1, max_length=4096, description="the new password")


class TokenIn(Command):
    name: str = Field(description="what the token is for, e.g. the machine using it")
    expires: dt.date | None = Field(
        default=None, description="last day the token works (default: it does not expire)"
    )


@router.get("/accounts", tags=["accounts"])
@reads
def accounts_list(who: SignedIn, org: OrgFilter = None) -> list[dict[str, Any]]:
    """The people of the organizations the reader administers (of ``org``) with their
    account: password set, API tokens working now, last sign-in. One holding a role that
    counts everywhere only to the installation's administrators."""
    with session_scope() as session:
        kept = kept_where(session, who, Operation.admin_accounts, org)
        listed = list_accounts(session, where=kept)
    return administrable(who, Operation.admin_accounts, listed)


@router.post("/invitations", status_code=201, tags=["accounts"])
def invite(body: InvitationIn, who: SignedIn) -> dict[str, Any]:
    """A one-time link with which the person sets a password (shown once)."""
    checked(body, who)
    with session_scope() as session:
        person = administered_person(session, who, body.email, Operation.admin_accounts)
    raw, expires_at = accounts.invite(person.email, ttl=dt.timedelta(hours=body.hours))
    return {
        "email": person.email,
        "link": accounts.invitation_link(raw),
        "expires_at": expires_at.isoformat(),
    }


@router.post("/invitations/accept", tags=["accounts"])
def accept_invitation(body: AcceptIn) -> dict[str, Any]:
    """Set the password through an invitation's link (no sign-in: the token is the key;
    once, before it expires). Returns the person."""
    return person_json(accounts.accept_invitation(body.token, body.password))


def token_owner(session: Session, who: Principal, email: str) -> Person:
    """The person whose tokens these are, once the reader may manage them: their own,
    or an account they administer."""
    person = get_person(session, email, key("email"))
    if who.person is not None and who.person.id == person.id:
        require(session, who.person, Operation.account_tokens, operator=who.operator)
        return person
    return administered_person(session, who, email, Operation.admin_accounts)


@router.get("/accounts/{email}/tokens", tags=["accounts"])
@reads
def tokens(email: str, who: SignedIn) -> list[dict[str, Any]]:
    """The person's API tokens: id, first characters, name, status, times (never a token)."""
    with session_scope() as session:
        person = token_owner(session, who, email)
    return api_tokens.list_tokens(person.email)


@router.post("/accounts/{email}/tokens", status_code=201, tags=["accounts"])
def create_token(email: str, body: TokenIn, who: SignedIn) -> dict[str, Any]:
    """A new API token of the person: shown once, only its SHA-256 is kept."""
    checked(body, who)
    with session_scope() as session:
        person = token_owner(session, who, email)
    raw, row = api_tokens.create_token(person.email, body.name, expires=body.expires)
    return {"token": raw, **row, "shown_once": True}


@router.delete("/accounts/{email}/tokens/{token_id}", status_code=204, tags=["accounts"])
def revoke_token(email: str, token_id: int, who: SignedIn) -> Response:
    """Revoke the person's API token at once (a token of someone else: not found)."""
    with session_scope() as session:
        person = token_owner(session, who, email)
    api_tokens.revoke_token(token_id, owner=person.email)
    return Response(status_code=204)
