"""Queueing notifications in the same transaction as the change that causes them.

Each message is one :class:`Notification` row per notification URL of the recipient,
rendered now (the text is what the recipient was meant to read at that moment) in
the recipient's language, with a ``dedup_key`` that makes queueing idempotent: the
same event for the same person and URL is inserted once (``ON CONFLICT DO NOTHING``),
however often a sweep or a retried transaction runs. A refused action rolls back its
transaction, so it queues nothing. What each action tells whom is beside the action
(``models/cases/notices.py``, ``models/boards/notices.py``,
``models/restoration/notices.py``); the sweep's reminders are in ``models/deadlines/``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import insert_for
from ethicsflow.models.deadlines.tables import Deadline, DeadlineStatus
from ethicsflow.models.notifications.tables import Notification
from ethicsflow.models.notifications.texts import (
    DEADLINE_LABELS,
    KIND_LABELS,
    format_date,
    label,
    render,
    resolve_language,
)
from ethicsflow.models.people.tables import Organization, Person
from ethicsflow.models.settings import get_settings
from ethicsflow.models.types import utcnow

Attachments = Iterable[str] | Callable[[str], Iterable[str]]
"""File paths sent with a message, or a function of the message's language giving them."""


def _url_tag(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


def queue(
    session: Session,
    *,
    event: str,
    person: Person,
    key: str,
    context: Any,
    case: Case | None = None,
    attachments: Attachments = (),
    meets_deadline_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Queue ``event`` to every notification URL of ``person``; returns rows inserted.

    ``context`` is a callable ``(language) -> dict`` so that dates and labels are
    formatted in the language whose template is used; ``attachments`` are file paths,
    or a callable ``(language) -> paths`` (a document in the recipient's language).
    """
    if not person.notify_urls:
        return 0
    settings = get_settings()
    fallback = settings.fallback_languages
    lang = resolve_language(event, person.language, fallback)
    values = context(lang)
    used, subject, body = render(event, lang, values, fallback)
    files = list(attachments(used) if callable(attachments) else attachments)
    insert = insert_for(session)
    table = Notification.__table__  # type: ignore[attr-defined]
    # A Core insert executed with parameters: the ORM-entity insert with .values() took
    # ~0.7 ms more a row in the sweep. (SQLAlchemy compiles an ON CONFLICT insert on every
    # call either way: it does not cache it.) RETURNING counts what was inserted;
    # rowcount is -1 on PostgreSQL here.
    statement = (
        insert(table).on_conflict_do_nothing(index_elements=["dedup_key"]).returning(table.c.id)
    )
    added = 0
    now = now or utcnow()
    for url in person.notify_urls:
        result = session.execute(
            statement,
            {
                "case_id": case.id if case else None,
                "person_id": person.id,
                "recipient": person.email,
                "url": url,
                "event": event,
                "language": used,
                "subject": subject,
                "body": body,
                "body_format": "text",
                "attachments": files,
                "status": "queued",
                "attempts": 0,
                "next_attempt_at": now,
                "dedup_key": f"{key}:{person.id}:{_url_tag(url)}",
                "meets_deadline_id": meets_deadline_id,
                "created_at": now,
            },
        )
        added += len(result.all())
    return added


def common(session: Session, case: Case, person: Person, lang: str) -> dict[str, Any]:
    org = session.get(Organization, case.organization_id)
    return {
        "recipient_name": person.name,
        "case_number": case.number,
        "case_kind": label(KIND_LABELS, case.kind, lang),
        "org_name": org.name if org else "",
    }


def live_due(session: Session, case: Case, name: str) -> Deadline | None:
    return session.exec(
        select(Deadline)
        .where(Deadline.case_id == case.id, Deadline.name == name)
        .where(col(Deadline.status).in_([DeadlineStatus.open, DeadlineStatus.suspended]))
        .order_by(col(Deadline.id).desc())
    ).first()


def due_text(deadline: Deadline | None, lang: str) -> str:
    return format_date(deadline.due, lang) if deadline else "—"


def deadline_label(name: str, lang: str) -> str:
    """A deadline's name for people; ``measure:2`` is "measure 2" in the language."""
    kind, _, seq = name.partition(":")
    if kind == "measure" and seq:
        return f"{label(DEADLINE_LABELS, kind, lang)} {seq}"
    return label(DEADLINE_LABELS, name, lang)
