"""Statements: quotes of the same statement across articles share a statement id.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("statement_id", sa.Integer))
        batch.create_index("ix_quotes_statement", ["statement_id"])


def downgrade() -> None:
    with op.batch_alter_table("quotes") as batch:
        batch.drop_index("ix_quotes_statement")
        batch.drop_column("statement_id")
