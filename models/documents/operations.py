"""`doc render` and `doc list`: one call, one transaction, for the CLI and the flows;
``read_document``: one stored document for a reader (the REST API's download).

``render_document`` issues (or finds) the kind's latest version for a case and copies it
to ``--out`` if asked; a PDF is LibreOffice's conversion of that .docx, converted outside
the write transaction and stored as a version of its own.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from ethicsflow.models.cases.access import get_case, get_person
from ethicsflow.models.cases.filing import EMAIL
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import require_schema, session_scope
from ethicsflow.models.documents import facts as f
from ethicsflow.models.documents.kinds import ADDRESSED, check_format, check_kind, check_language
from ethicsflow.models.documents.pdf import convert_to_pdf, soffice
from ethicsflow.models.documents.store import (
    documents_dir,
    is_new,
    render_case_document,
    store_file,
    store_rendered,
)
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import InvalidInput, NotFound, key, option
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import require
from ethicsflow.models.permissions.redaction import redact_for
from ethicsflow.models.permissions.table import Operation
from ethicsflow.models.policy import load_policy


def document_dict(
    document: Document, number: str, created: bool | None = None, to: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": document.id,
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
            "document.out_is_folder",
            option("out"),
            out=str(out),
            example=str(out / f"{number.upper()}-{kind}.{fmt}"),
        )
    return out


def _copy_out(document: Document, out: Path | None) -> str | None:
    if out is None:
        return None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(documents_dir() / document.path, out)
    except OSError as exc:
        raise InvalidInput(
            "document.out_unwritable", option("out"), out=str(out), reason=str(exc.strerror or exc)
        ) from None
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
        raise InvalidInput("document.number_required", key("number"))
    kind = check_kind(str(values.get("kind") or ""))
    language = values.get("language")
    if language is not None:
        check_language(str(language))
    fmt = check_format(str(values.get("format") or "docx"))
    to = str(values.get("to") or "").strip().lower() or None
    if to is not None and kind not in ADDRESSED:
        raise InvalidInput("document.not_addressed", option("to"), addressed=list(ADDRESSED))
    if to is not None and not EMAIL.match(to):
        raise InvalidInput("document.to_not_email", option("to"), to=to)
    out = _out_path(values.get("out"), number, kind, fmt)
    executable = soffice() if fmt == "pdf" else None
    by = values.get("by")
    require_schema()
    policy = load_policy()
    with session_scope(write=True) as session:
        case = get_case(session, number, lock=True)
        author = get_person(session, str(by)).email if by else "operator"
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
        pdf = store_file(
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


def list_documents(number: str, *, viewer: Person | None = None) -> list[dict[str, Any]]:
    """`doc list`: every stored document of the case, by kind, language, version.

    ``viewer``: the signed-in person reading (refused unless they may, a confidential
    filer redacted for them); None is the operator, who reads everything."""
    require_schema()
    with session_scope() as session:
        case = get_case(session, number)
        if viewer is not None:
            require(session, viewer, Operation.case_documents, case)
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
        listed = {"documents": [document_dict(row, case.number) for row in rows]}
        return list(redact_for(session, listed, case, viewer)["documents"])


def read_document(document_id: int, *, viewer: Person | None = None) -> tuple[dict[str, Any], Path]:
    """One stored document: its record (as ``list_documents`` gives it) and its file.

    ``viewer`` as in :func:`list_documents`; a document of a case the viewer may not see
    is not found, as if it did not exist (its case's number is not said)."""
    require_schema()
    with session_scope() as session:
        document = session.get(Document, document_id)
        case = session.get(Case, document.case_id) if document is not None else None
        if document is None or case is None:
            raise NotFound("document.not_found", key("id"), id=document_id)
        if viewer is not None:
            try:
                require(session, viewer, Operation.case_documents, case)
            except NotFound:
                raise NotFound("document.not_found", key("id"), id=document_id) from None
        record = redact_for(session, document_dict(document, case.number), case, viewer)
        return record, documents_dir() / document.path
