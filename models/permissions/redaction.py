"""A confidential filer's identity, hidden from those who may not know it.

A case filed as confidential shows its filer's name, e-mail and IIN only to the
relations of ``table.IDENTITY`` (the filer, the assignee, the body's head, the Board's
secretary and members, the operator). Everyone else, the respondent first, reads
:data:`PLACEHOLDER` wherever the identity appears in what they read: the parties, the
actor of history events and their payloads, document and notification lists, free
text. An anonymous filer has no identity to hide: none is stored (``intake.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from ethicsflow.models.cases.tables import Case, Party, PartyRole
from ethicsflow.models.people.tables import Person
from ethicsflow.models.permissions.relations import Relation, relations
from ethicsflow.models.permissions.table import IDENTITY

PLACEHOLDER = "[confidential filer]"


@dataclass(frozen=True)
class Filer:
    """What identifies the filer of a case, for :func:`redact` (never shown by itself)."""

    confidential: bool
    email: str | None = None
    name: str | None = None
    iin: str | None = None

    def pattern(self) -> re.Pattern[str] | None:
        """What to hide in a text: the e-mail and the name in any case, the IIN as a
        number of its own (not inside a longer one); None when there is nothing."""
        words = sorted({s for s in (self.email, self.name) if s and s.strip()}, key=len)
        parts = [re.escape(s) for s in reversed(words)]  # longest first
        if self.iin:
            parts.append(rf"(?<!\d){re.escape(self.iin)}(?!\d)")
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def filer_of(session: Session, case: Case) -> Filer:
    """The filer of ``case`` as :func:`redact` needs it (nothing for a case that is not
    confidential, or anonymous)."""
    if not case.confidential or case.anonymous:
        return Filer(confidential=False)
    party = session.exec(
        select(Party).where(Party.case_id == case.id, Party.role == PartyRole.complainant)
    ).first()
    if party is None:
        return Filer(confidential=False)
    person = session.get(Person, party.person_id) if party.person_id is not None else None
    return Filer(
        confidential=True,
        email=party.email or (person.email if person else None),
        name=party.name or (person.name if person else None),
        iin=person.iin if person else None,
    )


def sees_identity(relations: Iterable[Relation]) -> bool:
    return bool(IDENTITY & set(relations))


def redact(view: dict[str, Any], relations: Iterable[Relation], filer: Filer) -> dict[str, Any]:
    """``view`` (a read model's dict) as a reader holding ``relations`` may see it: the
    confidential filer's name, e-mail and IIN replaced by :data:`PLACEHOLDER` in every
    string, at any depth. Unchanged for a case that is not confidential and for the
    relations of ``table.IDENTITY``; ``view`` itself is never changed."""
    if not filer.confidential or sees_identity(relations):
        return view
    pattern = filer.pattern()
    if pattern is None:
        return view
    redacted = _walk(view, pattern)
    assert isinstance(redacted, dict)
    return redacted


def redact_for(
    session: Session, view: dict[str, Any], case: Case, viewer: Person | None
) -> dict[str, Any]:
    """``view`` of ``case`` as the signed-in ``viewer`` may read it (None, the operator:
    as it is). The read models call this; :func:`redact` is the rule."""
    if viewer is None:
        return view
    return redact(view, relations(session, viewer, case), filer_of(session, case))


HASH = re.compile(r"[0-9a-f]{64}")


def _walk(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return value if HASH.fullmatch(value) else pattern.sub(PLACEHOLDER, value)
    if isinstance(value, dict):
        return {k: _walk(v, pattern) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v, pattern) for v in value]
    return value
