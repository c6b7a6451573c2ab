"""Generated Word documents of a case (DESIGN §7), in kk, ru and en.

    kinds.py        the kinds, languages, formats and each kind's context fields
    formatting.py   dates in words, labels, citations of the Ethical Code, gaps
    facts.py        reading events, parties, deadlines and board records
    contexts.py     one build_<kind>_context per kind (board ones in board_contexts.py,
                    the measures letter in restoration_contexts.py)
    render.py       docxtpl rendering (sandboxed, strict), template lookup, check_templates
    store.py        issue_document: versions, each stored once, read-only
    operations.py   render_document, list_documents (`doc render`, `doc list`)
    pdf.py          the PDF of a stored .docx, converted by headless LibreOffice

Templates: ``templates/documents/<lang>/<kind>.docx``, built from
``templates/documents/src`` by ``python -m ethicsflow.templates.documents.build``.
"""

from ethicsflow.models.documents.contexts import BUILDERS, build_context
from ethicsflow.models.documents.kinds import FIELDS, FORMATS, KINDS
from ethicsflow.models.documents.operations import list_documents, render_document
from ethicsflow.models.documents.pdf import PdfUnavailable
from ethicsflow.models.documents.render import Problem, Rendered, check_templates, render_docx
from ethicsflow.models.documents.store import issue_document

__all__ = [
    "BUILDERS",
    "FIELDS",
    "FORMATS",
    "KINDS",
    "PdfUnavailable",
    "Problem",
    "Rendered",
    "build_context",
    "check_templates",
    "issue_document",
    "list_documents",
    "render_document",
    "render_docx",
]
