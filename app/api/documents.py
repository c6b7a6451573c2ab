"""``/api/v1/cases/{number}/documents`` and ``/api/v1/documents/{id}``: a case's issued
documents, issuing one, and downloading one.

Issuing is ``doc render`` over HTTP without ``--out``: the document is stored (and
recorded with its SHA-256) and the answer says where to download it. A download's
``ETag`` is that stored SHA-256, so a client that has the bytes asks again with
``If-None-Match`` and gets 304. A document of a case the reader may not see is 404.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from ethicsflow.app.api import operations
from ethicsflow.app.api.auth import Principal, SignedIn
from ethicsflow.app.api.threads import reads
from ethicsflow.models.cases.access import get_case
from ethicsflow.models.db import session_scope
from ethicsflow.models.documents.operations import list_documents, read_document
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.decide import require
from ethicsflow.models.permissions.table import Operation

router = APIRouter(prefix="/api/v1")

MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SERVER_ONLY = ("path", "out")
"""Keys of the model's answers that name files on the server: not for an API client."""


class Render(BaseModel):
    """What to issue: ``doc render``'s arguments but ``--out`` (and ``--by``: the
    signed-in person is the author)."""

    model_config = ConfigDict(extra="forbid")
    kind: str = Field(description="coupon, acknowledgment, answer, ... (docs/lifecycles.md)")
    language: str | None = Field(default=None, description="kk, ru or en (default: the case's)")
    format: str = Field(default="docx", description="docx or pdf (LibreOffice)")
    to: str | None = Field(default=None, description="measures_letter: the one recipient")


def _viewer(who: Principal) -> Person | None:
    """Whose eyes a read is through: the operator reads as themselves (everything)."""
    return None if who.operator else who.person


def _public(document: dict[str, Any]) -> dict[str, Any]:
    """A document as the API shows it: where to download it instead of server paths."""
    shown = {k: v for k, v in document.items() if k not in SERVER_ONLY}
    return {**shown, "href": f"{router.prefix}/documents/{document['id']}"}


@router.get("/cases/{number}/documents", tags=["documents"])
@reads
def case_documents(number: str, who: SignedIn) -> dict[str, Any]:
    """Every issued document of the case, all versions (``doc list``)."""
    listed = list_documents(number.strip().upper(), viewer=_viewer(who))
    return {"number": number.strip().upper(), "documents": [_public(d) for d in listed]}


@router.post("/cases/{number}/documents", status_code=201, tags=["documents"])
def render(number: str, body: Render, who: SignedIn, response: Response) -> dict[str, Any]:
    """Issue a document of the case (one flow run): 201 with the new version, 200 when
    the latest version is already these bytes."""
    with session_scope() as session:
        case = get_case(session, number.strip().upper())
        require(session, who.person, Operation.case_render_document, case, operator=who.operator)
    values = {**body.model_dump(), "number": case.number, "by": who.actor}

    result = _public(operations.run("render_document", {"values": values}))
    if not result["created"]:
        response.status_code = 200
    response.headers["Location"] = result["href"]
    return result


@router.get(
    "/documents/{document_id}",
    tags=["documents"],
    response_class=Response,
    responses={
        200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
        304: {"description": "the client's copy (If-None-Match) is this version"},
    },
)
@reads
def download(document_id: int, who: SignedIn, request: Request) -> Response:
    """The stored bytes of a document; ``ETag`` is their SHA-256 (``If-None-Match``
    with it: 304)."""
    record, path = read_document(document_id, viewer=_viewer(who))
    etag = f'"{record["sha256"]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if _matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    name = f"{record['number']}-{path.name}"
    headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(path.read_bytes(), media_type=MEDIA_TYPES[record["format"]], headers=headers)


def _matches(if_none_match: str | None, etag: str) -> bool:
    """``If-None-Match`` names this entity tag (weak comparison, RFC 9110 §13.1.2)."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags
