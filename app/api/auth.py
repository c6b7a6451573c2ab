"""Who is asking: the principal of a request, from the local socket, a token or a session.

- The local operator connects over ``HOME/api.sock`` (mode 0600: only the home's owner
  can). The server for that socket wraps the app in :class:`OperatorSocket`, which marks
  the request's scope; no header can forge the mark. The operator may act for a person
  (``X-Ethicsflow-Act-For: EMAIL``), and the audit records both.
- Anyone else authenticates with ``Authorization: Bearer <API token>`` or the session
  cookie; a write with the cookie must repeat the session's CSRF token
  (``X-CSRF-Token``), else 403.
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ethicsflow.app.api.threads import reads
from ethicsflow.models.accounts.sessions import csrf_matches, session_person
from ethicsflow.models.accounts.tokens import authenticate_token
from ethicsflow.models.cases.access import get_person
from ethicsflow.models.db import session_scope
from ethicsflow.models.errors import ACTOR, InvalidInput, NotPermitted, option
from ethicsflow.models.people.tables import Person

COOKIE = "ethicsflow_session"
CSRF_HEADER = "x-csrf-token"
ACT_FOR = "x-ethicsflow-act-for"
OPERATOR_MARK = "ethicsflow.operator"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class OperatorSocket:
    """The app as served on the operator's socket: its requests are the operator's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            scope = {**scope, "state": {**scope.get("state", {}), OPERATOR_MARK: True}}
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class Principal:
    """The person a request acts as (None: nobody signed in, or the operator alone)."""

    person: Person | None
    operator: bool = False
    via: str = "none"  # socket | token | session | none

    @property
    def actor(self) -> str | None:
        return self.person.email if self.person is not None else None


def operator_label() -> str:
    """Who the operator is: the user this server runs as (only that user can open the
    socket, mode 0600)."""
    try:
        name = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        name = f"uid {os.getuid()}"
    return f"operator:{name}"


def client_address(request: Request) -> str | None:
    return request.client.host if request.client is not None else None


def principal(request: Request) -> Principal:
    """The request's principal (no credentials: an anonymous one; bad ones: refused)."""
    if request.scope.get("state", {}).get(OPERATOR_MARK):
        email = request.headers.get(ACT_FOR)
        if not email:
            return Principal(None, operator=True, via="socket")
        with session_scope() as session:
            person = get_person(session, email, option("by"))  # the CLI's --by
        return Principal(person, operator=True, via="socket")
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return _acting_as_self(
            request, Principal(authenticate_token(credentials.strip()), via="token")
        )
    raw = request.cookies.get(COOKIE)
    if raw:
        person, web = session_person(raw)
        if request.method in WRITES and not csrf_matches(web, request.headers.get(CSRF_HEADER)):
            raise NotPermitted("auth.csrf")
        return _acting_as_self(request, Principal(person, via="session"))
    return Principal(None)


def _acting_as_self(request: Request, who: Principal) -> Principal:
    """Over HTTP the actor is the signed-in person: a request naming another one (the
    CLI's ``--by`` against a remote installation) is refused, not quietly ignored."""
    named = request.headers.get(ACT_FOR)
    if named and who.person is not None and named.strip().lower() != who.person.email:
        raise InvalidInput("auth.actor_is_the_signed_in_person", ACTOR)
    return who


def signed_in(request: Request) -> Principal:
    """The principal of a request that needs someone signed in (or the operator)."""
    who = principal(request)
    if who.person is None and not who.operator:
        raise NotPermitted("auth.required")
    return who


SignedIn = Annotated[Principal, Depends(reads(signed_in))]
"""An endpoint's parameter: who signed in (checked on the read threads)."""
