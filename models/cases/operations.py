"""Plain, transactional operations: one call = one database transaction.

Flows (``flows/``) call these as their steps; tests call them directly,
without Prefect. Reads live in ``views.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ethicsflow.models.cases.filing import FileCase, validate_filing
from ethicsflow.models.cases.intake import Filed, FilingCache, existing_by_key, file_case
from ethicsflow.models.db import refresh_statistics, require_schema, session_scope
from ethicsflow.models.deadlines.recompute import recompute_open_deadlines
from ethicsflow.models.errors import (
    ACTOR,
    Conflict,
    EthicsflowError,
    FieldRef,
    InvalidInput,
    NotFound,
    NotPermitted,
    invalid_from,
    key,
    option,
    to_dict,
)
from ethicsflow.models.lifecycle.base import SYSTEM
from ethicsflow.models.lifecycle.engine import ActResult, apply_action
from ethicsflow.models.people.directory import get_org
from ethicsflow.models.people.tables import (
    Organization,
    OrganizationCreate,
    OrganizationPublic,
    Person,
    PersonCreate,
    PersonPublic,
)
from ethicsflow.models.policy import load_policy

PROGRESS: ContextVar[Callable[[int], None] | None] = ContextVar("progress", default=None)
"""Set by a caller that shows progress; `import_rows` reports each committed batch."""

URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


def _org_field(where: str) -> FieldRef:
    return key("code") if where == "code" else option(where)


def _person_field(where: str) -> FieldRef:
    return key("email") if where == "email" else option(where.split(".")[0])


def add_org(values: dict[str, Any]) -> dict[str, Any]:
    try:
        data = OrganizationCreate.model_validate(values)
    except ValidationError as exc:
        raise invalid_from(exc, _org_field) from exc
    require_schema()
    with session_scope(write=True) as session:
        if session.exec(select(Organization).where(Organization.code == data.code)).first():
            raise Conflict("org.exists", key("code"), code=data.code)
        parent = get_org(session, data.parent, option("parent")) if data.parent else None
        org = Organization(
            code=data.code,
            name=data.name,
            region=data.region,
            parent_id=parent.id if parent else None,
        )
        session.add(org)
        session.flush()
        return OrganizationPublic(
            code=org.code, name=org.name, region=org.region, parent=parent.code if parent else None
        ).model_dump()


def add_person(values: dict[str, Any]) -> dict[str, Any]:
    try:
        data = PersonCreate.model_validate(values)
    except ValidationError as exc:
        raise invalid_from(exc, _person_field) from exc
    for url in data.notify:
        if not URL_SCHEME.match(url):
            raise InvalidInput("person.notify_url_malformed", option("notify"), url=url)
    require_schema()
    with session_scope(write=True) as session:
        if session.exec(select(Person).where(Person.email == data.email)).first():
            raise Conflict("person.exists", key("email"), email=data.email)
        org = get_org(session, data.org, option("org"))
        manager = None
        if data.manager:
            manager = session.exec(
                select(Person).where(Person.email == data.manager.strip().lower())
            ).first()
            if manager is None:
                raise NotFound("person.not_found", option("manager"), email=data.manager)
        person = Person(
            email=data.email,
            name=data.name,
            iin=data.iin,
            language=data.language,
            organization_id=org.id or 0,
            manager_id=manager.id if manager else None,
            roles=sorted({str(r) for r in data.roles}),
            notify_urls=list(data.notify),
        )
        session.add(person)
        session.flush()
        return PersonPublic.of(person, org, manager).model_dump()


def filed_dict(filed: Filed) -> dict[str, Any]:
    return {
        "number": filed.number,
        "created": filed.created,
        "status": filed.status,
        "assignee": filed.assignee,
        "registered_on": filed.registered_on.isoformat(),
        "deadlines": filed.deadlines,
        **({"receipt_code": filed.receipt_code} if filed.receipt_code else {}),
    }


def file_one(
    values: dict[str, Any] | FileCase,
    now: datetime | None = None,
    *,
    operator: str | None = None,
) -> dict[str, Any]:
    """File one case in its own transaction; the same key returns the same case.
    ``operator``: who at the server filed for the filer (recorded in the audit event)."""
    filing = values if isinstance(values, FileCase) else validate_filing(values)
    require_schema()
    policy = load_policy()
    try:
        with session_scope(write=True) as session:
            return filed_dict(file_case(session, filing, now=now, policy=policy, operator=operator))
    except IntegrityError:
        # Another process filed the same idempotency key between our read and insert.
        if not filing.key:
            raise
        with session_scope() as session:
            found = existing_by_key(session, filing.key)
            if found is None:
                raise
            return file_one(filing, now, operator=operator)


def act(
    number: str,
    action: str,
    by: str,
    values: dict[str, Any],
    *,
    if_version: int | None = None,
    at: datetime | None = None,
    operator: str | None = None,
    literal: bool = False,
) -> dict[str, Any]:
    """Apply ``action`` as ``by`` (``operator``: who acted for them at the server;
    ``literal``: values from the API or the web, taken as typed)."""
    if by.strip().lower() == SYSTEM:
        raise NotPermitted("case.system_actor_reserved", ACTOR)
    require_schema()
    with session_scope(write=True) as session:
        result: ActResult = apply_action(
            session,
            number=number,
            action=action,
            actor_email=by,
            values=values,
            at=at,
            if_version=if_version,
            operator=operator,
            literal=literal,
        )
    return {
        "number": result.number,
        "action": result.action,
        "from": result.from_status,
        "status": result.status,
        "version": result.version,
        "deadlines": result.changes,
        **({"notes": result.notes} if result.notes else {}),
    }


def recompute_deadlines(at: datetime | None = None) -> dict[str, Any]:
    """Apply the policy's calendar to open deadlines (one transaction)."""
    require_schema()
    policy = load_policy()
    with session_scope(write=True) as session:
        return recompute_open_deadlines(session, policy, at).as_dict()


