"""What a page or an API response shows, put together from the read queries (store.read) and the story tools
(timeline, figure conflicts, main entities). Shared by the HTML pages and the REST API; returns plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..analyse.sentences import sentence_at, sentences
from ..model import Timex
from ..review.report import snippet
from ..store.read import SNIPPET_END, SNIPPET_START, Filters, Reader
from ..stories.compare import conflicts
from ..stories.timeline import story_timeline

TIMELINE_LIMIT = 200  # entries on a story page
MIN_QUOTE_CHARS = 12


def safe_url(url: str | None) -> str | None:
    """Only http(s) addresses become links: article data is hostile (``javascript:`` and ``data:`` URLs)."""
    if url and url.strip().lower().startswith(("http://", "https://")) and not any(c in url for c in "\r\n\t <>\"'`"):
        return url.strip()
    return None


def article_summary(row: dict[str, Any]) -> dict[str, Any]:
    """An article as listed: metadata, its links, a snippet of its lead."""
    return {
        "id": row["id"], "title": row.get("title"), "outlet": row.get("outlet"), "published": row.get("published"),
        "source": row.get("source"), "url": safe_url(row.get("url")) or safe_url(row.get("source")),
        "language": row.get("language"), "story_id": row.get("story_id"), "duplicate_of": row.get("duplicate_of"),
        "content_hash": row.get("content_hash"), "comment_count": row.get("comment_count") or 0,
        "agencies": row.get("agencies") or [], "snippet": snippet(row.get("text") or "", row.get("title")),
    }


def marked_snippet(raw: str | None) -> list[tuple[str, bool]]:
    """A search snippet as (text, is_hit) pieces, from the marks ``Reader.search`` puts around the hits."""
    out: list[tuple[str, bool]] = []
    for n, piece in enumerate(re.split(f"[{SNIPPET_START}{SNIPPET_END}]", raw or "")):
        if piece:
            out.append((piece, n % 2 == 1))
    return out


# -- stories ---------------------------------------------------------------------------------------------------------
@dataclass
class StoryQuote:
    text: str
    kind: str
    statement_id: int | None
    articles: list[dict[str, Any]] = field(default_factory=list)  # every article carrying it: id, outlet, published

    @property
    def outlets(self) -> list[str]:
        return sorted({a["outlet"] or a["source"] for a in self.articles})


@dataclass
class Speaker:
    name: str
    entity_id: str | None
    quotes: list[StoryQuote] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        return sorted({o for q in self.quotes for o in q.outlets})


def figure_context(text: str, start: int, end: int, limit: int = 260) -> tuple[str, int, int]:
    """The sentence around a figure, and the figure's offsets in it (so the page can mark it)."""
    span = sentence_at(sentences(text), start) or (max(0, start - 100), min(len(text), end + 100))
    a, b = span
    if b - a > limit:
        a, b = max(a, start - limit // 2), min(b, end + limit // 2)
    return text[a:b], start - a, end - a


def story_detail(reader: Reader, story_id: int) -> dict[str, Any] | None:
    story = reader.story(story_id)
    if story is None:
        return None
    rows = reader.story_articles(story_id)
    ids = [r["id"] for r in rows]
    by_id = {r["id"]: r for r in rows}
    originals = [r for r in rows if not r["duplicate_of"]]
    timexes = reader.spans("timexes", [r["id"] for r in originals])
    entries = story_timeline([(r["id"], r["text"], r["published"],
                               [Timex(start=t["start"], end=t["end"], text=t["text"], type=t["type"], value=t["value"])
                                for t in timexes.get(r["id"], [])]) for r in originals])
    timeline: list[dict[str, Any]] = []
    for e in entries[:TIMELINE_LIMIT]:
        if not timeline or timeline[-1]["date"] != e.date:
            timeline.append({"date": e.date, "entries": []})
        a = by_id[e.document_id]
        timeline[-1]["entries"].append({"sentence": e.sentence, "expression": e.expression, "document_id": a["id"],
                                        "start": e.start, "end": e.end, "outlet": a["outlet"] or a["source"],
                                        "published": a["published"], "title": a["title"]})
    figures = reader.spans("figures", [r["id"] for r in originals])
    found = conflicts([(r["id"], r["outlet"] or r["source"], f) for r in originals for f in figures.get(r["id"], [])])
    conflict_list = []
    for c in found:
        sides = []
        for side in c.sides:
            context, a, b = figure_context(by_id[side.document_id]["text"], side.start, side.end)
            sides.append({"document_id": side.document_id, "outlet": side.outlet, "text": side.text,
                          "value": side.value, "qualifier": side.qualifier, "start": side.start, "end": side.end,
                          "context": context, "context_start": a, "context_end": b,
                          "published": by_id[side.document_id]["published"],
                          "title": by_id[side.document_id]["title"]})
        conflict_list.append({"unit": c.unit, "sides": sides})
    outlets: dict[str, int] = {}
    coverage: dict[str, int] = {}
    for r in rows:
        outlets[r["outlet"] or "unbekannt"] = outlets.get(r["outlet"] or "unbekannt", 0) + 1
        if r["published"]:
            coverage[r["published"]] = coverage.get(r["published"], 0) + 1
    return {
        "story": story,
        "articles": [article_summary(r) for r in rows],
        "duplicates": {r["id"]: by_id.get(r["duplicate_of"]) for r in rows if r["duplicate_of"]},
        "outlets": sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0])),
        "coverage": sorted(coverage.items()),
        "timeline": timeline,
        "speakers": story_speakers(reader, rows, ids),
        "conflicts": conflict_list,
        "entities": reader.story_entities([story_id], per_story=15).get(story_id, []),
        "truncated": story["size"] > len(rows),
    }


