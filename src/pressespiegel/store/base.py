"""The storage interface every backend implements; the rest of pressespiegel talks only to this."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..analyse.linking import Record
from ..model import Document, Rejection


@dataclass
class ArticleRow:
    """An article as listed (report, export): metadata, its story and duplicate links, the comment count."""

    id: int
    source: str
    kind: str
    url: str | None
    path: str | None
    title: str | None
    outlet: str | None
    published: str | None
    language: str
    content_hash: str
    ingested_at: str
    story_id: int | None
    duplicate_of: int | None
    text: str
    comment_count: int = 0
    agencies: list[str] = field(default_factory=list)


class StoreError(Exception):
    """The store failed (the database went away, refused a write): the message is the one line shown to the user.
    What was committed before stays; a rerun of the same command completes without storing anything twice."""


class DocumentNotStored(StoreError):
    """The database refused one document (a value it cannot hold); the run records it as rejected and goes on."""


@dataclass
class StoryRow:
    id: int
    title: str | None
    first_published: str | None
    last_published: str | None
    size: int


@dataclass
class IndexEntry:
    """An article in the story index (stories.index): its story and copy link, the day it was placed on (ordinal)
    and its encoded n-gram vector and copy signature (opaque to the store)."""

    document_id: int
    story_id: int | None
    duplicate_of: int | None
    day: int
    data: bytes


class Store(ABC):
    """Documents with their comments and spans, stories, and the quarantine of rejected inputs."""

    @abstractmethod
    def schema_version(self) -> str | None:
        """The migration revision the store is at."""

    @abstractmethod
    def has_document(self, content_hash: str) -> bool: ...

    @abstractmethod
    def add_document(self, doc: Document, records: Sequence[Record] = (),
                     merged: dict[str, str] | None = None) -> int | None:
        """Store one document with everything found in it, atomically; None if its content hash is stored. The
        entity registry changes its linking made (``records``, ``merged``: as for ``save_entities``) are saved in
        the same transaction."""

    @abstractmethod
    def save_entities(self, records: Sequence[Record], merged: dict[str, str] | None = None) -> None:
        """Insert or update entity registry records (analyse.linking); ``merged`` (old id → new id): records merged
        into others, whose mentions are repointed and whose rows go."""

    @abstractmethod
    def entity_records(self) -> list[Record]:
        """Every real-world entity the store knows, for linking new documents to."""

    @abstractmethod
    def replace_statements(self, statement_of: dict[int, int], *, partial: bool = False,
                           merged: dict[int, int] | None = None) -> None:
        """Set every quote's statement id (quote id → id of the statement's earliest quote), in one transaction;
        ``partial``: only the quotes given change (the others keep theirs); ``merged`` (old statement id → new):
        statements joined into others, all their quotes repointed."""

    @abstractmethod
    def add_rejection(self, rejection: Rejection) -> bool:
        """Keep a quarantine record; False when the same input was rejected before (only its time is updated)."""

    @abstractmethod
    def replace_stories(self, stories: Sequence[StoryRow], story_of: dict[int, int],
                        duplicate_of: dict[int, int]) -> None: ...

    @abstractmethod
    def articles(self, *, with_text: bool = True, story_id: int | None = None) -> Iterator[ArticleRow]:
        """Every article (or a story's articles only), in id order."""

    # -- the story index (stories.index) -------------------------------------------------------------------------
    @abstractmethod
    def index_state(self, key: str) -> bytes | None:
        """A piece of the story index's state (written by ``save_placement``); None when there is none."""

    @abstractmethod
    def unplaced_articles(self) -> Iterator[ArticleRow]:
        """The articles, with text, that are in no story yet (no story index entry), in id order."""

    @abstractmethod
    def story_window(self, day_from: int, day_to: int) -> tuple[list[IndexEntry], list[StoryRow]]:
        """The stories with an article placed on a day (ordinal) within the range: the index entries of all their
        articles, and their rows."""

    @abstractmethod
    def save_placement(self, entries: Sequence[IndexEntry], stories: Sequence[StoryRow], merged: dict[int, int],
                       state: dict[str, bytes], moved: dict[int, int] | None = None) -> None:
        """Write what the story index placed, in one transaction: stories created or changed (inserted or
        updated; a story without a title takes its first article's), stories merged into others (dropped id →
        kept id: their articles move, their rows go), new index entries (each sets its article's story and copy
        link), articles a split moved (document → story id) and index state by key."""

    @abstractmethod
    def reset_story_index(self) -> None:
        """Forget every story, copy link, statement and story index entry and state (``recluster`` starts here)."""

    @abstractmethod
    def quotes_near(self, published_from: str, published_to: str) -> list[dict[str, Any]]:
        """The quotes of the documents published within the range (ISO dates, inclusive) or undated, each with its
        document's ``published``, in id order."""

    @abstractmethod
    def document(self, doc_id: int) -> Document | None: ...

    @abstractmethod
    def stories(self) -> list[StoryRow]: ...

    @abstractmethod
    def rows(self, table: str) -> Iterator[dict[str, Any]]: ...

    def rows_of(self, table: str, document_ids: Iterable[int]) -> Iterator[dict[str, Any]]:
        """The rows of a per-document table (quotes, entities, nominals, figures, …) of some documents only, in id
        order. Backends override this with a query; this default filters ``rows``."""
        ids = set(document_ids)
        return (r for r in self.rows(table) if r["document_id"] in ids)

    @abstractmethod
    def counts(self) -> dict[str, int]: ...

    @abstractmethod
    def search(self, query: str, limit: int = 20) -> list[tuple[int, str]]: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
