"""case.next_due: each case's next open deadline, kept by the database

The case list sorts by the next open deadline; computing it per request (a grouped
subquery over every open deadline) cost 0.5-0.8 s at 100,000 cases. The column is kept
by triggers on ``deadline``, so every writer (the ORM, a bulk insert, a restore, SQL by
hand) keeps it right; an index per list order lets a page read 50 rows, not all of them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 16:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEXT_DUE = (
    "(SELECT min(due) FROM deadline WHERE deadline.case_id = {row}.case_id"
    " AND deadline.status = 'open')"
)
"""The next open deadline of the case of a deadline row (``NEW`` or ``OLD``)."""


def _refresh(row: str) -> str:
    return f'UPDATE "case" SET next_due = {NEXT_DUE.format(row=row)} WHERE id = {row}.case_id;'


SQLITE_TRIGGERS = (
    "CREATE TRIGGER deadline_next_due_insert AFTER INSERT ON deadline "
    f"BEGIN {_refresh('NEW')} END",
    "CREATE TRIGGER deadline_next_due_update AFTER UPDATE OF due, status, case_id ON deadline "
    f"BEGIN {_refresh('NEW')} {_refresh('OLD')} END",
    "CREATE TRIGGER deadline_next_due_delete AFTER DELETE ON deadline "
    f"BEGIN {_refresh('OLD')} END",
)
POSTGRESQL_TRIGGERS = (
    # OR REPLACE: a restore drops our tables, not this function, then migrates again
    "CREATE OR REPLACE FUNCTION ethicsflow_case_next_due() RETURNS trigger LANGUAGE plpgsql"
    " AS $$\n"
    "BEGIN\n"
    f"  IF TG_OP <> 'INSERT' THEN {_refresh('OLD')} END IF;\n"
    f"  IF TG_OP <> 'DELETE' THEN {_refresh('NEW')} END IF;\n"
    "  RETURN NULL;\n"
    "END $$",
    "CREATE TRIGGER deadline_next_due AFTER INSERT OR DELETE OR UPDATE OF due, status, case_id "
    "ON deadline FOR EACH ROW EXECUTE FUNCTION ethicsflow_case_next_due()",
)


def upgrade() -> None:
    # A case's open deadlines by due date: the triggers' lookup (without it SQLite may
    # walk the (status, due) index over every open deadline, once per row written).
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_case_id")
        batch_op.create_index(
            "ix_deadline_case_id_status_due", ["case_id", "status", "due"], unique=False
        )
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due", sa.Date(), nullable=True))
        batch_op.create_index(
            "ix_case_organization_id_status_next_due",
            ["organization_id", "status", "next_due", "id"],
            unique=False,
        )
        batch_op.create_index("ix_case_next_due", ["next_due", "id"], unique=False)
    op.execute(
        'UPDATE "case" SET next_due = (SELECT min(due) FROM deadline'
        " WHERE deadline.case_id = \"case\".id AND deadline.status = 'open')"
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS deadline_next_due ON deadline")
        op.execute("DROP FUNCTION IF EXISTS ethicsflow_case_next_due()")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS deadline_next_due_{name}")
    with op.batch_alter_table("case", schema=None) as batch_op:
        batch_op.drop_index("ix_case_next_due")
        batch_op.drop_index("ix_case_organization_id_status_next_due")
        batch_op.drop_column("next_due")
    with op.batch_alter_table("deadline", schema=None) as batch_op:
        batch_op.drop_index("ix_deadline_case_id_status_due")
        batch_op.create_index("ix_deadline_case_id", ["case_id"], unique=False)
