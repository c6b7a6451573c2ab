"""Reading the outbox for people: `notify list`, with notification URLs masked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from html import unescape
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.errors import InvalidInput, NotFound, option
from ethicsflow.models.notifications.tables import Notification, NotificationStatus
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import (
    may,
    sees_all_notifications,
    visible_notifications,
)
from ethicsflow.models.permissions.redaction import Filer, filer_of, redact, redact_for
from ethicsflow.models.permissions.relations import Relation, relations
from ethicsflow.models.permissions.table import Operation


class NotificationPublic(BaseModel):
    """One outbox row as `notify list` shows it (the URL's secrets masked)."""

    id: int
    case: str | None
    event: str
    recipient: str
    language: str
    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    url: str
    dedup_key: str


_HOST = re.compile(r"^(localhost|[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+|\[[0-9A-Fa-f:.]+\])$")


def mask_url(url: str) -> str:
    """``scheme://user:****@host:port/…``: password, path and query hidden, and a host
    that is no host name hidden too (many services put a token there). The CLI shows
    apprise's service-aware masking instead (``flows/sending.py``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return "****"
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    userinfo, at, hostport = authority.rpartition("@")
    host = hostport.rpartition(":")[0] if re.search(r":\d+$", hostport) else hostport
    shown = hostport if _HOST.match(host) else "****"
    if at:
        user, password = userinfo.partition(":")[::2]
        shown = f"{user}{':****' if password else ''}@{shown}"
    more = rest[len(authority) :].strip("/")
    return f"{scheme}://{shown}{'/…' if more else ''}"


def _case_number(session: Session, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    case = session.get(Case, case_id)
    return case.number if case else None


def _public(
    row: Notification, number: str | None, mask: Callable[[str], str]
) -> NotificationPublic:
    return NotificationPublic(
        id=row.id or 0,
        case=number,
        event=row.event,
        recipient=row.recipient,
        language=row.language,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
        url=mask(row.url),
        dedup_key=row.dedup_key,
    )


def list_notifications(
    session: Session,
    *,
    status: str | None = None,
    case: str | None = None,
    limit: int = 100,
    mask: Callable[[str], str] = mask_url,
    viewer: Person | None = None,
    own: bool = False,
) -> list[dict[str, Any]]:
    """Outbox rows, newest first, optionally of one status or one case.

    ``viewer``: the signed-in person reading: the rows addressed to them (every row for
    the installation admin), a confidential filer redacted where they may not know them;
    a case they may not see is as unknown as a missing one. None is the operator.
    ``own``: only the rows addressed to ``viewer``, whoever they are.
    """
    query = (
        select(Notification, Case)
        .join(Case, col(Notification.case_id) == Case.id, isouter=True)
        .order_by(col(Notification.id).desc())
        .limit(limit)
    )
    if viewer is not None:
        query = query.where(visible_notifications(viewer))
        if own:
            query = query.where(Notification.person_id == viewer.id)
    if status is not None:
        if status not in {s.value for s in NotificationStatus}:
            raise InvalidInput(
                "notification.unknown_status",
                option("status"),
                status=status,
                allowed=[s.value for s in NotificationStatus],
            )
        query = query.where(Notification.status == status)
    if case is not None:
        found = session.exec(select(Case).where(Case.number == case.strip().upper())).first()
        if found is None or (
            viewer is not None
            and not sees_all_notifications(viewer)
            and not may(session, viewer, Operation.case_list, found)
        ):
            raise NotFound("notification.unknown_case", option("case"), case=case)
        query = query.where(Notification.case_id == found.id)
    out = []
    readers: dict[int, tuple[frozenset[Relation], Filer]] = {}  # per case: one lookup
    for row, of in session.exec(query).all():
        shown = _public(row, of.number if of else None, mask).model_dump(mode="json")
        if viewer is not None and of is not None and of.id is not None:
            if of.id not in readers:
                readers[of.id] = (relations(session, viewer, of), filer_of(session, of))
            shown = redact(shown, *readers[of.id])
        out.append(shown)
    return out


def seen_by(session: Session, shown: dict[str, Any], viewer: Person | None) -> dict[str, Any]:
    """A row as ``list_notifications`` shows it (e.g. ``retry``'s result), as ``viewer``
    may read it: a confidential filer redacted where due (None, the operator: as it is)."""
    number = shown.get("case")
    if viewer is None or number is None:
        return shown
    case = session.exec(select(Case).where(Case.number == number)).first()
    if case is None:
        return shown
    return redact_for(session, shown, case, viewer)


def as_public(session: Session, row: Notification) -> NotificationPublic:
    """One row as `notify list` shows it, its URL masked."""
    return _public(row, _case_number(session, row.case_id), mask_url)


INBOX_LIMIT = 200


def inbox(session: Session, person: Person, *, limit: int = 50) -> list[dict[str, Any]]:
    """The notifications written to ``person``, newest first, with what they said (subject
    and text) and how far each got: the web's inbox, where nothing is lost when e-mail is
    not configured. Only the channel's kind is shown of its URL (``mailto``, ``json``)."""
    if not 1 <= limit <= INBOX_LIMIT:
        raise InvalidInput("list.per_page", option("limit"), per_page=limit, most=INBOX_LIMIT)
    rows = session.exec(
        select(Notification)
        .where(Notification.person_id == person.id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    ).all()
    return [
        {
            "id": row.id,
            "case": _case_number(session, row.case_id),
            "event": row.event,
            "subject": row.subject,
            "body": row.body if row.body_format == "text" else _text_of(row.body),
            "channel": row.url.split(":", 1)[0],
            "status": row.status,
            "created_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        }
        for row in rows
    ]


def _text_of(html: str) -> str:
    """An HTML body's text (tags dropped; the page escapes what is left)."""
    return unescape(re.sub(r"<[^>]+>", " ", html)).strip()
