"""What restore's two sides (``restore.py`` and ``postgres.py``) share: the unpacked
archive in its staging folder, the refusal of a target that holds data, the check of a
restored database against the manifest, and the swap of the documents folder.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlmodel import Session, SQLModel, col, select

from ethicsflow.app.backup.manifest import DOCUMENTS, Manifest, count_rows, counts
from ethicsflow.models.audit.chain import verify_chain
from ethicsflow.models.cases.tables import Case
from ethicsflow.models.documents.tables import Document
from ethicsflow.models.errors import Conflict, InvalidInput, Param, key, option

Exclusive = Callable[[Path], AbstractContextManager[object]]
"""``exclusive(home)``: hold the home's engine lock, or raise Conflict while one runs."""
FILE = key("file")
"""The archive a restore reads (the CLI's ``FILE`` argument)."""


def named(archive: Path) -> dict[str, Param]:
    """What every refusal of an archive names: ``{file} {archive}``."""
    return {"file": FILE, "archive": str(archive)}


def held(connection: Connection) -> dict[str, int]:
    """Rows in the application's tables of a restore's target, by table (empty: none)."""
    names = set(sa.inspect(connection).get_table_names()) & set(SQLModel.metadata.tables)
    found = {name: count_rows(connection, name) for name in sorted(names)}
    return {name: n for name, n in found.items() if n}


def refuse_data(rows: dict[str, int]) -> Conflict:
    biggest = sorted(rows.items(), key=lambda item: (item[0] != "case", -item[1]))[:4]
    listed = [f"{name} {n}" for name, n in biggest]
    return Conflict("restore.target_holds_data", rows=listed, force=option("force"))


@dataclass
class Unpacked:
    """An archive checked member by member and extracted into a staging folder."""

    archive: Path
    manifest: Manifest
    database: Path
    documents: Path
    sha256: str = ""
    size: int = 0

    @property
    def named(self) -> dict[str, Param]:
        """What a refusal of this archive names (:func:`named`)."""
        return named(self.archive)


def verify(session: Session, unpacked: Unpacked) -> dict[str, int]:
    """The restored database against the manifest: counts, every audit chain, every
    document row against its archived file. Returns the counts."""
    found = counts(session.connection())
    expected = unpacked.manifest.counts.model_dump()
    for label, value in found.items():
        if value != expected[label]:
            raise InvalidInput(
                "restore.count_differs",
                **unpacked.named,
                found=value,
                label=label,
                expected=expected[label],
            )
    for case in session.exec(select(Case).order_by(col(Case.id))):
        report = verify_chain(session, case)
        if not report.ok:
            raise InvalidInput(
                "restore.chain_broken",
                **unpacked.named,
                number=case.number,
                problem=str(report.problem),
            )
    archived = unpacked.manifest.documents()
    referenced: set[str] = set()
    for row in session.exec(select(Document).order_by(col(Document.id))):
        member = archived.get(row.path)
        if member is None:
            raise InvalidInput("restore.document_not_archived", **unpacked.named, path=row.path)
        if (member.sha256, member.size) != (row.sha256, row.size):
            raise InvalidInput(
                "restore.document_not_on_record", **unpacked.named, member=DOCUMENTS + row.path
            )
        referenced.add(row.path)
    extra = sorted(set(archived) - referenced)
    if extra:
        raise InvalidInput("restore.document_extra", **unpacked.named, member=DOCUMENTS + extra[0])
    return found


@contextlib.contextmanager
def documents_swapped(home: Path, staged: Path) -> Iterator[None]:
    """Put the staged documents folder in place of ``HOME/documents`` for the body; put the
    old one back if the body fails. The old folder ends up in the staging folder (removed
    with it)."""
    live = home / "documents"
    aside = staged.parent / "previous-documents"
    had = live.exists()
    if had:
        os.rename(live, aside)
    os.rename(staged, live)
    try:
        yield
    except BaseException:
        os.rename(live, staged)
        if had:
            os.rename(aside, live)
        raise
