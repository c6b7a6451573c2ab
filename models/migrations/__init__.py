"""Alembic migrations: the only way the schema changes (``env.py`` and ``versions/``)."""
