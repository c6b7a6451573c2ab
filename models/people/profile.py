"""A person's own profile: the language they read in and the channels their notifications
go to (apprise URLs). Changed by the person (the web's profile page), as a flow run."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from ethicsflow.models.cases.operations import URL_SCHEME
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.errors import LANGUAGES, InvalidInput, NotFound, option
from ethicsflow.models.people.tables import Organization, Person, PersonPublic

MAX_CHANNELS = 10
MAX_URL = 2000


def check_profile(values: dict[str, Any]) -> tuple[str | None, list[str] | None]:
    """``(language, notify)`` of a profile change, each None when not changed; a bad one
    refused naming the field."""
    language = values.get("language")
    if language is not None and language not in LANGUAGES:
        raise InvalidInput("person.language_unknown", option("language"), languages=list(LANGUAGES))
    notify = values.get("notify")
    if notify is not None:
        notify = [str(url).strip() for url in notify if str(url).strip()]
        if len(notify) > MAX_CHANNELS:
            raise InvalidInput(
                "person.notify_too_many", option("notify"), most=MAX_CHANNELS, got=len(notify)
            )
        for url in notify:
            if len(url) > MAX_URL or not URL_SCHEME.match(url):
                raise InvalidInput("person.notify_url_malformed", option("notify"), url=url[:80])
        notify = list(dict.fromkeys(notify))
    return language, notify


def update_profile(values: dict[str, Any]) -> dict[str, Any]:
    """Set the language and/or the notification URLs of the person ``values["email"]``."""
    language, notify = check_profile(values)
    require_schema()
    with session_scope(write=True) as session:
        person = session.exec(
            select(Person).where(Person.email == str(values["email"]).strip().lower())
        ).first()
        if person is None:
            raise NotFound("person.not_found", option("email"), email=values["email"])
        if language is not None:
            person.language = language
        if notify is not None:
            person.notify_urls = notify
        session.add(person)
        session.flush()
        org = session.get(Organization, person.organization_id)
        manager = session.get(Person, person.manager_id) if person.manager_id else None
        assert org is not None
        return PersonPublic.of(person, org, manager).model_dump()
