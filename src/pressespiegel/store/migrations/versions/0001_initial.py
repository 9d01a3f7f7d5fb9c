"""Initial schema: documents with comments and spans, stories, quarantine; full-text search: an FTS5 index on
SQLite, a generated `german` tsvector column with a GIN index on PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _child(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *columns,
        sa.UniqueConstraint("document_id", "position", name=f"uq_{name}_position"),
    )


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("first_published", sa.String(10)),
        sa.Column("last_published", sa.String(10)),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("outlet", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("lines", sa.Text, nullable=False),
        sa.Column("agencies", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("encoding", sa.String(32)),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("fetched_at", sa.String(32)),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("documents.id", ondelete="SET NULL")),
        sa.Column("story_id", sa.Integer, sa.ForeignKey("stories.id", ondelete="SET NULL")),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_index("ix_documents_outlet", "documents", ["outlet"])
    op.create_index("ix_documents_story", "documents", ["story_id"])
    _child("comments", sa.Column("author", sa.Text), sa.Column("reply_to", sa.Integer), sa.Column("posted", sa.Text),
           sa.Column("text", sa.Text, nullable=False))
    _child("entities", sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
           sa.Column("text", sa.Text), sa.Column("label", sa.String(3), nullable=False), sa.Column("canonical", sa.Text))
    _child("quotes", sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
           sa.Column("text", sa.Text), sa.Column("kind", sa.String(8), nullable=False), sa.Column("speaker", sa.Text),
           sa.Column("speaker_start", sa.Integer), sa.Column("speaker_end", sa.Integer), sa.Column("cue", sa.Text))
    _child("timexes", sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
           sa.Column("text", sa.Text), sa.Column("type", sa.String(8), nullable=False), sa.Column("value", sa.Text))
    op.create_table(
        "quarantine",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("size_bytes", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.UniqueConstraint("source", "fingerprint", name="uq_quarantine_source_fingerprint"),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Full-text search over title and text, kept in step with `documents` by triggers.
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
                   "content_rowid='id', tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
                   "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
        op.execute("CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
                   "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                   "VALUES ('delete', old.id, old.title, old.text); END")
        op.execute("CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
                   "INSERT INTO documents_fts(documents_fts, rowid, title, text) "
                   "VALUES ('delete', old.id, old.title, old.text); "
                   "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END")
    elif op.get_bind().dialect.name == "postgresql":
        # Full-text search over title and text with German stemming, kept in step by PostgreSQL itself. (PostgreSQL
        # stores could not be opened before this was added, so no store at 0001 lacks it.)
        op.execute("ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('german'::regconfig, coalesce(title, '') || ' ' || text)) STORED")
        op.execute("CREATE INDEX ix_documents_search ON documents USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    for name in ("quarantine", "timexes", "quotes", "entities", "comments", "documents", "stories"):
        op.drop_table(name)
