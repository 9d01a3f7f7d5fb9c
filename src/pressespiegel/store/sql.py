"""The store on SQLAlchemy Core: SQLite by default (one file, WAL, foreign keys, FTS5), PostgreSQL by URL
(`postgresql://user:password@host/db`, driver psycopg 3; full-text search on a `german` tsvector with a GIN index).

Every document is written in its own transaction, so a crash loses at most the document in flight. Database
failures surface as ``StoreError`` with a one-line message (a lost connection says so); what was committed stays.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import bindparam, create_engine, event, func, insert, literal_column, or_, select, text, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, SQLAlchemyError

from ..analyse.linking import Record
from ..model import Comment, Document, Entity, Figure, LineLabel, Nominal, Quote, Rejection, Timex, plain, utcnow
from . import schema as s
from .base import ArticleRow, DocumentNotStored, IndexEntry, Store, StoreError, StoryRow

_MIGRATIONS = Path(__file__).parent / "migrations"


def engine_for(target: str) -> Engine:
    """`postgresql://…` (driver psycopg 3 unless the URL names one) or any SQLAlchemy URL; anything else is a path
    to an SQLite file."""
    if "://" in target:
        url = make_url(target)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        if url.get_backend_name() != "postgresql":
            return create_engine(url, future=True)
        connect_args = {} if "connect_timeout" in url.query else {"connect_timeout": 15}
        # pre-ping: a connection the server dropped between two documents is replaced instead of failing the run
        return create_engine(url, future=True, pool_pre_ping=True, connect_args=connect_args)
    path = Path(target)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    return engine


# one INSERT statement object per table, built once: SQLAlchemy caches its compiled form (a statement built with
# .values(...) for each document is compiled again, which cost more than the database's work)
_INSERT = {table: insert(table) for table in (s.documents, s.comments, s.entities, s.nominals, s.quotes, s.timexes,
                                               s.figures)}


def _row(item: Any) -> dict[str, Any]:
    """A span, comment or line label as a table row: an entity's ``id`` is the ``entity_id`` column (the row has its
    own id)."""
    row = plain(item)
    if isinstance(item, Entity):
        row["entity_id"] = row.pop("id")
    return row


def _entity(row: dict[str, Any]) -> Entity:
    row["id"] = row.pop("entity_id", None)
    return Entity(**row)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    lines = [x.strip() for x in str(orig).splitlines() if x.strip()]
    return lines[0][:300] if lines else type(orig).__name__


def _store_error(exc: SQLAlchemyError) -> StoreError:
    """One line for the user: no SQL, no parameters (they may hold whole articles), no traceback."""
    message = _first_line(exc)
    lost = getattr(exc, "connection_invalidated", False) or (
        isinstance(exc, DBAPIError) and type(exc.orig).__name__ in ("OperationalError", "InterfaceError")
        and any(w in message.lower() for w in ("connection", "terminat", "server closed", "shutdown", "socket")))
    if lost:
        return StoreError(f"lost the connection to the database ({message}); what was stored before is kept: run "
                          "the command again to finish")
    return StoreError(f"database error: {message}")


def _translate_errors(cls: type) -> type:
    """Wrap the public methods of a store so that database failures leave it as ``StoreError``."""

    def wrap(method: Any) -> Any:
        if inspect.isgeneratorfunction(method):
            @functools.wraps(method)
            def gen(*args: Any, **kwargs: Any) -> Any:
                try:
                    yield from method(*args, **kwargs)
                except SQLAlchemyError as exc:
                    raise _store_error(exc) from exc
            return gen

        @functools.wraps(method)
        def plain(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except SQLAlchemyError as exc:
                raise _store_error(exc) from exc
        return plain

    for name, value in list(vars(cls).items()):
        if callable(value) and not name.startswith("_") and name != "close":
            setattr(cls, name, wrap(value))
    return cls


def _text_safe(row: dict[str, Any]) -> dict[str, Any]:
    """PostgreSQL text cannot hold NUL characters: they are stored as U+FFFD (one character for one: offsets stay)."""
    return {k: v.replace("\x00", "\ufffd") if isinstance(v, str) and "\x00" in v else v for k, v in row.items()}


@_translate_errors
class SqlStore(Store):
    def __init__(self, target: str) -> None:
        self.target = target
        self.engine = engine_for(target)
        try:
            self.migrate()
        except StoreError as exc:  # at opening, a connection that fails was never there: say so
            self.engine.dispose()
            raise StoreError(_first_line(exc.__cause__) if exc.__cause__ is not None else str(exc)) from exc
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- schema ---------------------------------------------------------------------------------------------------
    def migrate(self) -> None:
        """Bring the schema to the newest revision (a no-op when it is there already)."""
        config = Config()
        config.set_main_option("script_location", str(_MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # two commands opening a new store at once: one migrates
                conn.execute(text("SELECT pg_advisory_xact_lock(7054131)"))
            if MigrationContext.configure(conn).get_current_revision() == head:
                return
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def schema_version(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ----------------------------------------------------------------------------------------------------
    def has_document(self, content_hash: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(s.documents.c.id).where(s.documents.c.content_hash == content_hash)).first() \
                is not None

    def add_document(self, doc: Document, records: Sequence[Record] = (),
                     merged: dict[str, str] | None = None) -> int | None:
        row = {
            "content_hash": doc.content_hash, "source": doc.source, "kind": doc.kind, "path": doc.path,
            "url": doc.url, "title": doc.title, "outlet": doc.outlet, "published": doc.published,
            "language": doc.language, "text": doc.text, "lines": json.dumps([_row(x) for x in doc.lines]),
            "agencies": json.dumps(doc.agencies, ensure_ascii=False),
            "evidence": json.dumps(doc.evidence, ensure_ascii=False), "encoding": doc.encoding,
            "size_bytes": doc.size_bytes, "ingested_at": doc.ingested_at, "fetched_at": doc.fetched_at,
        }
        try:
            with self.engine.begin() as conn:
                doc_id = conn.execute(_INSERT[s.documents], _text_safe(row)).inserted_primary_key[0]
                for table, items in ((s.comments, doc.comments), (s.entities, doc.entities),
                                     (s.nominals, doc.nominals), (s.quotes, doc.quotes), (s.timexes, doc.timexes),
                                     (s.figures, doc.figures)):
                    if items:
                        conn.execute(_INSERT[table], [_text_safe({"document_id": doc_id, "position": n, **_row(x)})
                                                      for n, x in enumerate(items)])
                self._save_entities(conn, records, merged)
        except IntegrityError:
            return None  # stored meanwhile by another run: the content hash is the identity
        except DataError as exc:  # a value this database cannot hold: this document is rejected, the run goes on
            raise DocumentNotStored(f"the database refused the document: {_first_line(exc)}") from None
        doc.id = doc_id
        return doc_id

    def save_entities(self, records: Sequence[Record], merged: dict[str, str] | None = None) -> None:
        """Insert or update registry records and apply merges (one transaction)."""
        if records or merged:
            with self.engine.begin() as conn:
                self._save_entities(conn, records, merged)

    def _save_entities(self, conn: Any, records: Sequence[Record], merged: dict[str, str] | None) -> None:
        canonical = {r.id: r.canonical for r in records}
        for old, new in (merged or {}).items():
            for table in (s.entities, s.nominals):
                conn.execute(update(table).where(table.c.entity_id == old)
                             .values(entity_id=new, canonical=canonical.get(new, table.c.canonical)))
            conn.execute(s.entity_registry.delete().where(s.entity_registry.c.id == old))
        if records:  # insert or update in one statement: two runs on one store do not collide
            conn.execute(self._upsert_entities, [record.to_row() for record in records])

    @functools.cached_property
    def _upsert_entities(self) -> Any:
        """INSERT … ON CONFLICT DO UPDATE of registry rows, built once (building it is slower than running it)."""
        stmt = self._insert(s.entity_registry)
        return stmt.on_conflict_do_update(index_elements=["id"], set_={
            c.name: stmt.excluded[c.name] for c in s.entity_registry.columns if c.name != "id"})

    def entity_records(self) -> list[Record]:
        with self.engine.connect() as conn:
            return [Record.from_row(dict(r)) for r in conn.execute(
                select(s.entity_registry).order_by(s.entity_registry.c.id)).mappings()]

    def replace_statements(self, statement_of: dict[int, int], *, partial: bool = False,
                           merged: dict[int, int] | None = None) -> None:
        rows = [{"qid": q, "sid": sid} for q, sid in statement_of.items()]
        with self.engine.begin() as conn:
            if not partial:
                conn.execute(update(s.quotes).values(statement_id=None))
            for old, new in (merged or {}).items():
                conn.execute(update(s.quotes).where(s.quotes.c.statement_id == old).values(statement_id=new))
            if rows:
                conn.execute(update(s.quotes).where(s.quotes.c.id == bindparam("qid"))
                             .values(statement_id=bindparam("sid")), rows)

    def add_rejection(self, rejection: Rejection) -> bool:
        now = utcnow()
        key = rejection.fingerprint or ""
        rejection = Rejection(**_text_safe(vars(rejection)))
        with self.engine.begin() as conn:
            updated = conn.execute(
                update(s.quarantine)
                .where(s.quarantine.c.source == rejection.source, s.quarantine.c.fingerprint == key)
                .values(last_seen=now, reason=rejection.reason)
            ).rowcount
            if updated:
                return False
            inserted = conn.execute(self._insert(s.quarantine).values(
                source=rejection.source, fingerprint=key, reason=rejection.reason, size_bytes=rejection.size_bytes,
                first_seen=now, last_seen=now).on_conflict_do_nothing()).rowcount
        return bool(inserted)  # 0: another run recorded the same rejection just now

    def _insert(self, table: Any) -> Any:
        """INSERT with ON CONFLICT clauses, in this backend's dialect."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert(table)

    def replace_stories(self, stories: Sequence[StoryRow], story_of: dict[int, int],
                        duplicate_of: dict[int, int]) -> None:
        """Write a new grouping in one transaction: readers see the old one or the new one, never half."""
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(update(s.documents).values(story_id=None, duplicate_of=None))
            conn.execute(s.stories.delete())
            if stories:
                conn.execute(insert(s.stories), [{**asdict(st), "updated_at": now} for st in stories])
            by_story: dict[int, list[int]] = {}
            for doc_id, sid in story_of.items():
                by_story.setdefault(sid, []).append(doc_id)
            for sid, ids in by_story.items():
                conn.execute(update(s.documents).where(s.documents.c.id.in_(ids)).values(story_id=sid))
            for doc_id, orig in duplicate_of.items():
                conn.execute(update(s.documents).where(s.documents.c.id == doc_id).values(duplicate_of=orig))

    # -- reading ----------------------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (s.documents, s.comments, s.stories, s.quarantine, s.entities, s.entity_registry,
                              s.nominals, s.quotes, s.timexes, s.figures)}

    def articles(self, *, with_text: bool = True, story_id: int | None = None) -> Iterator[ArticleRow]:
        return self._articles(s.documents.c.story_id == story_id if story_id is not None else None, with_text)

    def _articles(self, where: Any, with_text: bool = True) -> Iterator[ArticleRow]:
        n_comments = (select(func.count()).where(s.comments.c.document_id == s.documents.c.id)
                      .scalar_subquery().label("comment_count"))
        cols = [s.documents.c[c] for c in ("id", "source", "kind", "url", "path", "title", "outlet", "published",
                                             "language", "agencies", "content_hash", "ingested_at", "story_id",
                                             "duplicate_of")]
        cols.append(s.documents.c.text if with_text else func.substr(s.documents.c.text, 1, 600).label("text"))
        query = select(*cols, n_comments).order_by(s.documents.c.id)
        if where is not None:
            query = query.where(where)
        with self.engine.connect() as conn:
            for r in conn.execute(query).mappings():
                yield ArticleRow(**{**r, "agencies": json.loads(r["agencies"] or "[]")})

    # -- the story index --------------------------------------------------------------------------------------------
    def index_state(self, key: str) -> bytes | None:
        with self.engine.connect() as conn:
            value = conn.execute(select(s.index_state.c.value).where(s.index_state.c.key == key)).scalar()
        return bytes(value) if value is not None else None

    def unplaced_articles(self) -> Iterator[ArticleRow]:
        yield from self._articles(s.documents.c.id.not_in(select(s.story_index.c.document_id)))

    def story_window(self, day_from: int, day_to: int) -> tuple[list[IndexEntry], list[StoryRow]]:
        si, d, st = s.story_index, s.documents, s.stories
        active = (select(d.c.story_id).join(si, si.c.document_id == d.c.id)
                  .where(si.c.day.between(day_from, day_to), d.c.story_id.is_not(None)).distinct())
        with self.engine.connect() as conn:
            entries = [IndexEntry(r.document_id, r.story_id, r.duplicate_of, r.day, bytes(r.data)) for r in conn.execute(
                select(si.c.document_id, d.c.story_id, d.c.duplicate_of, si.c.day, si.c.data)
                .join(d, d.c.id == si.c.document_id).where(d.c.story_id.in_(active)).order_by(si.c.document_id))]
            stories = [StoryRow(**r) for r in conn.execute(
                select(st.c.id, st.c.title, st.c.first_published, st.c.last_published, st.c.size)
                .where(st.c.id.in_(active)).order_by(st.c.id)).mappings()]
        return entries, stories

    def save_placement(self, entries: Sequence[IndexEntry], stories: Sequence[StoryRow], merged: dict[int, int],
                       state: dict[str, bytes], moved: dict[int, int] | None = None) -> None:
        """Stories' sizes and date ranges are counted from their articles here, so that they stay right also when
        another run placed articles meanwhile; an article another run placed first keeps that placement."""
        now = utcnow()
        si, d, st = s.story_index, s.documents, s.stories
        with self.engine.begin() as conn:
            ids = [e.document_id for e in entries]
            placed = {r[0] for i in range(0, len(ids), 500) for r in conn.execute(
                select(si.c.document_id).where(si.c.document_id.in_(ids[i:i + 500])))}
            entries = [e for e in entries if e.document_id not in placed]
            if stories:  # first: the articles below point to them
                rows = [_text_safe({**asdict(x), "updated_at": now}) for x in stories]
                stmt = self._insert(st)
                conn.execute(stmt.on_conflict_do_update(
                    index_elements=["id"], set_={k: stmt.excluded[k] for k in rows[0] if k != "id"}), rows)
            for drop, keep in merged.items():
                conn.execute(update(d).where(d.c.story_id == drop).values(story_id=keep))
            if merged:
                conn.execute(st.delete().where(st.c.id.in_(list(merged))))
            if entries:
                conn.execute(insert(si), [{"document_id": e.document_id, "day": e.day, "data": e.data} for e in entries])
                conn.execute(update(d).where(d.c.id == bindparam("doc"))
                             .values(story_id=bindparam("sid"), duplicate_of=bindparam("dup")),
                             [{"doc": e.document_id, "sid": e.story_id, "dup": e.duplicate_of} for e in entries])
            if moved:
                conn.execute(update(d).where(d.c.id == bindparam("doc")).values(story_id=bindparam("sid")),
                             [{"doc": doc, "sid": sid} for doc, sid in moved.items()])
            touched = [x.id for x in stories]
            first_title = (select(d.c.title).where(d.c.story_id == st.c.id, d.c.title.is_not(None))
                           .order_by(d.c.published, d.c.id).limit(1).scalar_subquery())
            for i in range(0, len(touched), 500):
                conn.execute(update(st).where(st.c.id.in_(touched[i:i + 500])).values(
                    title=func.coalesce(st.c.title, first_title),
                    size=select(func.count(d.c.id)).where(d.c.story_id == st.c.id).scalar_subquery(),
                    first_published=select(func.min(d.c.published)).where(d.c.story_id == st.c.id).scalar_subquery(),
                    last_published=select(func.max(d.c.published)).where(d.c.story_id == st.c.id).scalar_subquery()))
                conn.execute(st.delete().where(st.c.id.in_(touched[i:i + 500]), st.c.size == 0))
            if state:
                stmt = self._insert(s.index_state)
                conn.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": stmt.excluded.value}),
                             [{"key": k, "value": v} for k, v in state.items()])

    def reset_story_index(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(s.story_index.delete())
            conn.execute(s.index_state.delete())
            conn.execute(update(s.documents).values(story_id=None, duplicate_of=None))
            conn.execute(s.stories.delete())
            conn.execute(update(s.quotes).values(statement_id=None))

    def quotes_near(self, published_from: str, published_to: str) -> list[dict[str, Any]]:
        q, d = s.quotes, s.documents
        stmt = (select(q, d.c.published).join(d, d.c.id == q.c.document_id)
                .where(or_(d.c.published.between(published_from, published_to), d.c.published.is_(None)))
                .order_by(q.c.id))
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    def document(self, doc_id: int) -> Document | None:
        with self.engine.connect() as conn:
            r = conn.execute(select(s.documents).where(s.documents.c.id == doc_id)).mappings().first()
            if r is None:
                return None
            children = {t.name: [dict(x) for x in conn.execute(
                select(t).where(t.c.document_id == doc_id).order_by(t.c.position)).mappings()]
                for t in (s.comments, s.entities, s.nominals, s.quotes, s.timexes, s.figures)}

        def strip(x: dict) -> dict:
            return {k: v for k, v in x.items() if k not in ("id", "document_id", "position")}

        return Document(
            id=r["id"], source=r["source"], content_hash=r["content_hash"], kind=r["kind"], text=r["text"],
            title=r["title"], outlet=r["outlet"], published=r["published"], language=r["language"], url=r["url"],
            path=r["path"], ingested_at=r["ingested_at"], fetched_at=r["fetched_at"], size_bytes=r["size_bytes"],
            encoding=r["encoding"], agencies=json.loads(r["agencies"]), evidence=json.loads(r["evidence"]),
            lines=[LineLabel(**x) for x in json.loads(r["lines"])],
            comments=[Comment(**strip(x)) for x in children["comments"]],
            entities=[_entity(strip(x)) for x in children["entities"]],
            nominals=[Nominal(**strip(x)) for x in children["nominals"]],
            quotes=[Quote(**{k: v for k, v in strip(x).items() if k != "statement_id"}) for x in children["quotes"]],
            timexes=[Timex(**strip(x)) for x in children["timexes"]],
            figures=[Figure(**strip(x)) for x in children["figures"]],
            story_id=r["story_id"], duplicate_of=r["duplicate_of"],
        )

    def stories(self) -> list[StoryRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(s.stories.c.id, s.stories.c.title, s.stories.c.first_published,
                                       s.stories.c.last_published, s.stories.c.size)
                                .order_by(s.stories.c.id)).mappings()
            return [StoryRow(**r) for r in rows]

    def rows(self, table: str) -> Iterator[dict[str, Any]]:
        """Every row of a table (for export), in id order."""
        t = s.metadata.tables[table]
        with self.engine.connect() as conn:
            yield from (dict(r) for r in conn.execute(select(t).order_by(t.c.id)).mappings())

    def rows_of(self, table: str, document_ids: Iterable[int]) -> Iterator[dict[str, Any]]:
        t = s.metadata.tables[table]
        ids = sorted(set(document_ids))
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for i in range(0, len(ids), 500):  # bound parameters, a chunk at a time (SQLite's variable limit)
                out += [dict(r) for r in conn.execute(
                    select(t).where(t.c.document_id.in_(ids[i:i + 500]))).mappings()]
        return iter(sorted(out, key=lambda r: r["id"]))

    def search(self, query: str, limit: int = 20) -> list[tuple[int, str]]:
        """Full-text search, every word must occur: ids and snippets with the hits in [brackets], best match first.
        SQLite: FTS5 (words as written, diacritics folded); PostgreSQL: the `german` text search configuration
        (stemmed: "Deiche" finds "Deich"; stop words ignored) on the indexed ``documents.search_vector``."""
        phrase = " ".join('"' + w.replace('"', '""') + '"' for w in query.split())
        if not phrase:
            return []
        if self.dialect == "postgresql":
            return self._search_pg(query, limit)
        with self.engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT rowid, snippet(documents_fts, 1, '[', ']', '…', 12) FROM documents_fts "
                "WHERE documents_fts MATCH :q ORDER BY rank LIMIT :n"), {"q": phrase, "n": limit})
            return [(r[0], r[1]) for r in rows]

    def _search_pg(self, query: str, limit: int) -> list[tuple[int, str]]:
        tsq = func.plainto_tsquery(literal_column("'german'::regconfig"), query)
        vector = literal_column("documents.search_vector")  # generated column of migration 0001 (PostgreSQL only)
        snippet = func.ts_headline(literal_column("'german'::regconfig"), s.documents.c.text, tsq,
                                   "StartSel=[, StopSel=], MaxWords=16, MinWords=6, MaxFragments=1, "
                                   "FragmentDelimiter=\" … \"")
        stmt = (select(s.documents.c.id, snippet).where(vector.op("@@")(tsq))
                .order_by(func.ts_rank(vector, tsq).desc(), s.documents.c.id).limit(limit))
        with self.engine.connect() as conn:
            return [(r[0], r[1]) for r in conn.execute(stmt)]
