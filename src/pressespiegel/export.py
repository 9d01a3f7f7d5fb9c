"""Write the store out: articles, stories, story timelines, quotes, statements (a quote across articles), figures and figure conflicts between outlets, the coverage table of every story (which outlet reports which quote, figure, entity and date), entity mentions, the entity registry (one row per
real-world entity), nominal mentions, time expressions, comments or quarantine records as JSON Lines, CSV or
Parquet."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from .store import Store

WHAT = ("articles", "stories", "timeline", "quotes", "statements", "entities", "registry", "nominals", "timexes",
        "figures", "conflicts", "coverage", "comments", "quarantine")
FORMATS = ("jsonl", "csv", "parquet")

ARTICLE_FIELDS = ("id", "source", "outlet", "published", "title", "story_id", "duplicate_of", "url", "language",
                  "kind", "agencies", "comment_count", "content_hash", "ingested_at", "text")


def rows(store: Store, what: str, *, with_text: bool = True) -> Iterator[dict[str, Any]]:
    if what == "articles":
        for a in store.articles(with_text=with_text):
            row = {f: getattr(a, f) for f in ARTICLE_FIELDS}
            if not with_text:
                row.pop("text")
            yield row
    elif what == "stories":
        members: dict[int, list] = {}
        for a in store.articles(with_text=False):
            if a.story_id is not None:
                members.setdefault(a.story_id, []).append(a)
        for s in store.stories():
            arts = members.get(s.id, [])
            yield {"id": s.id, "title": s.title, "first_published": s.first_published,
                   "last_published": s.last_published, "size": s.size,
                   "outlets": sorted({a.outlet for a in arts if a.outlet}), "article_ids": [a.id for a in arts]}
    elif what == "timeline":  # every dated sentence of every story, in calendar order, with its source span
        from .stories.timeline import timelines

        for story_id, entries in sorted(timelines(store).items(), key=lambda x: (x[0] is None, x[0] or 0)):
            for e in entries:
                yield {"story_id": story_id, "date": e.date, "sort_key": e.sort_key, "document_id": e.document_id,
                       "start": e.start, "end": e.end, "expression": e.expression, "sentence": e.sentence}
    elif what == "statements":  # one row per statement: the same quote across articles, earliest source first
        docs = {a.id: a for a in store.articles(with_text=False)}
        groups: dict[int, list[dict]] = {}
        for q in store.rows("quotes"):
            if q["statement_id"] is not None:
                groups.setdefault(q["statement_id"], []).append(q)
        for sid, quotes in sorted(groups.items()):
            quotes.sort(key=lambda q: (docs[q["document_id"]].published or "9999", q["id"]))
            first = docs[quotes[0]["document_id"]]
            yield {"id": sid, "speaker": next((q["speaker"] for q in quotes if q["speaker"]), None),
                   "text": quotes[0]["text"], "kind": quotes[0]["kind"], "first_document_id": first.id,
                   "first_outlet": first.outlet, "first_published": first.published,
                   "outlets": sorted({docs[q["document_id"]].outlet or docs[q["document_id"]].source for q in quotes}),
                   "quote_ids": [q["id"] for q in quotes],
                   "document_ids": sorted({q["document_id"] for q in quotes})}
    elif what == "conflicts":  # figures the outlets of a story report differently, each side with its span
        from .stories.compare import story_conflicts

        found = story_conflicts(store.articles(with_text=False), store.rows("figures"))
        for story_id in sorted(s for s in found if s is not None):
            for c in found[story_id]:
                yield {"story_id": story_id, "unit": c.unit, "values": c.values,
                       "sides": [{"document_id": x.document_id, "outlet": x.outlet, "start": x.start, "end": x.end,
                                  "text": x.text, "value": x.value, "qualifier": x.qualifier} for x in c.sides]}
    elif what == "coverage":  # per story: which outlet reports which quote, figure, entity and date
        from .stories.compare import story_coverage

        for story in store.stories():
            table = story_coverage(store, story.id)
            if table is None:
                continue
            for f in table.facts:
                yield {"story_id": story.id, "kind": f.kind, "key": f.key, "label": f.label, "detail": f.detail,
                       "direct": f.direct, "outlets": f.outlets, "n_outlets": len(f.outlets),
                       "only_outlet": f.outlets[0] if len(f.outlets) == 1 and len(table.outlets) > 1 else None,
                       "evidence": [{"document_id": e.document_id, "outlet": e.outlet, "start": e.start,
                                     "end": e.end, "text": e.text} for e in f.evidence]}
    elif what == "registry":
        for r in store.rows("entity_registry"):
            yield {**r, "aliases": json.loads(r["aliases"]), "context": json.loads(r["context"])}
    elif what in WHAT:
        yield from store.rows(what)
    else:
        raise ValueError(f"unknown export {what!r}; choose one of {', '.join(WHAT)}")


def export(store: Store, what: str, fmt: str, out: Path | None, *, with_text: bool = True) -> int:
    """Write rows to ``out`` (standard output for JSON Lines and CSV when None); returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = rows(store, what, with_text=with_text)
    if fmt == "parquet":
        if out is None:
            raise ValueError("Parquet is binary: give an output file with --out")
        return _parquet(list(data), out, what)
    if out is None:
        return _write_text(data, fmt, sys.stdout)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        return _write_text(data, fmt, fh)


def _write_text(data: Iterator[dict[str, Any]], fmt: str, fh: TextIO) -> int:
    n = 0
    writer: csv.DictWriter | None = None
    for row in data:
        if fmt == "jsonl":
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            flat = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in row.items()}
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(flat))
                writer.writeheader()
            writer.writerow(flat)
        n += 1
    return n


def _parquet(data: list[dict[str, Any]], out: Path, what: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out.parent.mkdir(parents=True, exist_ok=True)
    if data:
        table = pa.Table.from_pylist(data)
    else:
        names = ARTICLE_FIELDS if what == "articles" else ("id",)
        table = pa.table({n: pa.array([], pa.string()) for n in names})
    pq.write_table(table, out)
    return len(data)
