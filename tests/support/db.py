"""PostgreSQL for the tests: 127.0.0.1:5432 (user postgres, database test), a fresh schema each.

Where the server is not reachable, the tests that need it are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest

PG_BASE = os.environ.get("ETHICSFLOW_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_BASE, connect_timeout=3):
            return None
    except Exception as exc:  # any failure means: skip, and say why
        return f"PostgreSQL not reachable at {PG_BASE}: {exc}".splitlines()[0]


PG_PROBLEM = _pg_problem()


@contextlib.contextmanager
def fresh_pg_schema(prefix: str = "t") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new, empty schema, dropped afterwards."""
    if PG_PROBLEM:
        pytest.skip(PG_PROBLEM)
    import psycopg

    from ethicsflow.models.db import get_engine

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with psycopg.connect(PG_BASE, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
