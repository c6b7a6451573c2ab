"""Rendering a Word template with docxtpl, sandboxed, into a reproducible file.

Templates are looked up in the override folder of the installation first
(``<ETHICSFLOW_HOME>/templates/documents/<lang>/<kind>.docx``, a secretary's edited
copy), then in the package. Rendering always uses
``SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)``: values are
XML-escaped (``&``, ``<``, quotes survive intact), and a name the context lacks is
refused with :class:`InvalidInput` naming the file and the name, never printed blank.
The output zip is rewritten with fixed timestamps and order, so the same template and
context always give the same bytes and SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import (
    StrictUndefined,
    Template,
    TemplateError,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from ethicsflow.models.documents.kinds import FIELDS, KINDS, check_kind, check_language
from ethicsflow.models.errors import InvalidInput
from ethicsflow.models.people.tables import LANGUAGES
from ethicsflow.models.settings import get_settings

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""Timestamp of every zip entry we write (the earliest a zip can hold)."""


def packaged_dir() -> Path:
    return Path(str(files("ethicsflow.templates"))) / "documents"


def override_dir(home: Path | None = None) -> Path:
    return (home or get_settings().home) / "templates" / "documents"


class DocumentEnvironment(SandboxedEnvironment):
    """``SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)`` that keeps the
    templates it compiled from a source string.

    docxtpl calls ``from_string`` with the XML of each part on every render; compiling
    that XML was most of the time of a render. The same source gives the same
    template, so compiled ones are kept (at most ``KEEP``, the oldest dropped first).
    """

    KEEP = 256

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: OrderedDict[str, Template] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(
        self,
        source: str | nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[Template] | None = None,
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        with self._lock:
            found = self._compiled.get(source)
            if found is not None:
                self._compiled.move_to_end(source)
                return found
        found = super().from_string(source)
        with self._lock:
            self._compiled[source] = found
            while len(self._compiled) > self.KEEP:
                self._compiled.popitem(last=False)
        return found


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    """The one Jinja2 environment documents are rendered and checked with."""
    return DocumentEnvironment()


def write_zip(entries: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of ``entries`` in the order given, stored (no compression: the bytes do
    not depend on the zlib build), every entry with the same timestamp and attributes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for name, blob in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, blob)
    return out.getvalue()


def zip_order(name: str) -> tuple[bool, str]:
    """``[Content_Types].xml`` first (as Word writes it), then by name."""
    return name != "[Content_Types].xml", name


def normalize_zip(data: bytes) -> bytes:
    """The same package with a fixed order, fixed timestamps and no compression."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist(), key=zip_order)
        entries = [(name, archive.read(name)) for name in names]
    return write_zip(entries)


@dataclass(frozen=True)
class TemplateFile:
    kind: str
    language: str
    path: Path
    name: str
    """Recorded on the document: ``ru/board_decision.docx``, or
    ``override:ru/board_decision.docx`` for the installation's own copy."""
    data: bytes
    sha256: str
    variables: frozenset[str]
    """The names the template uses that it does not define itself (its loop variables)."""


def template_error(path: Path, exc: Exception) -> InvalidInput:
    if isinstance(exc, TemplateSyntaxError):
        return InvalidInput(
            "template.syntax", path=str(path), line=exc.lineno, detail=str(exc.message)
        )
    if isinstance(exc, UndefinedError):
        return InvalidInput("template.undefined", path=str(path), detail=str(exc.message))
    if isinstance(exc, TemplateError):
        return InvalidInput("template.error", path=str(path), detail=str(exc.message or exc))
    return InvalidInput("template.not_docx", path=str(path), detail=str(exc))


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, size: int) -> tuple[bytes, str, frozenset[str]]:
    data = path.read_bytes()
    try:
        variables = DocxTemplate(io.BytesIO(data)).get_undeclared_template_variables(environment())
    except Exception as exc:  # a broken zip, broken XML or a Jinja2 syntax error
        raise template_error(path, exc) from exc
    return data, hashlib.sha256(data).hexdigest(), frozenset(variables)


