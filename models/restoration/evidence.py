"""Evidence files of a restoration measure: stored once, read-only, with a document row."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlmodel import col, select

from ethicsflow.models.documents.store import documents_dir, write_read_only
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import InvalidInput, payload
from ethicsflow.models.lifecycle import payloads as p
from ethicsflow.models.lifecycle.context import Context
from ethicsflow.models.restoration.tables import Measure

EVIDENCE_KIND = "evidence"
"""``Document.kind`` of a file attached as evidence of a measure."""

MAX_EVIDENCE_BYTES = 50 * 1024 * 1024
"""Largest evidence file accepted (50 MiB)."""


def store_evidence(ctx: Context[p.Payload], measure: Measure, path_text: str) -> Document:
    """Store the file at ``path_text`` read-only under the case's documents, with a row."""
    path = Path(path_text).expanduser()
    field = payload("evidence_file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = str(exc.strerror or exc)
        raise InvalidInput("evidence.unreadable", field, path=str(path), reason=reason) from None
    if not data:
        raise InvalidInput("evidence.empty", field, path=str(path))
    if len(data) > MAX_EVIDENCE_BYTES:
        limit = MAX_EVIDENCE_BYTES // 2**20
        raise InvalidInput("evidence.too_large", field, path=str(path), limit=limit)
    sha256 = hashlib.sha256(data).hexdigest()
    ext = path.suffix.lower().lstrip(".")[:4]
    if not ext.isalnum():
        ext = "bin"
    relative = f"{ctx.case.number}/evidence-{measure.seq}-{sha256[:8]}.{ext}"
    target = documents_dir() / relative
    same = target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha256
    if not same:  # a file already stored (a retried action) is never rewritten
        write_read_only(target, data)
    latest = ctx.session.exec(
        select(Document.version)
        .where(
            Document.case_id == ctx.case.id,
            Document.kind == EVIDENCE_KIND,
            Document.language == ctx.case.language,
            Document.format == ext,
        )
        .order_by(col(Document.version).desc())
    ).first()
    document = Document(
        case_id=ctx.case.id or 0,
        kind=EVIDENCE_KIND,
        language=ctx.case.language,
        format=ext,
        version=(latest or 0) + 1,
        path=relative,
        sha256=sha256,
        size=len(data),
        template="",
        template_sha256="",
        created_by=ctx.actor_label,
        created_at=ctx.at,
    )
    ctx.session.add(document)
    ctx.session.flush()
    ctx.notes["evidence_file"] = {"path": relative, "sha256": sha256, "size": len(data)}
    return document
