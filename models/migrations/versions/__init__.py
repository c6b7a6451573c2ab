"""The schema's Alembic revisions, one file per change, applied in order."""