@dataclass
class ImportReport:
    filed: list[dict[str, Any]] = field(default_factory=list)
    existing: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "filed": len(self.filed),
            "existing": len(self.existing),
            "failed": len(self.errors),
            "cases": self.filed + self.existing,
            "errors": self.errors,
        }


def import_rows(
    rows: Iterable[tuple[int, dict[str, Any] | str]],
    *,
    now: datetime | None = None,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """File many cases; each row in its own savepoint, committed in batches.

    A bad row (``str`` rows carry a parse error) is reported with its line and
    its error (``errors.to_dict``: the edge renders it) and writes nothing; keys make a
    re-import a no-op.
    """
    require_schema()
    policy = load_policy()
    progress = progress or PROGRESS.get()
    report = ImportReport()
    pending: list[tuple[int, dict[str, Any] | str]] = []

    def flush(session: Session) -> None:
        cache = FilingCache()
        cache.prefetch_keys(
            session,
            [str(r["key"]) for _, r in pending if isinstance(r, dict) and r.get("key")],
        )
        for line, row in pending:
            try:
                if isinstance(row, str):
                    raise InvalidInput("case.import_row_unreadable", detail=row)
                filing = validate_filing(row)
                try:
                    with session.begin_nested():
                        filed = file_case(session, filing, now=now, policy=policy, cache=cache)
                except BaseException:
                    cache.settle(kept=False)
                    raise
                cache.settle(kept=True)
                entry = {"line": line, **filed_dict(filed)}
                (report.filed if filed.created else report.existing).append(entry)
            except EthicsflowError as exc:
                report.errors.append({"line": line, "error": to_dict(exc)})
            except IntegrityError as exc:
                conflict = Conflict("case.import_conflict", detail=str(exc.orig))
                report.errors.append({"line": line, "error": to_dict(conflict)})
        if progress:
            progress(len(pending))
        pending.clear()

    for item in rows:
        pending.append(item)
        if len(pending) >= batch:
            with session_scope(write=True) as session:
                flush(session)
    if pending:
        with session_scope(write=True) as session:
            flush(session)
    refresh_statistics()  # many rows at once: the planner's statistics are stale
    return report
