"""The press review: stories first, each with its articles (outlet, date, headline, snippet, link).

The default respects press copyright (headline, a short snippet, the link); ``full_text`` adds the bodies for
internal use. Reader comments are counted, not shown.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from ..analyse.entities import name_key
from ..store import ArticleRow, Store, StoryRow
from ..stories.compare import Conflict, Coverage, Fact, story_conflicts, story_coverage
from ..stories.timeline import TimelineEntry, by_date, timelines

SNIPPET_CHARS = 280
TIMELINE_ENTRIES = 40  # per story
TIMELINE_PER_DATE = 3
MAIN_ENTITIES = 10  # per story
MAIN_QUOTES = 6  # statements shown per story
COVERAGE_FACTS = 8  # rows of a story's coverage table (facts at least two outlets report)
COVERAGE_OUTLETS = 6  # its columns
COVERAGE_ONLY = 3  # facts only one outlet reports, listed per outlet
TIMELINE_SENTENCE_CHARS = 220


@dataclass
class ReportArticle:
    row: ArticleRow
    snippet: str
    href: str | None
    body: str | None = None
    duplicate_of: ArticleRow | None = None


@dataclass
class ReportQuote:
    """A statement of a story: what was said, by whom, and every article (outlet) that carried it."""

    text: str
    speaker: str
    kind: str
    articles: list[ArticleRow]
    source: tuple[ArticleRow, int, int] | None = None  # the article and span (start, end) whose words are shown

    @property
    def outlets(self) -> list[str]:
        return sorted({a.outlet or a.source for a in self.articles})


@dataclass
class CoverageTable:
    """The compact coverage table of a story: the outlets (columns), facts with a mark per outlet (rows), and the
    quotes and figures only one outlet reports."""

    outlets: list[str]
    rows: list[tuple[Fact, list[bool]]]
    only: list[tuple[str, list[Fact]]]


def coverage_table(cov: Coverage | None, facts: int = COVERAGE_FACTS, outlets: int = COVERAGE_OUTLETS,
                   only: int = COVERAGE_ONLY) -> CoverageTable | None:
    """What the report shows of a coverage table (stories.compare): nothing for a story from one outlet."""
    if cov is None or len(cov.outlets) < 2:
        return None
    columns = cov.outlets[:outlets]
    # facts at least two outlets report, those that tell the outlets apart (not all report them) first, a few of
    # each kind (quotes, figures, dates, names) so that the table is not all names
    shared = sorted((f for f in cov.facts if len(f.outlets) > 1),
                    key=lambda f: (len(f.outlets) == len(cov.outlets), -len(f.outlets)))
    per_kind: Counter[str] = Counter()
    chosen = []
    for f in shared:
        if per_kind[f.kind] < max(2, facts // 4) and len(chosen) < facts:
            per_kind[f.kind] += 1
            chosen.append(f)
    chosen.sort(key=lambda f: -len(f.outlets))
    rows = [(f, [o in f.outlets for o in columns]) for f in chosen]
    single = [(o, [f for f in found if f.kind in ("quote", "figure")][:only]) for o, found in cov.only().items()]
    return CoverageTable(outlets=columns, rows=rows, only=sorted((o, f) for o, f in single if f))


@dataclass
class ReportStory:
    story: StoryRow
    articles: list[ReportArticle]
    outlets: list[tuple[str, int]] = field(default_factory=list)
    timeline: list[tuple[str, list[tuple[TimelineEntry, ArticleRow]]]] = field(default_factory=list)
    entities: list[tuple[str, str, int]] = field(default_factory=list)  # (name, label, articles naming it)
    quotes: list[ReportQuote] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)  # figures the outlets report differently
    coverage: CoverageTable | None = None  # which outlet reports which quote, figure, entity and date

    @property
    def timeline_size(self) -> int:
        return sum(len(entries) for _, entries in self.timeline)


@dataclass
class Review:
    stories: list[ReportStory]
    generated: str
    n_articles: int
    n_outlets: int
    n_comments: int
    n_rejected: int
    full_text: bool


def build(store: Store, *, full_text: bool = False) -> Review:
    rows = list(store.articles(with_text=True))
    by_id = {r.id: r for r in rows}
    by_story: dict[int | None, list[ArticleRow]] = {}
    for r in rows:
        by_story.setdefault(r.story_id, []).append(r)
    stories = {s.id: s for s in store.stories()}
    dated = timelines(store, rows)
    names = _entity_names(store)
    said = _quotes(store)
    differ = story_conflicts(sorted(rows, key=lambda r: (r.published or "", r.id)), store.rows("figures"))
    carriers: dict[tuple, list[ArticleRow]] = {}
    for doc_id, quotes in said.items():
        for q in quotes:
            if q.get("statement_id") is not None and doc_id in by_id:
                carriers.setdefault(_quote_key(q), []).append(by_id[doc_id])
    out: list[ReportStory] = []
    for sid, members in by_story.items():
        story = stories.get(sid) if sid is not None else None
        if story is None:
            story = StoryRow(id=0, title="Ohne Zuordnung", first_published=None, last_published=None, size=len(members))
        members.sort(key=lambda r: (r.published or "", r.id))
        articles = [ReportArticle(row=r, snippet=snippet(r.text, r.title), href=link(r),
                                  body=_body(r.text, r.title) if full_text else None,
                                  duplicate_of=by_id.get(r.duplicate_of) if r.duplicate_of else None)
                    for r in members]
        outlets = Counter(r.outlet or "unbekannt" for r in members).most_common()
        timeline = by_date(dated.get(sid, []), TIMELINE_PER_DATE, TIMELINE_ENTRIES)
        out.append(ReportStory(story=story, articles=articles, outlets=outlets,
                               entities=main_entities([names.get(r.id, []) for r in members]),
                               quotes=story_quotes([(r, said.get(r.id, [])) for r in members], carriers=carriers),
                               conflicts=differ.get(sid, []),
                               coverage=coverage_table(story_coverage(store, sid)) if sid is not None else None,
                               timeline=[(date, [(e, by_id[e.document_id]) for e in entries])
                                         for date, entries in timeline]))
    out.sort(key=lambda s: s.story.last_published or "", reverse=True)  # newest first ...
    out.sort(key=lambda s: -len(s.articles))  # ... within stories of the same size (the sort is stable)
    counts = store.counts()
    return Review(stories=out, generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                  n_articles=len(rows), n_outlets=len({r.outlet for r in rows if r.outlet}),
                  n_comments=counts["comments"], n_rejected=counts["quarantine"], full_text=full_text)


def _quotes(store: Store) -> dict[int, list[dict]]:
    """The quotes with a known speaker, by document."""
    out: dict[int, list[dict]] = {}
    for q in store.rows("quotes"):
        if q["speaker"]:
            out.setdefault(q["document_id"], []).append(q)
    return out


def _quote_key(q: dict) -> tuple:
    """A statement: its id across articles (stories.statements), else the speaker and the words."""
    if q.get("statement_id") is not None:
        return ("statement", q["statement_id"])
    return (q["speaker"], re.sub(r"\W+", " ", q["text"].lower()).strip())


def story_quotes(per_article: list[tuple[ArticleRow, list[dict]]], limit: int = MAIN_QUOTES,
                 carriers: dict[tuple, list[ArticleRow]] | None = None) -> list[ReportQuote]:
    """The statements of a story: quotes with a speaker, one statement carried by several articles counted once
    (``carriers``: statement → every article in the store that carries it, also outside the story); the most widely
    carried first, direct speech before indirect, then the longer."""
    merged: dict[tuple, ReportQuote] = {}
    for row, quotes in per_article:
        for q in quotes:
            if len(q["text"]) < 12:
                continue
            key = _quote_key(q)
            if key not in merged:
                merged[key] = ReportQuote(text=q["text"], speaker=q["speaker"], kind=q["kind"], articles=[],
                                          source=_span(row, q))
            elif q["kind"] == "direct" and merged[key].kind != "direct":  # show the words as they were said
                merged[key].text, merged[key].kind = q["text"], "direct"
                merged[key].source = _span(row, q)
            for a in (carriers or {}).get(key, [row]):
                if a not in merged[key].articles:
                    merged[key].articles.append(a)
            if row not in merged[key].articles:
                merged[key].articles.append(row)
    ranked = sorted(merged.values(), key=lambda x: (-len(x.outlets), x.kind != "direct", -len(x.text)))
    return ranked[:limit]


def _span(row: ArticleRow, q: dict) -> tuple[ArticleRow, int, int] | None:
    return (row, q["start"], q["end"]) if q.get("start") is not None else None


def _entity_names(store: Store) -> dict[int, list[tuple[str, str]]]:
    """(canonical name, label) of every entity mention, by document."""
    out: dict[int, list[tuple[str, str]]] = {}
    for e in store.rows("entities"):
        out.setdefault(e["document_id"], []).append((e["canonical"] or e["text"], e["label"]))
    return out


def main_entities(per_article: list[list[tuple[str, str]]], limit: int = MAIN_ENTITIES) -> list[tuple[str, str, int]]:
    """The people, organisations and places most articles of a story name: (name, label, articles). Spellings
    that share a name key ("Selenskyj", "Zelensky") count as one, shown in their most frequent spelling; a surname
    alone ("Sönksen") counts for the one full name of the story that ends in it ("Birte Sönksen")."""
    spellings: dict[tuple[str, str], Counter[str]] = {}
    keys_per_article = []
    for names in per_article:
        keys = set()
        for name, label in names:
            if label != "OTH":
                key = (name_key(name), label)
                spellings.setdefault(key, Counter())[name] += 1
                keys.add(key)
        keys_per_article.append(keys)
    merged: dict[tuple[str, str], tuple[str, str]] = {}
    for key in spellings:
        full = [k for k in spellings if k[1] == "PER" == key[1] and " " not in key[0] and k[0].endswith(" " + key[0])]
        if len(full) == 1:
            merged[key] = full[0]
    articles: Counter[tuple[str, str]] = Counter()
    for keys in keys_per_article:
        articles.update({merged.get(k, k) for k in keys})
    mentions = Counter({k: sum(v.values()) for k, v in spellings.items()})
    ranked = sorted(articles.items(), key=lambda kv: (-kv[1], -mentions[kv[0]], kv[0]))
    return [(spellings[key].most_common(1)[0][0], key[1], n) for key, n in ranked[:limit]]


def render(review: Review, fmt: str = "html") -> str:
    env = Environment(loader=PackageLoader("pressespiegel.review", "templates"),
                      autoescape=select_autoescape(["html.j2"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["de_date"] = de_date
    env.filters["de_period"] = de_period
    env.filters["shorten"] = shorten
    env.filters["heading"] = heading
    return env.get_template(f"report.{fmt}.j2").render(review=review)


def write(store: Store, path: Path, *, fmt: str = "html", full_text: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(build(store, full_text=full_text), fmt), encoding="utf-8")
    return path


def snippet(text: str, title: str | None, limit: int = SNIPPET_CHARS) -> str:
    """The lead: the first sentences of the article, without headline, kicker, byline or subheadings."""
    lines = _body(text, title).split("\n")
    prose = [line for line in lines if len(line.split()) >= 8 and not line.lower().startswith(("von ", "by "))]
    body = " ".join(prose or lines)
    if len(body) <= limit:
        return body
    cut = body.rfind(" ", 0, limit)
    return body[: cut if cut > limit // 2 else limit].rstrip(" ,;:–-") + " …"


def _body(text: str, title: str | None) -> str:
    """The text below the headline (and the kicker glued to it or standing above it)."""
    lines = text.split("\n")
    if title:
        top = next((n for n, line in enumerate(lines[:3]) if title.strip() in line), None)
        if top is not None:
            lines = lines[top + 1:]
    return "\n".join(lines).strip()


def link(r: ArticleRow) -> str | None:
    """Only http(s) URLs and local files become links: article data is hostile input (`javascript:` URLs)."""
    for candidate in (r.url, r.source):
        if candidate and candidate.lower().startswith(("http://", "https://")):
            return candidate
    if r.path and r.path != "-":
        return "file://" + quote(str(Path(r.path).resolve()))
    return None


_MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"]


def de_date(iso: str | None) -> str:
    if not iso:
        return "ohne Datum"
    try:
        d = datetime.strptime(iso[:10], "%Y-%m-%d")
    except ValueError:
        return iso
    return f"{d.day}. {_MONTHS[d.month - 1]} {d.year}"


_SEASONS = {"SP": "Frühjahr", "SU": "Sommer", "FA": "Herbst", "WI": "Winter"}


def de_period(value: str) -> str:
    """A calendar value of a timeline in German: "3. November 2026", "November 2026", "KW 45/2026", "Herbst 2026"."""
    parts = value.split("-")
    if len(parts) == 3 and parts[1].isdigit():
        return de_date(value)
    if len(parts) == 2 and parts[1].isdigit():
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) >= 2 and parts[1].startswith("W") and parts[1][1:].isdigit():  # not "WI", the winter
        return f"{'Wochenende ' if value.endswith('-WE') else ''}KW {int(parts[1][1:])}/{parts[0]}"
    if len(parts) == 2 and parts[1] in _SEASONS:
        return f"{_SEASONS[parts[1]]} {parts[0]}"
    if len(parts) == 2 and parts[1][:1] in ("Q", "H"):
        return f"{parts[1][1]}. {'Quartal' if parts[1][0] == 'Q' else 'Halbjahr'} {parts[0]}"
    return value


def shorten(text: str, limit: int = TIMELINE_SENTENCE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


HEADING_CHARS = 90


def heading(row: ArticleRow) -> str:
    """An article's headline; for a text without one (a pasted page that lost it), its first words, not the name of
    the file it came from."""
    if row.title:
        return row.title
    first = next((line.strip() for line in (row.text or "").split("\n") if line.strip()), "")
    return shorten(first, HEADING_CHARS) if first else row.source
