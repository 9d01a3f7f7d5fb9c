"""Indexes for the web app's lists (store/read.py): stories by size or recency, stories and articles by outlet or
entity without reading the article rows (``story_id`` sits behind the article text, so reading it from the row means
reading the whole text), nominal mentions by entity.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_stories_size", "stories", ["size", "last_published"]),
    ("ix_stories_last", "stories", ["last_published", "size"]),
    ("ix_documents_outlet_story", "documents", ["outlet", "story_id"]),
    ("ix_entities_entity_doc", "entities", ["entity_id", "document_id"]),
    ("ix_nominals_entity", "nominals", ["entity_id"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, if_not_exists=True)  # a half-applied earlier attempt is no obstacle


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table, if_exists=True)
