"""Read queries of the web app and the REST API: pages of stories, articles, entities, quotes and search hits.

Everything here only reads, through an engine whose connections refuse writes (``read_engine``). SQLAlchemy Core
with bound parameters throughout; full-text search uses SQLite's FTS5 index, PostgreSQL's text search, or a plain
``LIKE`` on other databases. Results are plain dicts (column name → value): the web layer shapes them.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    and_,
    column,
    create_engine,
    distinct,
    event,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
)
from sqlalchemy.engine import Engine
from sqlalchemy.sql import ColumnElement

from . import schema as s

SNIPPET_START, SNIPPET_END = "\ue000", "\ue001"  # marks around search hits in snippets (private-use characters)
COUNT_CAP = 10_000  # totals of the costlier lists are counted up to here ("more than 10,000")
STORY_ARTICLES_CAP = 500  # a story page reads at most this many of its articles (the newest)


def read_engine(engine: Engine) -> Engine:
    """A second engine on the same database whose connections cannot write: SQLite ``query_only``, PostgreSQL
    read-only transactions. The web app reads through it, so no page can change the store."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        ro = create_engine(url, future=True)

        @event.listens_for(ro, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA query_only=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MB page cache per connection
            cur.execute("PRAGMA mmap_size=268435456")
            cur.close()
            dbapi_conn.create_function("unicode_lower", 1, lambda v: v.lower() if isinstance(v, str) else v,
                                       deterministic=True)

        return ro
    if url.get_backend_name() == "postgresql":
        return create_engine(url, future=True, execution_options={"postgresql_readonly": True})
    return create_engine(url, future=True)


@dataclass(frozen=True)
class Filters:
    """What the lists can be narrowed by; every field optional."""

    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None  # an entity id (entity_registry.id)
    story: int | None = None


def _like(value: str) -> str:
    """A LIKE pattern that finds ``value`` anywhere, with the pattern characters in it taken literally."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


_D = s.documents.c
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FTS = table("documents_fts", column("rowid"), column("rank"))  # the FTS5 index of migration 0001 (SQLite)


def _document_filters(f: Filters) -> list[ColumnElement]:
    cond: list[ColumnElement] = []
    if f.date_from:
        cond.append(_D.published >= f.date_from)
    if f.date_to:
        cond.append(_D.published <= f.date_to)
    if f.outlet:
        cond.append(_D.outlet == f.outlet)
    if f.story is not None:
        cond.append(_D.story_id == f.story)
    if f.entity:
        cond.append(_D.id.in_(select(s.entities.c.document_id).where(s.entities.c.entity_id == f.entity)))
    return cond


class Reader:
    """The read side of a store, for pages and API responses."""

    def __init__(self, engine: Engine, cache_seconds: float = 30.0) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, Any]] = {}

    def _cached(self, key: str, compute: Any) -> Any:
        """Store-wide figures every page shows (counts, the outlet list) are recomputed at most every
        ``cache_seconds``: on a large store each costs tens of milliseconds."""
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is None or now - hit[0] > self.cache_seconds:
            hit = self._cache[key] = (now, compute())
        return hit[1]

    def forget(self) -> None:
        """Drop the cached store-wide figures (after the store changed)."""
        self._cache.clear()

    def close(self) -> None:
        self.engine.dispose()

    def _all(self, query: Any, params: dict | None = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query, params or {}).mappings()]

    def _values(self, query: Any) -> list[Any]:
        """The first column of every row (no per-row dict: for long id lists)."""
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def _one(self, query: Any, params: dict | None = None) -> dict[str, Any] | None:
        rows = self._all(query, params)
        return rows[0] if rows else None

    def _count(self, query: Any, cap: int | None = None) -> int:
        """The number of rows a select returns (up to ``cap``, when given)."""
        if cap is not None:
            query = query.limit(cap + 1)
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()

    # -- the store at large ------------------------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        return dict(self._cached("stats", self._stats))

    def _stats(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                   for t in (s.documents, s.stories, s.comments, s.quotes, s.entity_registry, s.quarantine)}
            out["outlets"] = conn.execute(select(func.count(distinct(_D.outlet)))).scalar_one()
            out["first_published"] = conn.execute(select(func.min(_D.published))).scalar_one()
            out["last_published"] = conn.execute(select(func.max(_D.published))).scalar_one()
        return out

    def outlets(self) -> list[dict[str, Any]]:
        """Every outlet with its number of articles, the most prolific first."""
        return list(self._cached("outlets", self._outlets))

    def _outlets(self) -> list[dict[str, Any]]:
        n = func.count().label("articles")
        return self._all(select(_D.outlet.label("outlet"), n).where(_D.outlet.is_not(None))
                         .group_by(_D.outlet).order_by(n.desc(), _D.outlet))

    # -- stories -----------------------------------------------------------------------------------------------------
    def stories(self, f: Filters = Filters(), *, sort: str = "size", limit: int = 25,
                offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """A page of stories and how many match: the largest first (then the newest), or with ``sort="recent"`` the
        newest first (then the largest). A date range keeps stories that overlap it; outlet and entity keep stories
        with an article of that outlet or naming that entity."""
        st = s.stories.c
        cond: list[ColumnElement] = []
        if f.date_from:
            cond.append(st.last_published >= f.date_from)
        if f.date_to:
            cond.append(st.first_published <= f.date_to)
        if f.outlet:
            cond.append(st.id.in_(select(_D.story_id).where(_D.outlet == f.outlet, _D.story_id.is_not(None))))
        if f.entity:
            many = self._named_often(f.entity)
            story_ids = self._story_ids(self._entity_documents(f.entity), many=many)
            if many:  # read the stories once (one pass over the story index), not for the page and the count
                story_ids = sorted({r["story_id"] for r in self._all(story_ids)})
            cond.append(st.id.in_(story_ids))
        base = select(st.id, st.title, st.first_published, st.last_published, st.size).where(*cond)
        order = [st.last_published.desc(), st.size.desc()] if sort == "recent" else [st.size.desc(),
                                                                                      st.last_published.desc()]
        rows = self._all(base.order_by(*order, st.id.desc()).limit(limit).offset(offset))
        total = self._count(base) if cond else self._count(select(st.id))
        return total, rows

    def story(self, story_id: int) -> dict[str, Any] | None:
        st = s.stories.c
        return self._one(select(st.id, st.title, st.first_published, st.last_published, st.size, st.updated_at)
                         .where(st.id == story_id))

    def story_outlets(self, story_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
        """The outlets of each story with their number of articles, the most articles first."""
        if not story_ids:
            return {}
        n = func.count().label("n")
        rows = self._all(select(_D.story_id, _D.outlet, n).where(_D.story_id.in_(list(story_ids)))
                         .group_by(_D.story_id, _D.outlet).order_by(_D.story_id, n.desc(), _D.outlet))
        out: dict[int, list[tuple[str, int]]] = {}
        for r in rows:
            out.setdefault(r["story_id"], []).append((r["outlet"] or "unbekannt", r["n"]))
        return out

    def story_coverage(self, story_ids: Sequence[int]) -> dict[int, list[tuple[str, int]]]:
        """Articles per publication day of each story, in date order (undated articles left out)."""
        if not story_ids:
            return {}
        n = func.count().label("n")
        rows = self._all(select(_D.story_id, _D.published, n)
                         .where(_D.story_id.in_(list(story_ids)), _D.published.is_not(None))
                         .group_by(_D.story_id, _D.published).order_by(_D.story_id, _D.published))
        out: dict[int, list[tuple[str, int]]] = {}
        for r in rows:
            out.setdefault(r["story_id"], []).append((r["published"], r["n"]))
        return out

    def story_entities(self, story_ids: Sequence[int], per_story: int = 6) -> dict[int, list[dict[str, Any]]]:
        """The people, organisations and places most articles of each story name (linked entities only)."""
        if not story_ids:
            return {}
        e, r = s.entities.c, s.entity_registry.c
        n = func.count(distinct(e.document_id)).label("articles")
        rows = self._all(
            select(_D.story_id, e.entity_id, r.canonical, r.label, n)
            .select_from(s.entities.join(s.documents, _D.id == e.document_id)
                         .join(s.entity_registry, r.id == e.entity_id))
            .where(_D.story_id.in_(list(story_ids)), r.label != "OTH")
            .group_by(_D.story_id, e.entity_id, r.canonical, r.label)
            .order_by(_D.story_id, n.desc(), r.canonical))
        out: dict[int, list[dict[str, Any]]] = {}
        for row in rows:
            items = out.setdefault(row["story_id"], [])
            if len(items) < per_story:
                items.append(row)
        return out

    def story_articles(self, story_id: int, limit: int = STORY_ARTICLES_CAP) -> list[dict[str, Any]]:
        """The articles of a story with their text, oldest first (the newest ``limit`` of a very large story)."""
        n_comments = (select(func.count()).where(s.comments.c.document_id == _D.id).scalar_subquery()
                      .label("comment_count"))
        newest = self._all(
            select(_D.id, _D.source, _D.url, _D.path, _D.title, _D.outlet, _D.published, _D.agencies, _D.text,
                   _D.duplicate_of, _D.story_id, n_comments)
            .where(_D.story_id == story_id).order_by(_D.published.desc(), _D.id.desc()).limit(limit))
        for row in newest:
            row["agencies"] = json.loads(row["agencies"] or "[]")
        return newest[::-1]

    def spans(self, table: str, document_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        """The rows of a span or comment table (entities, quotes, timexes, figures, nominals, comments) for the
        given documents, by document, in text order."""
        t = s.metadata.tables[table]
        if not document_ids:
            return {}
        out: dict[int, list[dict[str, Any]]] = {}
        for chunk in _chunks(list(document_ids), 500):
            for row in self._all(select(t).where(t.c.document_id.in_(chunk)).order_by(t.c.document_id,
                                                                                     t.c.position)):
                out.setdefault(row["document_id"], []).append(row)
        return out

    def statement_carriers(self, statement_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
        """For each statement (quotes.statement_id), every article that carries it: id, outlet, published, title."""
        ids = sorted({i for i in statement_ids if i is not None})
        out: dict[int, list[dict[str, Any]]] = {}
        q = s.quotes.c
        for chunk in _chunks(ids, 500):
            rows = self._all(select(q.statement_id, _D.id, _D.outlet, _D.source, _D.published, _D.title)
                             .select_from(s.quotes.join(s.documents, _D.id == q.document_id))
                             .where(q.statement_id.in_(chunk)).distinct().order_by(q.statement_id, _D.published))
            for r in rows:
                out.setdefault(r.pop("statement_id"), []).append(r)
        return out

    # -- articles ----------------------------------------------------------------------------------------------------
    def articles(self, f: Filters = Filters(), *, limit: int = 25, offset: int = 0,
                 snippet_chars: int = 600) -> tuple[int, list[dict[str, Any]]]:
        """A page of articles, the newest first, with the start of their text."""
        n_comments = (select(func.count()).where(s.comments.c.document_id == _D.id).scalar_subquery()
                      .label("comment_count"))
        cond = _document_filters(f)
        query = (select(_D.id, _D.source, _D.url, _D.title, _D.outlet, _D.published, _D.language, _D.story_id,
                        _D.duplicate_of, _D.content_hash, func.substr(_D.text, 1, snippet_chars).label("text"),
                        n_comments)
                 .where(*cond).order_by(_D.published.desc(), _D.id.desc()).limit(limit).offset(offset))
        total = self._count(select(_D.id).where(*cond)) if cond else self._count(select(_D.id))
        return total, self._all(query)

    def article(self, doc_id: int) -> dict[str, Any] | None:
        """One article with everything found in it: comments, entities, nominals, quotes, timexes, figures."""
        row = self._one(select(s.documents).where(_D.id == doc_id))
        if row is None:
            return None
        for key in ("agencies", "lines", "evidence"):
            row[key] = json.loads(row[key] or ("{}" if key == "evidence" else "[]"))
        for name in ("comments", "entities", "nominals", "quotes", "timexes", "figures"):
            row[name] = self.spans(name, [doc_id]).get(doc_id, [])
        return row

    def article_title(self, doc_id: int) -> dict[str, Any] | None:
        """An article's id, title, outlet, source and date (for links to it)."""
        return self._one(select(_D.id, _D.title, _D.outlet, _D.source, _D.published).where(_D.id == doc_id))

    # -- entities ----------------------------------------------------------------------------------------------------
    def entities(self, *, q: str | None = None, label: str | None = None, limit: int = 50,
                 offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Entities of the registry, those named in most articles first; ``q`` finds a name or spelling."""
        r = s.entity_registry.c
        cond: list[ColumnElement] = []
        if q:
            pattern = _like(q.lower())
            cond.append(or_(self._lower(r.canonical).like(pattern, escape="\\"),
                            self._lower(r.aliases).like(pattern, escape="\\")))
        if label:
            cond.append(r.label == label)
        base = select(r.id, r.label, r.canonical, r.description, r.geonames_id, r.kb_id, r.mentions, r.documents,
                      r.aliases).where(*cond)
        rows = self._all(base.order_by(r.documents.desc(), r.mentions.desc(), r.canonical).limit(limit).offset(offset))
        for row in rows:
            row["aliases"] = json.loads(row["aliases"] or "[]")
        return self._count(base), rows

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        row = self._one(select(s.entity_registry).where(s.entity_registry.c.id == entity_id))
        if row is not None:
            row["aliases"] = json.loads(row["aliases"] or "[]")
            row.pop("context", None)
        return row

    def find_entity(self, name: str) -> dict[str, Any] | None:
        """The entity an id or a name (canonical or spelling, case aside) stands for; the most named one wins."""
        found = self.entity(name)
        if found is not None:
            return found
        r = s.entity_registry.c
        key = name.strip().lower()
        if not key:
            return None
        row = self._one(select(r.id).where(self._lower(r.canonical) == key)
                        .order_by(r.documents.desc()).limit(1))
        if row is None:
            row = self._one(select(r.id).where(self._lower(r.aliases).like(_like(f'"{key}"'), escape="\\"))
                            .order_by(r.documents.desc()).limit(1))
        return self.entity(row["id"]) if row else None

    def entity_ids_by_name(self, names: Iterable[str]) -> dict[str, str]:
        """Canonical name → entity id, for the names given (speakers of quotes); the most named entity wins."""
        wanted = sorted({n for n in names if n})
        out: dict[str, str] = {}
        r = s.entity_registry.c
        for chunk in _chunks(wanted, 500):
            for row in self._all(select(r.canonical, r.id).where(r.canonical.in_(chunk), r.label != "OTH")
                                 .order_by(r.documents)):
                out[row["canonical"]] = row["id"]
        return out

    def _entity_documents(self, entity_id: str) -> Any:
        return select(s.entities.c.document_id).where(s.entities.c.entity_id == entity_id)

    def _named_often(self, entity_id: str, threshold: int = 2000) -> bool:
        """Whether the entity is named more than ``threshold`` times (counted on the index, up to the threshold)."""
        return self._count(select(s.entities.c.id).where(s.entities.c.entity_id == entity_id), threshold) > threshold

    def _story_ids(self, documents: Any, *, many: bool, counted: bool = False) -> Any:
        """The stories of the given documents (with ``counted``: grouped, with how many of the documents each has).
        ``story_id`` is stored behind the article text, so on SQLite reading it row by row reads every text: for many
        documents, one pass over the story index is much faster."""
        if self.dialect == "sqlite" and many:
            story_id, doc_id = literal_column("documents.story_id"), literal_column("documents.id")
            query = (select(story_id.label("story_id")).select_from(text("documents INDEXED BY ix_documents_story"))
                     .where(story_id.is_not(None), doc_id.in_(documents)))
        else:
            story_id = _D.story_id
            query = select(story_id.label("story_id")).where(story_id.is_not(None), _D.id.in_(documents))
        if counted:
            n = func.count().label("articles")
            query = query.add_columns(n).group_by(story_id).order_by(n.desc())
        return query

    def entity_coverage(self, entity_id: str) -> list[tuple[str, int]]:
        """Articles naming the entity per publication day, in date order."""
        n = func.count().label("n")
        rows = self._all(select(_D.published, n).where(_D.id.in_(self._entity_documents(entity_id)),
                                                       _D.published.is_not(None))
                         .group_by(_D.published).order_by(_D.published))
        return [(r["published"], r["n"]) for r in rows]

    def entity_stories(self, entity_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The stories whose articles name the entity most often."""
        st = s.stories.c
        counted = self._all(self._story_ids(self._entity_documents(entity_id), many=self._named_often(entity_id),
                                            counted=True).limit(limit))
        found = {r["id"]: r for r in self._all(select(st.id, st.title, st.first_published, st.last_published, st.size)
                                               .where(st.id.in_([c["story_id"] for c in counted])))}
        return [{**found[c["story_id"]], "articles": c["articles"]} for c in counted if c["story_id"] in found]

    def cooccurring(self, entity_id: str, limit: int = 20, documents: int = 500) -> list[dict[str, Any]]:
        """Entities named in the same articles (the newest ``documents`` articles naming this one), the most
        shared articles first."""
        e, r = s.entities.c, s.entity_registry.c
        recent = (select(_D.id).where(_D.id.in_(self._entity_documents(entity_id)))
                  .order_by(_D.published.desc(), _D.id.desc()).limit(documents))
        n = func.count(distinct(e.document_id)).label("articles")
        counted = self._all(select(e.entity_id, n).where(e.document_id.in_(recent), e.entity_id.is_not(None),
                                                         e.entity_id != entity_id)
                            .group_by(e.entity_id).order_by(n.desc(), e.entity_id).limit(3 * limit))
        names = {row["id"]: row for row in self._all(select(r.id, r.canonical, r.label).where(
            r.id.in_([c["entity_id"] for c in counted]), r.label != "OTH"))}
        return [{**names[c["entity_id"]], "articles": c["articles"]} for c in counted if c["entity_id"] in names][:limit]

    def entity_quotes(self, entity: dict[str, Any], *, by: bool, limit: int = 20,
                      documents: int = 1000) -> list[dict[str, Any]]:
        """Quotes by the entity (its name is the speaker, or the speaker mention is one of its mentions) or, with
        ``by=False``, about it (a mention of it lies inside the quote, said by someone else); the newest first, from
        the newest ``documents`` articles that name it."""
        q, e, nm = s.quotes.c, s.entities.c, s.nominals.c
        entity_id = entity["id"]
        newest = (select(_D.id).where(_D.id.in_(self._entity_documents(entity_id)))
                  .order_by(_D.published.desc(), _D.id.desc()).limit(documents))
        in_docs = q.document_id.in_(newest)

        def overlaps(t: Any, start: Any, end: Any) -> Any:
            return exists().where(t.document_id == q.document_id, t.entity_id == entity_id, t.start < end,
                                  t.end > start)

        said = or_(q.speaker == entity["canonical"], overlaps(e, q.speaker_start, q.speaker_end),
                   overlaps(nm, q.speaker_start, q.speaker_end))
        mentioned = exists().where(e.document_id == q.document_id, e.entity_id == entity_id, e.start >= q.start,
                                   e.end <= q.end)
        cond = said if by else and_(mentioned, ~said)
        return self._all(select(q.id, q.document_id, q.start, q.end, q.text, q.kind, q.speaker, q.cue,
                                q.statement_id, _D.outlet, _D.published, _D.title, _D.story_id)
                         .select_from(s.quotes.join(s.documents, _D.id == q.document_id))
                         .where(in_docs, cond).order_by(_D.published.desc(), q.id).limit(limit))

    # -- quotes ------------------------------------------------------------------------------------------------------
    def _lower(self, column: Any) -> Any:
        """Lower case of a text column, also beyond ASCII (SQLite's own lower() leaves "Ü" as it is); for short
        columns only (a Python call per row)."""
        return func.unicode_lower(column) if self.dialect == "sqlite" else func.lower(column)

    def _contains(self, column: Any, word: str) -> Any:
        """The column contains ``word``, case aside. SQLite's LIKE ignores the case of ASCII letters only, so the
        word is also tried with a capital first letter ("özdemir" finds "Özdemir")."""
        if self.dialect != "sqlite":
            return column.ilike(_like(word), escape="\\")
        forms = {word.lower(), word[:1].upper() + word[1:].lower()}
        return or_(*[column.like(_like(form), escape="\\") for form in sorted(forms)])

    def quotes(self, f: Filters = Filters(), *, q: str | None = None, speaker: str | None = None,
               kind: str | None = None, limit: int = 25, offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Quotes that contain every word of ``q`` and whose speaker's name contains ``speaker``, the newest first.
        On SQLite the articles are narrowed first by the full-text index (words and word beginnings), so a word
        found only inside a longer word of an article ("deich" in "Hochwasserdeich") is not found there."""
        qc = s.quotes.c
        cond: list[ColumnElement] = [qc.speaker.is_not(None)] + _document_filters(f)
        words = (q or "").lower().split()
        cond += [self._contains(qc.text, w) for w in words]
        if speaker:
            cond.append(self._contains(qc.speaker, speaker.strip()))
        if kind:
            cond.append(qc.kind == kind)
        prefixes = [p for p in (re.sub(r"\W+", " ", w).strip() for w in words) if p]
        if self.dialect == "sqlite" and prefixes:
            match = literal(" ".join('"' + p.replace('"', '""') + '"*' for p in prefixes))
            candidates = (select(_FTS.c.rowid.label("rowid")).where(literal_column("documents_fts").op("MATCH")(match))
                          .cte("candidates").prefix_with("MATERIALIZED"))
            cond.append(qc.document_id.in_(select(candidates.c.rowid)))
        joined = s.quotes.join(s.documents, _D.id == qc.document_id)
        cols = (qc.id, qc.document_id, qc.start, qc.end, qc.text, qc.kind, qc.speaker, qc.cue, qc.statement_id,
                _D.outlet, _D.published, _D.title, _D.story_id)
        if not (words or speaker):  # the newest quotes: read in date order from the index, stop after the page
            base = select(*cols).select_from(joined).where(*cond)
            rows = self._all(base.order_by(_D.published.desc(), qc.id.desc()).limit(limit).offset(offset))
            return self._count(base, COUNT_CAP), rows
        # every matching quote with its date in one pass, sorted here; then the page's rows
        with self.engine.connect() as conn:
            keyed = [tuple(r) for r in conn.execute(select(qc.id, _D.published).select_from(joined).where(*cond))]
        keyed.sort(key=lambda r: (r[1] or "", r[0]), reverse=True)
        ids = [quote_id for quote_id, _ in keyed[offset:offset + limit]]
        rows = self._all(select(*cols).select_from(joined).where(qc.id.in_(ids))) if ids else []
        position = {quote_id: n for n, quote_id in enumerate(ids)}
        return len(keyed), sorted(rows, key=lambda r: position[r["id"]])

    # -- full-text search --------------------------------------------------------------------------------------------
    def search(self, query: str, f: Filters = Filters(), *, sort: str = "relevance", limit: int = 25,
               offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
        """Articles containing every word of ``query`` (title or text), best match first (or the newest first with
        ``sort="date"``), each with a snippet whose hits are marked by ``SNIPPET_START``/``SNIPPET_END``; the total
        is counted up to ``COUNT_CAP``."""
        query = _CONTROL.sub(" ", query)  # FTS5 cannot take a NUL inside a quoted word
        words = [w for w in query.split() if w.strip('"')]
        if not words:
            return 0, []
        cond = _document_filters(f)
        cols = [_D.id, _D.title, _D.outlet, _D.published, _D.url, _D.source, _D.story_id, _D.duplicate_of]
        if self.dialect == "sqlite":
            return self._search_fts5(words, cond, cols, sort, limit, offset)
        elif self.dialect == "postgresql":
            german = literal_column("'german'::regconfig")
            vector = literal_column("documents.search_vector")  # generated tsvector of migration 0001 (PostgreSQL)
            tsq = func.plainto_tsquery(german, " ".join(words))
            snippet = func.ts_headline(german, _D.text, tsq, f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, "
                                                             "MaxWords=40, MinWords=15")
            base = select(*cols, snippet.label("snippet")).where(vector.op("@@")(tsq), *cond)
            rank = func.ts_rank(vector, tsq).desc()
        else:
            base = select(*cols, func.substr(_D.text, 1, 240).label("snippet")).where(
                *[or_(func.lower(_D.text).like(_like(w.lower()), escape="\\"),
                      func.lower(_D.title).like(_like(w.lower()), escape="\\")) for w in words], *cond)
            rank = _D.published.desc()
        order = [_D.published.desc(), _D.id.desc()] if sort == "date" else [rank, _D.id.desc()]
        rows = self._all(base.order_by(*order).limit(limit).offset(offset))
        return self._count(base.with_only_columns(_D.id), COUNT_CAP), rows


    def _search_fts5(self, words: list[str], cond: list, cols: list, sort: str, limit: int,
                     offset: int) -> tuple[int, list[dict[str, Any]]]:
        """SQLite: rank the hits on the FTS5 index, then make snippets for the page's hits only (a snippet for
        every hit before the LIMIT would read every matching text)."""
        fts = literal_column("documents_fts")
        match = fts.op("MATCH")(literal(" ".join('"' + w.replace('"', '""') + '"' for w in words)))  # words only

        def hit_ids() -> Any:
            """The matching article ids as a table of their own: given the filters directly, SQLite may run the
            full-text query once for every article that passes them (seconds on 100,000 articles)."""
            found = select(_FTS.c.rowid.label("rowid")).where(match).cte("hits").prefix_with("MATERIALIZED")
            return select(found.c.rowid)

        ranked = select(_FTS.c.rowid).where(match).order_by(_FTS.c.rank, _FTS.c.rowid.desc())
        if sort == "date":  # walk the articles newest first (date index), keep the hits, stop after the page
            total = self._count(select(_D.id).where(_D.id.in_(hit_ids()), *cond), COUNT_CAP)
            page = (select(_D.id).where(_D.id.in_(hit_ids()), *cond).order_by(_D.published.desc(), _D.id.desc())
                    .limit(limit).offset(offset))
            ids = [r["id"] for r in self._all(page)]
        elif not cond:
            total = self._count(select(_FTS.c.rowid).where(match), COUNT_CAP)
            ids = [r["rowid"] for r in self._all(ranked.limit(limit).offset(offset))]
        else:  # every hit in rank order (from the index alone), kept when its article passes the filters
            allowed = set(self._values(select(_D.id).where(*cond)))
            passing = [i for i in self._values(select(_FTS.c.rowid).where(match).order_by(_FTS.c.rank))
                       if i in allowed]
            total, ids = len(passing), passing[offset:offset + limit]
        if not ids:
            return total, []
        snippet = func.snippet(fts, 1, SNIPPET_START, SNIPPET_END, "…", 24)
        rows = self._all(select(*cols, snippet.label("snippet"))
                         .select_from(_FTS.join(s.documents, _D.id == _FTS.c.rowid))
                         .where(match, _FTS.c.rowid.in_(ids)))
        position = {doc_id: n for n, doc_id in enumerate(ids)}
        return total, sorted(rows, key=lambda r: position[r["id"]])


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
