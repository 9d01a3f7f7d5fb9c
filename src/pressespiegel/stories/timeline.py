"""A story's timeline: the sentences of its articles that name a calendar date, in calendar order.

Each entry keeps the sentence span in its article, so the timeline links back to its source. "vor zwei Jahren" and
"in einem Monat" are durations in TIMEX3 (as in KRAUTS); here they are dated from the publication date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..analyse.sentences import sentence_at, sentences
from ..analyse.timex import offset_value
from ..model import Timex
from ..store import ArticleRow, Store

_CALENDAR = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-W(\d{2})(?:-WE)?|-(SP|SU|FA|WI)|-Q([1-4])|-H([12]))?"
                       r"(?:T.*)?$")
_SEASON_MONTH = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MIN_SENTENCE = 25  # shorter "sentences" are date lines and headings, not events


@dataclass(frozen=True)
class TimelineEntry:
    date: str  # the TIMEX3 value reduced to its calendar part: 2026-11-03, 2026-W45, 2026-11, 2026
    sort_key: str  # the first day of that period, YYYY-MM-DD
    expression: str  # the time expression as written
    sentence: str
    start: int  # the sentence span in the article text
    end: int
    document_id: int | None = None


def calendar_value(timex: Timex, text: str, published: str | None) -> str | None:
    """The calendar date or period a time expression points to, or None (vague, frequency, plain duration)."""
    if timex.type == "SET":
        return None
    if timex.type == "DURATION":
        return _dated_duration(timex, text, published)
    value = timex.value.split("T")[0] if timex.type == "TIME" else timex.value
    return value if _CALENDAR.match(value) and "X" not in value else None


def _dated_duration(timex: Timex, text: str, published: str | None) -> str | None:
    """"vor zwei Jahren" → the year two years before publication; "in drei Wochen" → the week three weeks after."""
    before = text[max(0, timex.start - 5):timex.start].lower().split()
    sign = {"vor": -1, "in": 1}.get(before[-1] if before else "")
    if sign is None or not published:
        return None
    after = text[timex.end:timex.end + 2]
    if sign > 0 and after[:1] == " " and after[1:2].isupper():  # "in 30 Jahren Kommunalpolitik": no date ahead
        return None
    try:
        ref = dt.date.fromisoformat(published[:10])
    except ValueError:
        return None
    return offset_value(ref, timex.value, sign)


def sort_key(value: str) -> str:
    """The first day of the period a calendar value names, for ordering: 2026-W45 → 2026-11-02, 2026-FA → 2026-09-01."""
    m = _CALENDAR.match(value)
    if m is None:
        return value
    year = int(m[1])
    if m[3]:
        return f"{year:04d}-{m[2]}-{m[3]}"
    if m[2]:
        return f"{year:04d}-{m[2]}-01"
    if m[4]:  # a week from its Monday, a weekend from its Saturday
        try:
            return dt.date.fromisocalendar(year, int(m[4]), 6 if value.endswith("-WE") else 1).isoformat()
        except ValueError:
            return f"{year:04d}-01-01"
    month = _SEASON_MONTH.get(m[5] or "") or (3 * int(m[6]) - 2 if m[6] else 0) or (6 * int(m[7]) - 5 if m[7] else 1)
    return f"{year:04d}-{month:02d}-01"


def entries(text: str, timexes: Iterable[Timex], published: str | None,
            document_id: int | None = None) -> list[TimelineEntry]:
    """One entry per sentence and date named in it, in text order."""
    spans = sentences(text)
    out: list[TimelineEntry] = []
    seen: set[tuple[int, str]] = set()
    for timex in timexes:
        value = calendar_value(timex, text, published)
        span = sentence_at(spans, timex.start) if value else None
        if value is None or span is None or span[1] - span[0] < _MIN_SENTENCE or (span[0], value) in seen:
            continue
        seen.add((span[0], value))
        out.append(TimelineEntry(date=value, sort_key=sort_key(value), expression=timex.text,
                                 sentence=text[span[0]:span[1]], start=span[0], end=span[1], document_id=document_id))
    return out


def story_timeline(articles: Sequence[tuple[int | None, str, str | None, Sequence[Timex]]]) -> list[TimelineEntry]:
    """The entries of all articles of a story (id, text, published, timexes), in calendar order; the same
    sentence from an agency copy appears once."""
    found: list[TimelineEntry] = []
    seen: set[tuple[str, str]] = set()
    for doc_id, text, published, timexes in articles:
        for entry in entries(text, timexes, published, doc_id):
            key = (entry.date, re.sub(r"\W+", " ", entry.sentence.lower())[:80])
            if key not in seen:
                seen.add(key)
                found.append(entry)
    return sorted(found, key=lambda e: (e.sort_key, len(e.date) < 10))


def by_date(timeline: Sequence[TimelineEntry], per_date: int = 3,
            limit: int = 40) -> list[tuple[str, list[TimelineEntry]]]:
    """The timeline grouped by date, at most ``per_date`` sentences a date (from different articles first) and
    ``limit`` in all, so that a long story shows its whole span rather than its first days only."""
    groups: dict[str, list[TimelineEntry]] = {}
    for entry in timeline:
        groups.setdefault(entry.date, []).append(entry)
    out: list[tuple[str, list[TimelineEntry]]] = []
    for date, entries in groups.items():
        seen_docs: set[int | None] = set()
        first = [e for e in entries if not (e.document_id in seen_docs or seen_docs.add(e.document_id))]
        rest = [e for e in entries if e not in first]
        out.append((date, (first + rest)[:per_date]))
    if len(out) > limit:  # more dates than room: dates spread evenly over the span, the first and last kept
        step = (len(out) - 1) / (limit - 1) if limit > 1 else len(out)
        out = [out[round(i * step)] for i in range(min(limit, len(out)))]
    while sum(len(e) for _, e in out) > limit:  # then fewer sentences on the fullest dates
        fullest = max(range(len(out)), key=lambda i: len(out[i][1]))
        out[fullest] = (out[fullest][0], out[fullest][1][:-1])
    return out


def timelines(store: Store, articles: Iterable[ArticleRow] | None = None) -> dict[int | None, list[TimelineEntry]]:
    """The timeline of every story in the store (key None: articles in no story); agency copies left out.
    ``articles``: the store's articles with their text, when the caller has read them already."""
    timexes: dict[int, list[Timex]] = {}
    for t in store.rows("timexes"):
        timexes.setdefault(t["document_id"], []).append(
            Timex(start=t["start"], end=t["end"], text=t["text"], type=t["type"], value=t["value"]))
    members: dict[int | None, list[tuple[int | None, str, str | None, Sequence[Timex]]]] = {}
    for a in store.articles(with_text=True) if articles is None else articles:
        if not a.duplicate_of:
            members.setdefault(a.story_id, []).append((a.id, a.text, a.published, timexes.get(a.id, [])))
    return {story_id: story_timeline(articles) for story_id, articles in members.items()}
