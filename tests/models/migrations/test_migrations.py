"""The Alembic revisions build exactly the tables the models declare, and step back.

On SQLite and PostgreSQL: after ``upgrade head`` Alembic's autogenerate finds nothing
to change; the newest revision goes down (its tables gone, the others kept) and up
again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import ethicsflow.models.tables  # noqa: F401  (every table in the metadata)
from ethicsflow.models.db import alembic_config, get_engine, init_database
from ethicsflow.models.types import UTCDateTime

ACCOUNT_TABLES = {"account", "api_token", "invitation", "auth_failure", "security_event"}


def _compare_type(context: Any, inspected: Any, metadata: Any, *_: Any) -> bool | None:
    if isinstance(metadata.type, UTCDateTime):  # rendered as sa.DateTime(timezone=True)
        return not isinstance(inspected.type, sa.DateTime)
    return None  # Alembic's own comparison


def _differences(url: str) -> list[Any]:
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": _compare_type})
        return compare_metadata(context, SQLModel.metadata)


def _migrate(url: str, step: str, revision: str) -> None:
    with get_engine(url).begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        getattr(command, step)(config, revision)


def _tables(url: str) -> set[str]:
    with get_engine(url).connect() as connection:
        return set(sa.inspect(connection).get_table_names()) - {"alembic_version"}


def test_the_migrations_build_the_tables_the_models_declare(db_url: str) -> None:
    assert init_database(db_url) == "0010"
    assert _differences(db_url) == []
    assert _tables(db_url) == set(SQLModel.metadata.tables)


def test_the_accounts_revision_goes_down_and_up_again(db_url: str) -> None:
    init_database(db_url)
    everything = _tables(db_url)
    _migrate(db_url, "downgrade", "0006")
    assert _tables(db_url) == everything - ACCOUNT_TABLES - {"web_session"}
    _migrate(db_url, "upgrade", "head")
    assert _tables(db_url) == everything
    assert _differences(db_url) == []
