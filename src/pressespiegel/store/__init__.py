"""Store: where runs keep their results. SQLite file by default; PostgreSQL through the same interface."""

from __future__ import annotations

from .base import ArticleRow, DocumentNotStored, Store, StoreError, StoryRow


def open_store(target: str) -> Store:
    """Open (and create or migrate) the store at a file path or database URL."""
    from .sql import SqlStore  # SQLAlchemy and Alembic load only when a store is used

    return SqlStore(str(target))


__all__ = ["ArticleRow", "DocumentNotStored", "Store", "StoreError", "StoryRow", "open_store"]