def load_template(path: Path, kind: str, language: str, name: str) -> TemplateFile:
    """Read and parse a template (cached per file, size and modification time)."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise InvalidInput(
            "template.unreadable", path=str(path), reason=str(exc.strerror)
        ) from None
    data, sha, variables = _load(path, stat.st_mtime_ns, stat.st_size)
    return TemplateFile(kind, language, path, name, data, sha, variables)


def find_template(kind: str, language: str, home: Path | None = None) -> TemplateFile:
    """The installation's override of ``kind`` in ``language`` if any, else the packaged
    template."""
    check_kind(kind)
    check_language(language)
    relative = f"{language}/{kind}.docx"
    override = override_dir(home) / relative
    if override.is_file():
        return load_template(override, kind, language, f"override:{relative}")
    packaged = packaged_dir() / relative
    if not packaged.is_file():
        raise InvalidInput("template.missing", path=str(packaged))
    return load_template(packaged, kind, language, relative)


@dataclass(frozen=True)
class Rendered:
    kind: str
    language: str
    data: bytes
    sha256: str
    template: str
    template_sha256: str
    to: str | None = None
    """The recipient of an addressed kind (``kinds.ADDRESSED``), lower-case e-mail."""


def render_template(template: TemplateFile, context: dict[str, Any]) -> Rendered:
    """Render ``context`` into ``template``; an unknown name is refused, never blank."""
    unknown = sorted(template.variables - set(context))
    if unknown:
        raise InvalidInput(
            "template.unknown_variable",
            path=str(template.path),
            names=unknown,
            kind=template.kind,
            allowed=sorted(FIELDS.get(template.kind, set(context))),
        )
    document = DocxTemplate(io.BytesIO(template.data))
    try:
        document.render(context, jinja_env=environment())
        out = io.BytesIO()
        document.save(out)
    except (TemplateError, etree.LxmlError, ValueError) as exc:
        # StrictUndefined, a sandbox refusal, or XML the template's tags broke
        raise template_error(template.path, exc) from exc
    data = normalize_zip(out.getvalue())
    return Rendered(
        kind=template.kind,
        language=template.language,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        template=template.name,
        template_sha256=template.sha256,
    )


def render_docx(
    kind: str, language: str, context: dict[str, Any], *, home: Path | None = None
) -> Rendered:
    return render_template(find_template(kind, language, home), context)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template: the file, the kind, the variable if any, why.

    A plain record of the check, not an error. ``message`` is English; where the file
    could not be loaded at all, ``error`` is the :class:`InvalidInput` loading it raised
    (an edge words it itself: the CLI through its own mapping).
    """

    file: str
    kind: str
    variable: str | None
    message: str
    error: InvalidInput | None = None

    @property
    def where(self) -> str:
        """The file, and the variable if the problem is one."""
        return f"{self.file}: {self.variable}" if self.variable else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def _check(path: Path, kind: str, language: str, name: str) -> list[Problem]:
    try:
        template = load_template(path, kind, language, name)
    except InvalidInput as exc:
        return [Problem(str(path), kind, None, exc.message, exc)]
    return [
        Problem(
            str(path),
            kind,
            variable,
            f"unknown variable {variable!r}: {kind} provides {', '.join(sorted(FIELDS[kind]))}",
        )
        for variable in sorted(template.variables - FIELDS[kind])
    ]


def check_templates(home: Path | None = None) -> list[Problem]:
    """Every kind in every language is packaged, parses and uses only its fields; so do
    the installation's overrides. An empty list means all is well."""
    problems: list[Problem] = []
    for language in LANGUAGES:
        for kind in KINDS:
            relative = f"{language}/{kind}.docx"
            path = packaged_dir() / relative
            if not path.is_file():
                problems.append(Problem(str(path), kind, None, "missing from the package"))
                continue
            problems += _check(path, kind, language, relative)
    root = override_dir(home)
    for path in sorted(root.glob("*/*.docx")) if root.is_dir() else []:
        if path.name.startswith("~$"):
            continue  # Word's lock file while the template is open
        language, kind = path.parent.name, path.stem
        if language not in LANGUAGES:
            problems.append(
                Problem(str(path), kind, None, f"folder {language!r} is not one of {LANGUAGES}")
            )
        elif kind not in KINDS:
            problems.append(
                Problem(str(path), kind, None, f"not a document kind; kinds: {', '.join(KINDS)}")
            )
        else:
            problems += _check(path, kind, language, f"override:{language}/{kind}.docx")
    return problems
