"""Issuing documents: each version stored once, read-only, with its SHA-256.

``issue_document`` renders a kind for a case and stores it under
``<ETHICSFLOW_HOME>/documents/<NUMBER>/<kind>-<lang>-v<N>.docx``: the same bytes as the
latest version return that version unchanged; anything else (the case changed, another
template) is version N+1, and the earlier files are never touched. Each new version is
an audit event. `doc render` and `doc list` are in ``operations.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, func, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.documents.contexts import build_context
from ethicsflow.models.documents.kinds import (
    check_kind,
    check_language,
)
from ethicsflow.models.documents.render import Rendered, render_docx
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.policy import Policy, load_policy
from ethicsflow.models.settings import get_settings
from ethicsflow.models.types import utcnow


def documents_dir(home: Path | None = None) -> Path:
    return (home or get_settings().home) / "documents"


def recipient_tag(to: str | None) -> str | None:
    """The first 8 hex digits of the SHA-256 of the recipient's e-mail: in the file name
    of an addressed document instead of the address itself."""
    if to is None:
        return None
    return hashlib.sha256(to.strip().lower().encode()).hexdigest()[:8]


def file_name(kind: str, language: str, version: int, fmt: str, to: str | None = None) -> str:
    """``answer-ru-v1.docx``; addressed: ``measures_letter-kk-<sha8 of e-mail>-v1.docx``."""
    tag = recipient_tag(to)
    return f"{kind}-{language}-{tag + '-' if tag else ''}v{version}.{fmt}"


def _for_recipient(document: Document, to: str | None) -> bool:
    name = document.path.rsplit("/", 1)[-1]
    return name == file_name(
        document.kind, document.language, document.version, document.format, to
    )


def latest_document(
    session: Session,
    case: Case,
    kind: str,
    language: str,
    fmt: str = "docx",
    to: str | None = None,
) -> Document | None:
    """The latest version of ``kind`` in ``language``; of an addressed kind, the latest
    one addressed to ``to`` (None: the letter to all)."""
    rows = session.exec(
        select(Document)
        .where(
            Document.case_id == case.id,
            Document.kind == kind,
            Document.language == language,
            Document.format == fmt,
        )
        .order_by(col(Document.version).desc())
    ).all()
    return next((row for row in rows if _for_recipient(row, to)), None)


def last_version(session: Session, case: Case, kind: str, language: str, fmt: str) -> int:
    """The highest version of ``kind`` in ``language`` whoever it is addressed to: version
    numbers are unique per case, kind, language and format (one sequence shared by the
    recipients of an addressed kind)."""
    found = session.exec(
        select(func.max(Document.version)).where(
            Document.case_id == case.id,
            Document.kind == kind,
            Document.language == language,
            Document.format == fmt,
        )
    ).one()
    return int(found or 0)


def render_case_document(
    session: Session,
    case: Case,
    kind: str,
    language: str,
    *,
    at: datetime | None = None,
    policy: Policy | None = None,
    to: str | None = None,
) -> Rendered:
    """Build the context of ``kind`` for ``case`` and render it (nothing is stored)."""
    check_kind(kind)
    check_language(language)
    policy = policy or load_policy()
    today = local_date(at or utcnow(), policy.zone)
    to = to.strip().lower() if to else None
    context = build_context(session, case, kind, language, today=today, policy=policy, to=to)
    rendered = render_docx(kind, language, context)
    return replace(rendered, to=to) if to else rendered


def is_new(session: Session, case: Case, rendered: Rendered) -> bool:
    """Storing ``rendered`` would make a new version (its bytes differ from the latest)."""
    latest = latest_document(session, case, rendered.kind, rendered.language, to=rendered.to)
    return latest is None or latest.sha256 != rendered.sha256


def write_read_only(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temporary file, then rename), mode 0444."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o444)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def store_file(
    session: Session,
    case: Case,
    *,
    kind: str,
    language: str,
    fmt: str,
    version: int,
    data: bytes,
    sha256: str,
    template: str,
    template_sha256: str,
    author: str,
    at: datetime | None,
    to: str | None = None,
) -> Document:
    relative = f"{case.number}/{file_name(kind, language, version, fmt, to)}"
    write_read_only(documents_dir() / relative, data)
    at = at or utcnow()
    document = Document(
        case_id=case.id or 0,
        kind=kind,
        language=language,
        format=fmt,
        version=version,
        path=relative,
        sha256=sha256,
        size=len(data),
        template=template,
        template_sha256=template_sha256,
        created_by=author,
        created_at=at,
    )
    session.add(document)
    append_event(
        session,
        case,
        actor=author,
        action="issue_document",
        from_status=case.status,
        to_status=case.status,
        payload={
            "kind": kind,
            "language": language,
            "format": fmt,
            "version": version,
            "sha256": sha256,
            "size": len(data),
            "template": template,
            "template_sha256": template_sha256,
            **({"to": to} if to else {}),
        },
        at=at,
    )
    session.add(case)
    session.flush()
    return document


def store_rendered(
    session: Session, case: Case, rendered: Rendered, author: str, *, at: datetime | None = None
) -> Document:
    """Store ``rendered`` as the next version, or return the latest if it is identical.

    Does not bump ``case.version``: the caller counts its change (see ``is_new``)."""
    latest = latest_document(session, case, rendered.kind, rendered.language, to=rendered.to)
    if latest is not None and latest.sha256 == rendered.sha256:
        return latest
    return store_file(
        session,
        case,
        kind=rendered.kind,
        language=rendered.language,
        fmt="docx",
        version=last_version(session, case, rendered.kind, rendered.language, "docx") + 1,
        data=rendered.data,
        sha256=rendered.sha256,
        template=rendered.template,
        template_sha256=rendered.template_sha256,
        author=author,
        at=at,
        to=rendered.to,
    )


def issue_document(
    session: Session,
    case: Case,
    kind: str,
    language: str,
    author: str,
    at: datetime | None = None,
    to: str | None = None,
) -> Document:
    """Render ``kind`` for ``case`` in ``language`` (addressed to ``to``, for the kinds of
    ``ADDRESSED``) and store it (in the caller's transaction); the same bytes as the
    latest version (to the same recipient) return that version."""
    rendered = render_case_document(session, case, kind, language, at=at, to=to)
    return store_rendered(session, case, rendered, author, at=at)
