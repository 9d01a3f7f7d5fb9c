"""The tables, as SQLAlchemy Core objects: one definition for SQLite and PostgreSQL.

Changes to the schema are made here *and* as a new Alembic revision in ``migrations/versions``.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

stories = Table(
    "stories", metadata,
    Column("id", Integer, primary_key=True),
    Column("title", Text),
    Column("first_published", String(10)),
    Column("last_published", String(10)),
    Column("size", Integer, nullable=False, default=0),
    Column("updated_at", String(32), nullable=False),
    Index("ix_stories_size", "size", "last_published"),  # migration 0005: the web app's story lists
    Index("ix_stories_last", "last_published", "size"),
)

documents = Table(
    "documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("source", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("path", Text),
    Column("url", Text),
    Column("title", Text),
    Column("outlet", Text),
    Column("published", String(10)),
    Column("language", String(8), nullable=False),
    Column("text", Text, nullable=False),
    Column("lines", Text, nullable=False, default="[]"),  # JSON: line labels of text input
    Column("agencies", Text, nullable=False, default="[]"),  # JSON list
    Column("evidence", Text, nullable=False, default="{}"),  # JSON: where title/outlet/published came from
    Column("encoding", String(32)),
    Column("size_bytes", Integer, nullable=False, default=0),
    Column("ingested_at", String(32), nullable=False),
    Column("fetched_at", String(32)),
    Column("duplicate_of", Integer, ForeignKey("documents.id", ondelete="SET NULL")),
    Column("story_id", Integer, ForeignKey("stories.id", ondelete="SET NULL")),
    Index("ix_documents_published", "published"),
    Index("ix_documents_outlet", "outlet"),
    Index("ix_documents_story", "story_id"),
    Index("ix_documents_outlet_story", "outlet", "story_id"),  # 0005
)


def _child(name: str, *columns: Column) -> Table:
    """A table of things found in one document (comments, spans): deleted with their document."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("position", Integer, nullable=False),
        *columns,
        UniqueConstraint("document_id", "position", name=f"uq_{name}_position"),
    )


comments = _child(
    "comments",
    Column("author", Text), Column("reply_to", Integer), Column("posted", Text), Column("text", Text, nullable=False),
)
entities = _child(
    "entities",
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
    Column("label", String(3), nullable=False), Column("canonical", Text),
    Column("entity_id", String(64)), Column("role", Text), Column("geonames_id", Integer), Column("kb_id", Text),
    Index("ix_entities_entity", "entity_id"),
    Index("ix_entities_entity_doc", "entity_id", "document_id"),  # 0005
)
nominals = _child(
    "nominals",
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
    Column("canonical", Text), Column("entity_id", String(64)),
    Index("ix_nominals_entity", "entity_id"),  # 0005
)
# One row per real-world entity (analyse.linking.Record): the id every mention in `entities` points to.
entity_registry = Table(
    "entity_registry", metadata,
    Column("id", String(64), primary_key=True),
    Column("label", String(3), nullable=False),
    Column("canonical", Text, nullable=False),
    Column("name_key", Text),
    Column("geonames_id", Integer),
    Column("kb_id", Text),
    Column("description", Text),
    Column("aliases", Text, nullable=False, default="[]"),  # JSON list of the spellings seen
    Column("context", Text, nullable=False, default="{}"),  # JSON: ids of entities named in the same documents
    Column("mentions", Integer, nullable=False, default=0),
    Column("documents", Integer, nullable=False, default=0),
)
quotes = _child(
    "quotes",
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
    Column("kind", String(8), nullable=False), Column("speaker", Text), Column("speaker_start", Integer),
    Column("speaker_end", Integer), Column("cue", Text),
    Column("statement_id", Integer),  # the id of the earliest quote of the same statement (stories.statements)
    Index("ix_quotes_statement", "statement_id"),
)
figures = _child(
    "figures",
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
    Column("value", Float, nullable=False), Column("unit", Text, nullable=False), Column("qualifier", String(8)),
)
timexes = _child(
    "timexes",
    Column("start", Integer, nullable=False), Column("end", Integer, nullable=False), Column("text", Text),
    Column("type", String(8), nullable=False), Column("value", Text),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True),
    Column("source", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("reason", Text, nullable=False),
    Column("size_bytes", Integer, nullable=False, default=0),
    Column("first_seen", String(32), nullable=False),
    Column("last_seen", String(32), nullable=False),
    UniqueConstraint("source", "fingerprint", name="uq_quarantine_source_fingerprint"),
)

# The online story index (stories.index, migration 0006): one entry per placed article — the day it was placed on
# (ordinal; an undated article: the newest day then) and its encoded n-gram vector and copy signature — and the
# index-wide state by key (the n-gram document frequencies).
story_index = Table(
    "story_index", metadata,
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Index("ix_story_index_day", "day"),
)
index_state = Table(
    "index_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)
