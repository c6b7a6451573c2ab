"""Migration 0008: cases filed before keep ``confidential`` true (their filers agreed to
nothing); new ones default to false; ``party.person_id`` is indexed; and back down."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import command

from ethicsflow.models.cases.tables import Case
from ethicsflow.models.db import alembic_config, get_engine
from ethicsflow.models.people.tables import Organization


def _migrate(url: str, revision: str, down: bool = False) -> None:
    with get_engine(url).begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)


def _indexes(url: str) -> set[str]:
    with get_engine(url).connect() as connection:
        return {str(i["name"]) for i in sa.inspect(connection).get_indexes("party")}


def test_0008_keeps_old_cases_confidential_and_indexes_party_person(db_url: str) -> None:
    _migrate(db_url, "0006")
    at = datetime(2026, 1, 5, 5, tzinfo=UTC)
    with get_engine(db_url).begin() as connection:
        org_id = connection.execute(
            sa.insert(Organization.__table__).returning(sa.column("id")),  # type: ignore[attr-defined]
            {"code": "OLD", "name": "Old body"},
        ).scalar_one()
        connection.execute(
            sa.insert(Case.__table__),  # type: ignore[attr-defined]
            {"number": "OLD-2026-00001", "kind": "complaint", "status": "triage",
             "organization_id": org_id, "received_at": at, "registered_on": date(2026, 1, 5),
             "language": "ru", "anonymous": False, "confidential": True, "summary": "filed before",
             "missing_requisites": [], "offence_category": "general", "policy_version": "v",
             "audit_head": "", "event_count": 0, "created_at": at, "version": 1},
        )  # fmt: skip
    assert "ix_party_person_id" not in _indexes(db_url)

    _migrate(db_url, "0008")
    assert "ix_party_person_id" in _indexes(db_url)
    with get_engine(db_url).connect() as connection:
        kept = connection.execute(sa.text('SELECT confidential FROM "case"')).scalar_one()
    assert kept is True or kept == 1

    _migrate(db_url, "0006", down=True)
    assert "ix_party_person_id" not in _indexes(db_url)
