"""Who is visiting a page, in which language, and the checks of a form they send.

A browser signs in with the API's session (the same cookie, HttpOnly, SameSite=Lax). A
form repeats the session's CSRF token in its ``csrf_token`` field: the page puts it
there from a second cookie that only this site's pages can read back, and the server
compares it with the session's stored hash, so a form posted from elsewhere is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request

from ethicsflow.app.api.auth import COOKIE
from ethicsflow.app.api.language import negotiate
from ethicsflow.app.web.i18n import Words
from ethicsflow.app.web.render import LANG_COOKIE
from ethicsflow.models.accounts.sessions import csrf_matches, session_person
from ethicsflow.models.accounts.tables import WebSession
from ethicsflow.models.errors import LANGUAGES, NotPermitted
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import sees_every_case

CSRF_COOKIE = "ethicsflow_csrf"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class Visit:
    """A page request: the signed-in person (or nobody) and the page's language."""

    person: Person | None
    web: WebSession | None
    csrf: str | None
    words: Words
    expired: bool = False  # a session cookie that no longer signs anybody in

    @property
    def language(self) -> str:
        return self.words.language

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.person.roles) if self.person is not None else frozenset()

    @property
    def sees_every_case(self) -> bool:
        """The Agency: every body's cases (the overview is theirs)."""
        return self.person is not None and sees_every_case(self.person)

    @property
    def on_board(self) -> bool:
        """A Board's secretary or member (the hearings calendar is theirs)."""
        return bool(self.roles & {"board_secretary", "board_member"})


def language(request: Request, person: Person | None) -> str:
    """``?lang=``, then the language switched to (cookie), then the person's, then the
    browser's ``Accept-Language``."""
    for choice in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if choice in LANGUAGES:
            return str(choice)
    if person is not None and person.language in LANGUAGES:
        return person.language
    return negotiate(request.headers.get("accept-language"))


def visit(request: Request) -> Visit:
    """The visit of ``request`` (blocking: reads the session)."""
    person: Person | None = None
    web: WebSession | None = None
    expired = False
    raw = request.cookies.get(COOKIE)
    if raw:
        try:
            person, web = session_person(raw)
        except NotPermitted:
            expired = True
    csrf = request.cookies.get(CSRF_COOKIE) if web is not None else None
    if web is not None and not csrf_matches(web, csrf):
        csrf = None
    return Visit(person, web, csrf, Words(language(request, person)), expired)


def check_form(request: Request, visit: Visit, token: str | None) -> None:
    """A signed-in person's form: its CSRF token must be the session's."""
    same_origin(request)
    if visit.web is None or not csrf_matches(visit.web, token):
        raise NotPermitted("auth.csrf")


def same_origin(request: Request) -> None:
    """A form sent from another site's page is refused (``Origin`` names that site)."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise NotPermitted("auth.csrf")
