"""Reading a rendered .docx back as text (for the document tests)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx


def text_of(data: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    for section in document.sections:
        lines.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(lines)


def file_text(result: dict[str, Any]) -> str:
    return text_of(Path(result["path"]).read_bytes())
