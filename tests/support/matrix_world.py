"""The world of the access matrix (``tests/support/matrix.py``): the permissions world
(one case, one person per relation to it) and what the API's endpoints need beside it.

Built straight through ``models`` (no flow runs), with unique data, once per database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import select

from ethicsflow.models.accounts.operations import invite, set_password
from ethicsflow.models.accounts.tokens import create_token
from ethicsflow.models.boards import roster
from ethicsflow.models.cases import operations
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.documents.operations import render_document
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.permissions.relations import BODY_ROLES, Relation
from tests.support import factories as f
from tests.support.permissions import STRANGER, World, person, world

ANONYMOUS = "anonymous"
CALLERS: list[str] = [*(r.value for r in Relation), STRANGER, ANONYMOUS]
"""Who calls: one person per relation (``operator``: the operator's socket acting for the
stranger), the stranger (commissioner, head and admin of another body: no relation), and
``anonymous`` (no credentials)."""

PASSWORD = "correct horse battery staple"
HOLDER_ROLES = ("servant",)
"""The roles of ``holder``, the servant of the case's body whose account the admins manage."""
CHIEF_ROLES = ("agency",)
"""The roles of ``chief``, a person of the case's body holding a role that counts in every
organization (administered as the whole installation: ``decide.person_target``)."""
STRANGER_HOLDS = frozenset(BODY_ROLES.values())
"""What the stranger's roles give in their own organization (commissioner, head and admin
of another body: ``tests/support/permissions.py``)."""


class Target(StrEnum):
    """What an endpoint's access is decided on."""

    case = "case"  # the world's case (scope case), or nothing in particular (scope anyone)
    org = "org"  # the case's body (the organization administered, the report's)
    installation = "installation"  # no one organization: a new one, or all of them
    receipt = "receipt"  # an anonymous case, by its receipt code
    unnamed = "unnamed"  # none named (``decide.may``): the caller's own organization


@dataclass
class MatrixWorld:
    """The permissions world and: an anonymous case's receipt code, a document issued on
    the case, the filer's notification about it, a Board hosted by the case's body and a
    secretary there, a servant of the body whose account the admins manage (``holder``)
    with a token to revoke, a person of the body holding a role that counts everywhere
    (``chief``) with a token; per caller an e-mail with a password, an API token, one more
    token of their own account (``own_tokens``: listed, then revoked), a spare person to
    add to a Board and an open invitation."""

    base: World
    receipt: str
    receipt_number: str  # the anonymous case's number
    document: int
    notification: int
    board: str
    secretary: str
    holder: str
    revocable: int
    chief: str
    chief_token: int
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    spares: dict[str, str] = field(default_factory=dict)
    invitations: dict[str, str] = field(default_factory=dict)
    own_tokens: dict[str, int] = field(default_factory=dict)

    @property
    def number(self) -> str:
        return self.base.number

    @property
    def org(self) -> str:
        return self.base.org

    @property
    def other_org(self) -> str:
        return self.base.other_org


def matrix_world(*, callers: bool = True) -> MatrixWorld:
    """The world; ``callers``: with each caller's password, token, spare and invitation
    (argon2 makes the passwords the slow part)."""
    base = world()
    body, elsewhere = base.org, base.other_org
    emails = {who: base.email(who) for who in CALLERS if who != ANONYMOUS}
    emails[ANONYMOUS] = f.person(elsewhere)  # signs in with a password, has no token
    secretary = f.person(body, "board_secretary")
    board = f"H{f.uid().upper()[:6]}"
    region = f"Region {f.uid()}"
    roster.add_board({"code": board, "name": "Board", "region": region, "secretary": secretary})
    anonymous = operations.file_one(
        {"kind": "complaint", "org": body, "anonymous": True, "summary": "Shouting at visitors"}
    )
    render_document({"number": base.number, "kind": "acknowledgment"})
    holder = f.person(body, *HOLDER_ROLES)
    _, revocable = create_token(holder, "revocable", expires=None)
    chief = f.person(body, *CHIEF_ROLES)
    _, chief_token = create_token(chief, "chief", expires=None)
    for email in emails.values() if callers else ():
        set_password(email, PASSWORD)
    with session_scope() as session:
        case = get_case(session, base.number)
        filer = person(session, base.people[Relation.filer])
        document = session.exec(select(Document.id).where(Document.case_id == case.id)).first()
        notification = session.exec(
            select(Notification.id).where(
                Notification.case_id == case.id, Notification.person_id == filer.id
            )
        ).first()
    assert document is not None and notification is not None
    out = MatrixWorld(
        base=base,
        receipt=anonymous["receipt_code"],
        receipt_number=anonymous["number"],
        document=document,
        notification=notification,
        board=board,
        secretary=secretary,
        holder=holder,
        revocable=revocable["id"],
        chief=chief,
        chief_token=chief_token["id"],
        emails=emails,
    )
    for who in CALLERS if callers else ():
        if who not in (Relation.operator, ANONYMOUS):
            out.tokens[who] = create_token(emails[who], "matrix", expires=None)[0]
        out.own_tokens[who] = create_token(emails[who], "own", expires=None)[1]["id"]
        out.spares[who] = f.person(elsewhere)
        out.invitations[who] = invite(f.person(elsewhere))[0]
    return out
