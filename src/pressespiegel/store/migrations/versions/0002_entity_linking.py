"""Entity linking: entity ids, roles, GeoNames and knowledge-base ids on mentions; nominal mentions; the registry of
real-world entities.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("entity_id", sa.String(64)))
        batch.add_column(sa.Column("role", sa.Text))
        batch.add_column(sa.Column("geonames_id", sa.Integer))
        batch.add_column(sa.Column("kb_id", sa.Text))
        batch.create_index("ix_entities_entity", ["entity_id"])
    op.create_table(
        "nominals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("text", sa.Text),
        sa.Column("canonical", sa.Text),
        sa.Column("entity_id", sa.String(64)),
        sa.UniqueConstraint("document_id", "position", name="uq_nominals_position"),
    )
    op.create_table(
        "entity_registry",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("label", sa.String(3), nullable=False),
        sa.Column("canonical", sa.Text, nullable=False),
        sa.Column("name_key", sa.Text),
        sa.Column("geonames_id", sa.Integer),
        sa.Column("kb_id", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("aliases", sa.Text, nullable=False),
        sa.Column("context", sa.Text, nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("documents", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("entity_registry")
    op.drop_table("nominals")
    with op.batch_alter_table("entities") as batch:
        batch.drop_index("ix_entities_entity")
        for column in ("kb_id", "geonames_id", "role", "entity_id"):
            batch.drop_column(column)
