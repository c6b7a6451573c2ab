"""Document flows: `render-document` issues a stored, versioned .docx (or PDF)."""

from __future__ import annotations

from typing import Any

from prefect import flow

from ethicsflow.flows.runtime import private_parameters
from ethicsflow.models.documents.operations import render_document


@private_parameters("values")
@flow(name="render-document")
def render_document_flow(values: dict[str, Any]) -> dict[str, Any]:
    return render_document(values)