def story_speakers(reader: Reader, rows: list[dict[str, Any]], ids: list[int]) -> list[Speaker]:
    """The story's quotes grouped by speaker; one statement carried by several articles (also outside the story)
    counted once with every outlet that carried it. Speakers quoted by the most outlets first."""
    quotes = reader.spans("quotes", ids)
    mentions = reader.spans("entities", ids)
    entity_of: dict[str, str] = {}
    for doc_mentions in mentions.values():
        for m in doc_mentions:
            if m["entity_id"] and m["label"] in ("PER", "ORG") and m["canonical"]:
                entity_of.setdefault(m["canonical"], m["entity_id"])
    said = [(doc_id, q) for doc_id in ids for q in quotes.get(doc_id, [])
            if q["speaker"] and len(q["text"]) >= MIN_QUOTE_CHARS]
    carriers = reader.statement_carriers(q["statement_id"] for _, q in said)
    by_id = {r["id"]: r for r in rows}
    speakers: dict[str, Speaker] = {}
    seen: dict[tuple, StoryQuote] = {}
    for doc_id, q in said:
        speaker = speakers.setdefault(q["speaker"], Speaker(q["speaker"], entity_of.get(q["speaker"])))
        key = ("s", q["statement_id"]) if q["statement_id"] is not None else (q["speaker"], q["text"])
        if key in seen:
            if q["kind"] == "direct" and seen[key].kind != "direct":  # show the words as they were said
                seen[key].text, seen[key].kind = q["text"], "direct"
            continue
        a = by_id[doc_id]
        found = carriers.get(q["statement_id"]) or [{"id": a["id"], "outlet": a["outlet"], "source": a["source"],
                                                      "published": a["published"], "title": a["title"]}]
        seen[key] = StoryQuote(q["text"], q["kind"], q["statement_id"], found)
        speaker.quotes.append(seen[key])
    missing = [s.name for s in speakers.values() if s.entity_id is None]
    for name, entity_id in reader.entity_ids_by_name(missing).items():
        speakers[name].entity_id = entity_id
    for s in speakers.values():
        s.quotes.sort(key=lambda q: (-len(q.outlets), q.kind != "direct", -len(q.text)))
    return sorted(speakers.values(), key=lambda s: (-len(s.outlets), -len(s.quotes), s.name))


# -- articles --------------------------------------------------------------------------------------------------------
def comment_depths(comments: list[dict[str, Any]]) -> list[int]:
    """How deep each comment sits in its reply thread (0: a comment on the article)."""
    depths: list[int] = []
    for n, c in enumerate(comments):
        parent = c.get("reply_to")
        depths.append(min(depths[parent] + 1, 4) if isinstance(parent, int) and 0 <= parent < n else 0)
    return depths


def article_detail(reader: Reader, doc_id: int) -> dict[str, Any] | None:
    article = reader.article(doc_id)
    if article is None:
        return None
    carriers = reader.statement_carriers(q["statement_id"] for q in article["quotes"])
    speakers = {q["speaker"] for q in article["quotes"] if q["speaker"]}
    entity_of = {e["canonical"]: e["entity_id"] for e in article["entities"]
                 if e["entity_id"] and e["canonical"] in speakers and e["label"] in ("PER", "ORG")}
    entity_of.update({k: v for k, v in reader.entity_ids_by_name(speakers - set(entity_of)).items()})
    for q in article["quotes"]:
        q["outlets"] = sorted({c["outlet"] or c["source"] for c in carriers.get(q["statement_id"], [])})
        q["speaker_entity"] = entity_of.get(q["speaker"]) if q["speaker"] else None
    return {
        "article": article,
        "summary": article_summary(article),
        "story": reader.story(article["story_id"]) if article["story_id"] is not None else None,
        "duplicate_of": reader.article_title(article["duplicate_of"]) if article["duplicate_of"] else None,
        "comment_depths": comment_depths(article["comments"]),
    }


# -- entities --------------------------------------------------------------------------------------------------------
def entity_detail(reader: Reader, entity_id: str, *, limit: int = 20, offset: int = 0) -> dict[str, Any] | None:
    entity = reader.entity(entity_id)
    if entity is None:
        return None
    total, articles = reader.articles(Filters(entity=entity_id), limit=limit, offset=offset)
    return {
        "entity": entity,
        "coverage": reader.entity_coverage(entity_id),
        "stories": reader.entity_stories(entity_id),
        "cooccurring": reader.cooccurring(entity_id),
        "quotes_by": _dedupe(reader.entity_quotes(entity, by=True, limit=60))[:20],
        "quotes_about": _dedupe(reader.entity_quotes(entity, by=False, limit=60))[:20],
        "articles_total": total,
        "articles": [article_summary(r) for r in articles],
    }


def _dedupe(quotes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per statement (an agency text carried by several outlets is one quote), listing the outlets."""
    out: dict[Any, dict[str, Any]] = {}
    for q in quotes:
        key = q["statement_id"] if q["statement_id"] is not None else ("q", q["id"])
        if key in out:
            if q["outlet"] and q["outlet"] not in out[key]["outlets"]:
                out[key]["outlets"].append(q["outlet"])
            continue
        out[key] = {**q, "outlets": [q["outlet"]] if q["outlet"] else []}
    return list(out.values())
