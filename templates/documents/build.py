"""Build the Word templates from their readable sources, reproducibly.

    python -m ethicsflow.templates.documents.build [--out DIR]

Reads ``src/<lang>/<kind>.txt`` beside this file and writes ``<lang>/<kind>.docx``
(into this folder unless ``--out`` is given). The same sources always give the same
bytes: the package is written by hand (no python-docx default template), with fixed core
properties (author ``ethicsflow``, fixed dates, revision 1) and a zip with fixed entry
timestamps and order. Edit a source, run the build, commit both; a test fails while a
committed ``.docx`` is stale.

Source markup, one paragraph per line (Jinja2 placeholders and docxtpl tags as they are):

    ; comment                 ignored (so are blank lines)
    # TEXT                    title: centred, bold
    ## TEXT                   heading: bold, kept with the next paragraph
    ^ TEXT                    centred paragraph
    > TEXT                    addressee block (indented to the right half of the page)
    - TEXT                    bullet item
    = LEFT | RIGHT            signature line: LEFT, then RIGHT at the right margin
    || A | B | C              table row (consecutive rows make one table; a row holding
                              only a `{%tr ... %}` tag is docxtpl's row loop)
    {%p ... %}                docxtpl paragraph tag (a loop over paragraphs)
    TEXT                      body paragraph, justified
    **bold** inside any line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from ethicsflow.models.documents.kinds import KINDS
from ethicsflow.models.documents.render import write_zip
from ethicsflow.models.people.tables import LANGUAGES
from ethicsflow.templates.documents.parts import (
    DECL,
    MARGIN_L,
    MARGIN_R,
    MARGIN_TB,
    PAGE_H,
    PAGE_W,
    TEXT_W,
    R,
    W,
    app_xml,
    content_types_xml,
    core_xml,
    document_rels,
    footer_xml,
    numbering_xml,
    package_rels,
    settings_xml,
    styles_xml,
)

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"


def _runs(text: str, bold: bool = False) -> str:
    """Runs of one line: ``**`` toggles bold; text is XML-escaped (placeholders kept)."""
    out = []
    for i, part in enumerate(text.split("**")):
        if not part:
            continue
        strong = bold != (i % 2 == 1)
        props = "<w:rPr><w:b/><w:bCs/></w:rPr>" if strong else ""
        out.append(f'<w:r>{props}<w:t xml:space="preserve">{escape(part)}</w:t></w:r>')
    return "".join(out)


def _para(text: str, style: str | None = None, bold: bool = False) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{_runs(text, bold)}</w:p>"


def _signature(line: str) -> str:
    left, _, right = line.partition("|")
    return (
        '<w:p><w:pPr><w:pStyle w:val="SignatureLine"/></w:pPr>'
        f"{_runs(left.strip())}<w:r><w:tab/></w:r>{_runs(right.strip())}</w:p>"
    )


def _table(rows: list[list[str]]) -> str:
    columns = max(len(r) for r in rows)
    width = TEXT_W // columns
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _ in range(columns))
    body = []
    for cells in rows:
        cells = cells + [""] * (columns - len(cells))
        tcs = "".join(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            f'<w:p><w:pPr><w:pStyle w:val="TableText"/></w:pPr>{_runs(c)}</w:p></w:tc>'
            for c in cells
        )
        body.append(f"<w:tr>{tcs}</w:tr>")
    return (
        '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1"'
        ' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )


PREFIXES = (
    ("## ", "Heading2"),
    ("# ", "Title"),
    ("^ ", "Centered"),
    ("> ", "Addressee"),
    ("- ", "ListBullet"),
)


def body_xml(source: str) -> str:
    """The paragraphs and tables of ``source`` (see the markup in the module docstring)."""
    out: list[str] = []
    table: list[list[str]] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw.rstrip()
        if line.startswith("||"):
            table.append([cell.strip() for cell in line[2:].split("|")])
            continue
        if table:
            out.append(_table(table) + "<w:p/>")
            table = []
        if not line.strip() or line.startswith(";"):
            continue
        if line.startswith("= "):
            out.append(_signature(line[2:]))
        elif line.startswith("{%p") or line.startswith("{{p"):
            out.append(_para(line))
        else:
            for prefix, style in PREFIXES:
                if line.startswith(prefix):
                    out.append(_para(line[len(prefix) :], style))
                    break
            else:
                if line[0] in "#^>-=|" and not line.startswith("-"):
                    raise ValueError(f"line {number}: unknown markup {line[:2]!r}")
                out.append(_para(line))
    if table:
        out.append(_table(table) + "<w:p/>")  # Word ends a body with a paragraph
    return "".join(out)


def document_xml(source: str) -> str:
    section = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
        f'<w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/>'
        f'<w:pgMar w:top="{MARGIN_TB}" w:right="{MARGIN_R}" w:bottom="{MARGIN_TB}"'
        f' w:left="{MARGIN_L}" w:header="709" w:footer="709" w:gutter="0"/>'
        '<w:cols w:space="708"/></w:sectPr>'
    )
    return (
        f'{DECL}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        f"{body_xml(source)}{section}</w:body></w:document>"
    )


def build_docx(source: str, kind: str, language: str) -> bytes:
    """The template ``.docx`` of one source text."""
    parts = {
        "[Content_Types].xml": content_types_xml(),
        "_rels/.rels": package_rels(),
        "docProps/app.xml": app_xml(),
        "docProps/core.xml": core_xml(kind, language),
        "word/_rels/document.xml.rels": document_rels(),
        "word/document.xml": document_xml(source),
        "word/footer1.xml": footer_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/styles.xml": styles_xml(language),
    }
    return write_zip((name, xml.encode("utf-8")) for name, xml in parts.items())


def sources(root: Path = SOURCES) -> Iterator[tuple[str, str, Path]]:
    for language in LANGUAGES:
        for kind in KINDS:
            yield language, kind, root / language / f"{kind}.txt"


def build(out: Path = HERE, root: Path = SOURCES) -> list[Path]:
    """Write every template into ``out``; returns the files written."""
    written = []
    for language, kind, source in sources(root):
        try:
            data = build_docx(source.read_text(encoding="utf-8"), kind, language)
        except (OSError, ValueError) as exc:
            raise SystemExit(f"error: {source}: {exc}") from None
        target = out / language / f"{kind}.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ethicsflow.templates.documents.build", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write (default: here)")
    args = parser.parse_args(argv)
    written = build(args.out)
    print(f"{len(written)} templates written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
