"""Issuing documents: each version stored once, read-only, with its SHA-256.

``issue_document`` renders a kind for a case and stores it under
``<ETHICSFLOW_HOME>/documents/<NUMBER>/<kind>-<lang>-v<N>.docx``: the same bytes as the
latest version return that version unchanged; anything else (the case changed, another
template) is version N+1, and the earlier files are never touched. Each new version is
an audit event. ``render_document`` and ``list_documents`` are the plain operations the
CLI and the flows call (one call, one write transaction); a PDF is LibreOffice's
conversion of the stored ``.docx`` (``pdf.py``), kept as its own row with the same
version number.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from ethicsflow.models.audit.chain import append_event
from ethicsflow.models.cases.access import get_case, get_person
from ethicsflow.models.cases.filing import EMAIL
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.deadlines.rules import local_date
from ethicsflow.models.documents import facts as f
from ethicsflow.models.documents.contexts import build_context
from ethicsflow.models.documents.kinds import (
    ADDRESSED,
    check_format,
    check_kind,
    check_language,
)
from ethicsflow.models.documents.pdf import convert_to_pdf, soffice
from ethicsflow.models.documents.render import Rendered, render_docx
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import InvalidInput
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


def _store(
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
    return _store(
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


def document_dict(
    document: Document, number: str, created: bool | None = None, to: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": number,
        "kind": document.kind,
        "language": document.language,
        "format": document.format,
        "version": document.version,
        "sha256": document.sha256,
        "size": document.size,
        "created_by": document.created_by,
        "created_at": document.created_at.isoformat(),
        "template": document.template,
        "template_sha256": document.template_sha256,
        "path": str(documents_dir() / document.path),
    }
    if created is not None:
        data["created"] = created
    if to is not None:
        data["to"] = to
    return data


def _out_path(value: Any, number: str, kind: str, fmt: str) -> Path | None:
    if value is None or value == "":
        return None
    out = Path(str(value)).expanduser()
    if out.is_dir():
        raise InvalidInput(
            f"--out: {out} is a folder; give the file to write,"
            f" e.g. {out / f'{number.upper()}-{kind}.{fmt}'}"
        )
    return out


def _copy_out(document: Document, out: Path | None) -> str | None:
    if out is None:
        return None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(documents_dir() / document.path, out)
    except OSError as exc:
        raise InvalidInput(f"--out: cannot write {out}: {exc.strerror or exc}") from None
    return str(out)


def render_document(values: dict[str, Any], *, at: datetime | None = None) -> dict[str, Any]:
    """`doc render`: issue ``kind`` of case ``number`` and optionally copy it to ``out``.

    values: number, kind, language (default: the recipient's, else the case's), format
    ``docx`` | ``pdf``, by (the author's e-mail; default ``operator``), out (a file path),
    to (for a kind of ``ADDRESSED``: the e-mail of the one recipient). The ``.docx`` is
    issued in one write transaction that locks the case and bumps its version only when
    a new version is stored. A PDF is converted outside any transaction (LibreOffice
    takes seconds) and stored in a second one. Invalid input writes nothing.
    """
    number = str(values.get("number") or "").strip()
    if not number:
        raise InvalidInput("NUMBER: required")
    kind = check_kind(str(values.get("kind") or ""))
    language = values.get("language")
    if language is not None:
        check_language(str(language))
    fmt = check_format(str(values.get("format") or "docx"))
    to = str(values.get("to") or "").strip().lower() or None
    if to is not None and kind not in ADDRESSED:
        raise InvalidInput(f"--to: only {', '.join(ADDRESSED)} is addressed to one person")
    if to is not None and not EMAIL.match(to):
        raise InvalidInput(f"--to: {to!r} is not an e-mail address")
    out = _out_path(values.get("out"), number, kind, fmt)
    executable = soffice() if fmt == "pdf" else None
    by = values.get("by")
    require_schema()
    policy = load_policy()
    with session_scope(write=True) as session:
        case = get_case(session, number, lock=True)
        author = get_person(session, str(by), "--by").email if by else "operator"
        recipient = f.person_by_email(session, to) if to else None
        lang = str(language or (recipient.language if recipient else case.language))
        rendered = render_case_document(session, case, kind, lang, at=at, policy=policy, to=to)
        created = is_new(session, case, rendered)
        if created:
            case.bump()
        docx = store_rendered(session, case, rendered, author, at=at)
        if fmt == "docx":
            result = document_dict(docx, case.number, created, to)
            result["out"] = _copy_out(docx, out)
            return result
        number, docx_version, docx_path = case.number, docx.version, docx.path
    assert executable is not None
    with session_scope() as session:
        case = get_case(session, number)
        pdf = _pdf_row(session, case, kind, lang, docx_version)
        if pdf is not None:
            return {**document_dict(pdf, number, False, to), "out": _copy_out(pdf, out)}
    data = convert_to_pdf(documents_dir() / docx_path, executable)
    with session_scope(write=True) as session:
        case = get_case(session, number, lock=True)
        pdf = _pdf_row(session, case, kind, lang, docx_version)
        if pdf is not None:  # another call converted it meanwhile
            return {**document_dict(pdf, number, False, to), "out": _copy_out(pdf, out)}
        case.bump()
        pdf = _store(
            session,
            case,
            kind=kind,
            language=lang,
            fmt="pdf",
            version=docx_version,
            data=data,
            sha256=hashlib.sha256(data).hexdigest(),
            template=rendered.template,
            template_sha256=rendered.template_sha256,
            author=author,
            at=at,
            to=to,
        )
        return {**document_dict(pdf, number, True, to), "out": _copy_out(pdf, out)}


def _pdf_row(
    session: Session, case: Case, kind: str, language: str, version: int
) -> Document | None:
    return session.exec(
        select(Document).where(
            Document.case_id == case.id,
            Document.kind == kind,
            Document.language == language,
            Document.format == "pdf",
            Document.version == version,
        )
    ).first()


def list_documents(number: str) -> list[dict[str, Any]]:
    """`doc list`: every stored document of the case, by kind, language, version."""
    require_schema()
    with session_scope() as session:
        case = get_case(session, number)
        rows = session.exec(
            select(Document)
            .where(Document.case_id == case.id)
            .order_by(
                col(Document.kind),
                col(Document.language),
                col(Document.version),
                col(Document.format),
            )
        ).all()
        return [document_dict(row, case.number) for row in rows]
