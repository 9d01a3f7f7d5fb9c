"""The digest: the morning press review of what is new in a time window, optionally through a watchlist.

**What "new" means.** By default (``by="ingested"``) an article is new when it entered the store in the window
(``documents.ingested_at``, a UTC time to the second): a digest answers "what has arrived since the last one", so a
daily ``pressespiegel run …; pressespiegel digest --since 24h`` never misses an article that was published days ago
but collected only now, nor one without a publication date, and never shows one twice. With ``by="published"`` the
publication date decides instead (``documents.published``: a day, no time, so the window is taken as the calendar
days it touches, in local time; articles without a date are left out) — for reviewing a past period of an archive
("--since 2026-11-16 --until 2026-11-20 --by published").

A story of the window is **new** when none of its articles came before the window, **growing** when it had
articles before and has new ones in the window. For each story the digest lists its new articles (outlet, date,
headline, link), its outlets, its main entities, the main statements of the new articles (direct speech, and
indirect speech of a named person or organisation; statements already carried before the window are left out of a
growing story) and the figures its outlets report differently where a
new article is one of the sides. Then the new quotes of watched people (the entities of the chosen watchlist, or of
all saved watchlists), and all figure conflicts of the window in one list. Every quote and every figure links to
its article — with a text fragment (``#:~:text=…``) that browsers scroll to and highlight — and names the article
id and the character span in the store.

The story, entity, statement and conflict logic is the press review's (``review.report``, ``stories.compare``); the
digest only chooses the articles. Articles are hostile input: the HTML template escapes every text, links are only
http(s) or local files, the Markdown variant escapes Markdown and HTML syntax.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from ..store import ArticleRow, Store
from ..stories.compare import Conflict, story_conflicts
from ..watchlists import Matcher, Watchlist
from .report import ReportQuote, de_date, heading, link, main_entities, shorten, snippet, story_quotes

BY = ("ingested", "published")
FORMATS = ("html", "md")
MAX_ARTICLES = 12  # per story; the rest is counted
MAX_QUOTES = 4  # statements per story
MAX_WATCHED = 8  # quotes per watched person
QUOTE_CHARS = 300

_DURATION = re.compile(r"^(\d{1,6})\s*(m|min|h|d|w)$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


# --- the window ----------------------------------------------------------------------------------------------------


def parse_time(value: str, now: datetime, *, end: bool = False) -> datetime:
    """A point in time: ``now``; a span before ``now`` (``90m``, ``24h``, ``7d``, ``2w``); an ISO date
    (``2026-11-16``: its start, or with ``end`` its end); an ISO date and time (``2026-11-16T08:00``,
    ``2026-11-16 08:00+01:00``; without a zone it is local time). Raises ValueError with the accepted forms."""
    v = value.strip()
    if v.lower() == "now":
        return now
    m = _DURATION.match(v)
    if m:
        return now - timedelta(**{_UNITS[m[2].lower()]: int(m[1])})
    try:
        if len(v) == 10:
            d = date.fromisoformat(v)
            start = datetime.combine(d + timedelta(days=1) if end else d, time()).astimezone()
            return start
        t = datetime.fromisoformat(v)
    except ValueError:
        raise ValueError(f"cannot read {value!r} as a time: use 90m, 24h, 7d, 2w, now, a date (2026-11-16) or a "
                         "date and time (2026-11-16T08:00)") from None
    return t if t.tzinfo else t.astimezone()


@dataclass(frozen=True)
class Window:
    """[since, until) in aware datetimes; ``by`` says which time of an article is compared."""

    since: datetime
    until: datetime
    by: str = "ingested"

    @classmethod
    def parse(cls, since: str, until: str | None = None, by: str = "ingested",
              now: datetime | None = None) -> Window:
        if by not in BY:
            raise ValueError(f"unknown window kind {by!r}: choose {' or '.join(BY)}")
        now = now or datetime.now(UTC)
        start = parse_time(since, now)
        stop = parse_time(until, now, end=True) if until else now
        if stop <= start:
            raise ValueError(f"the window is empty: {since!r} is not before {until or 'now'!r}")
        return cls(start, stop, by)

    @property
    def days(self) -> tuple[str, str]:
        """The calendar days (local time) the window touches, for publication dates."""
        last = self.until - timedelta(microseconds=1)
        return self.since.astimezone().date().isoformat(), last.astimezone().date().isoformat()

    def position(self, row: ArticleRow) -> int | None:
        """-1 before the window, 0 in it, 1 after it, None when the article has no such time."""
        if self.by == "published":
            if not row.published:
                return None
            first, last = self.days
            day = row.published[:10]
            return -1 if day < first else 1 if day > last else 0
        try:
            t = datetime.fromisoformat(row.ingested_at)
        except (TypeError, ValueError):
            return None
        t = t if t.tzinfo else t.replace(tzinfo=UTC)
        return -1 if t < self.since else 1 if t >= self.until else 0


# --- what the digest holds -----------------------------------------------------------------------------------------


@dataclass
class SpanLink:
    """Where a quote or figure comes from: its article, the span in the stored text, a link that opens it there."""

    article: ArticleRow
    start: int
    end: int
    href: str | None

    @property
    def ref(self) -> str:
        return f"Artikel {self.article.id}, Zeichen {self.start}–{self.end}"

    @property
    def outlet(self) -> str:
        return self.article.outlet or self.article.source


@dataclass
class DigestQuote:
    text: str
    speaker: str
    kind: str
    outlets: list[str]
    source: SpanLink | None


@dataclass
class DigestSide:
    text: str
    outlet: str
    source: SpanLink | None


@dataclass
class DigestConflict:
    unit: str
    sides: list[DigestSide]
    story_title: str
    anchor: str


@dataclass
class DigestArticle:
    row: ArticleRow
    snippet: str
    href: str | None
    duplicate_of: ArticleRow | None = None


@dataclass
class DigestStory:
    anchor: str
    title: str
    growing: bool
    href: str | None  # the story page of `pressespiegel serve`, with a base URL
    articles: list[DigestArticle]  # the new articles shown (those the watchlist matches)
    n_new: int  # new articles shown, before the cut at MAX_ARTICLES
    n_before: int  # articles of the story before the window
    outlets: list[tuple[str, int]]
    entities: list[tuple[str, str, int]]
    quotes: list[DigestQuote]
    conflicts: list[DigestConflict]
    first_published: str | None
    last_published: str | None

    @property
    def more(self) -> int:
        return self.n_new - len(self.articles)


@dataclass
class Digest:
    window: Window
    generated: str
    watchlist: str | None
    new: list[DigestStory]
    growing: list[DigestStory]
    watched: list[tuple[str, list[DigestQuote]]]  # speaker → new quotes
    conflicts: list[DigestConflict]
    n_articles: int  # new articles shown
    n_outlets: int
    watched_names: list[str] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # watchlist names the entity registry does not know

    @property
    def empty(self) -> bool:
        return not (self.new or self.growing or self.watched)

    @property
    def summary(self) -> list[str]:
        """ "3 neue Themen", "1 Weiterdreh", "14 neue Artikel aus 8 Medien", "2 abweichende Zahlen"."""
        parts = [counted(len(self.new), "neues Thema", "neue Themen"),
                 counted(len(self.growing), "Weiterdreh", "Weiterdrehs"),
                 counted(self.n_articles, "neuer Artikel", "neue Artikel") + " aus "
                 + counted(self.n_outlets, "Medium", "Medien")]
        if self.conflicts:
            parts.append(counted(len(self.conflicts), "abweichende Zahl", "abweichende Zahlen"))
        return parts

    @property
    def since(self) -> str:
        return _when(self.window.since, self.window.by)

    @property
    def until(self) -> str:
        return _when(self.window.until - timedelta(microseconds=1) if self.window.by == "published"
                     else self.window.until, self.window.by, end=True)


def counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _when(t: datetime, by: str, end: bool = False) -> str:
    """"16. November 2026, 08:00 Uhr CET"; the end of a window at midnight is "24:00 Uhr" of the day before."""
    local = t.astimezone()
    if by == "published":
        return de_date(local.date().isoformat())
    clock = f"{local:%H:%M}"
    if end and (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
        local, clock = local - timedelta(days=1), "24:00"
    return f"{de_date(local.date().isoformat())}, {clock} Uhr{(' ' + local.tzname()) if local.tzname() else ''}"


# --- building ------------------------------------------------------------------------------------------------------


def build(store: Store, window: Window, watchlist: Watchlist | None = None,
          watched: Iterable[Watchlist] = (), now: datetime | None = None, base_url: str | None = None) -> Digest:
    """The digest of ``window``: with ``watchlist`` only the articles it matches; ``watched``: the watchlists whose
    entities' quotes are listed (default: the chosen watchlist); ``base_url``: link to the pages of
    ``pressespiegel serve`` there instead of the articles' own URLs (see ``Links``)."""
    links = Links(base_url)
    rows = list(store.articles(with_text=False))
    by_id = {r.id: r for r in rows}
    members: dict[int, list[ArticleRow]] = {}
    for r in rows:
        members.setdefault(_story_key(r), []).append(r)
    fresh = [r for r in rows if window.position(r) == 0]
    fresh_ids = {r.id for r in fresh}
    keys = {_story_key(r) for r in fresh}
    story_ids = {r.id for k in keys for r in members[k]}
    entities = _by_document(store.rows_of("entities", fresh_ids))
    nominals = _by_document(store.rows_of("nominals", fresh_ids))
    quotes = _by_document(q for q in store.rows_of("quotes", story_ids) if q["speaker"])
    figures = list(store.rows_of("figures", story_ids))

    def mentions(doc_id: int) -> list[tuple[str | None, str | None]]:
        return [(e["entity_id"], e["canonical"] or e["text"]) for e in entities.get(doc_id, [])] + \
               [(n["entity_id"], n["canonical"]) for n in nominals.get(doc_id, [])]

    records = store.entity_records() if (watchlist or watched) else []
    matcher = Matcher.build([watchlist], records) if watchlist else None
    shown = fresh_ids
    if matcher is not None:
        texts = {r.id: store.document(r.id).text for r in fresh if matcher.keywords and matcher.outlet_ok(r.outlet)}
        shown = {r.id for r in fresh if matcher.article(r.outlet, r.title, texts.get(r.id, r.text), mentions(r.id))}

    carriers: dict[tuple, list[ArticleRow]] = {}
    for doc_id, qs in quotes.items():
        for q in qs:
            if q["statement_id"] is not None:
                carriers.setdefault(("statement", q["statement_id"]), []).append(by_id[doc_id])
    differ = story_conflicts(sorted((r for k in keys for r in members[k]), key=lambda r: (r.published or "", r.id)),
                             figures)
    titles = {s.id: s.title for s in store.stories()}
    stories: list[DigestStory] = []
    for key in keys:
        story_rows = sorted(members[key], key=lambda r: (r.published or "", r.id))
        new = [r for r in story_rows if r.id in fresh_ids]
        show = [r for r in new if r.id in shown]
        if not show:
            continue
        before = [r for r in story_rows if window.position(r) == -1]
        anchor = f"thema-{len(stories) + 1}"
        title = titles.get(key) or show[0].title or show[0].source
        said = story_quotes([(r, [q for q in quotes.get(r.id, []) if _attributed(q, entities.get(r.id, []),
                                                                                nominals.get(r.id, []))])
                             for r in show], limit=1000, carriers=carriers)
        earlier = {r.id for r in before}
        said = [q for q in said if not any(a.id in earlier for a in q.articles)][:MAX_QUOTES]
        conflicts = [_conflict(c, by_id, title, anchor, links) for c in (differ.get(key, []) if key > 0 else [])
                     if any(s.document_id in fresh_ids for s in c.sides)]
        stories.append(DigestStory(
            anchor=anchor, title=title, growing=bool(before), href=links.story(key),
            articles=[DigestArticle(row=r, snippet=snippet(r.text, r.title), href=links.article(r),
                                    duplicate_of=by_id.get(r.duplicate_of) if r.duplicate_of else None)
                      for r in show[:MAX_ARTICLES]],
            n_new=len(show), n_before=len(before),
            outlets=Counter(r.outlet or "unbekannt" for r in show).most_common(),
            entities=main_entities([[(e["canonical"] or e["text"], e["label"]) for e in entities.get(r.id, [])]
                                    for r in show]),
            quotes=[_quote(q, links) for q in said], conflicts=conflicts,
            first_published=min((r.published for r in story_rows if r.published), default=None),
            last_published=max((r.published for r in story_rows if r.published), default=None)))
    stories.sort(key=lambda s: s.title)
    stories.sort(key=lambda s: s.last_published or "", reverse=True)  # the latest first (the sorts are stable) ...
    stories.sort(key=lambda s: (-s.n_new, -len(s.outlets)))  # ... among stories with as many new articles, outlets
    for n, s in enumerate(stories, 1):  # anchors in reading order
        s.anchor = f"thema-{n}"
        for c in s.conflicts:
            c.anchor = s.anchor

    people = list(watched) or ([watchlist] if watchlist else [])
    said_by = _watched_quotes(Matcher.build([Watchlist(w.name, entities=w.entities) for w in people], records),
                              [r for r in fresh if r.id in shown], quotes, entities, nominals, carriers, links) \
        if any(w.entities for w in people) else []
    names = sorted({n for w in people for n in w.entities})
    shown_rows = [by_id[i] for i in shown]
    return Digest(window=window, generated=(now or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                  watchlist=watchlist.name if watchlist else None,
                  new=[s for s in stories if not s.growing], growing=[s for s in stories if s.growing],
                  watched=said_by, conflicts=[c for s in stories for c in s.conflicts],
                  n_articles=len(shown_rows), n_outlets=len({r.outlet for r in shown_rows if r.outlet}),
                  watched_names=names, unresolved=matcher.unresolved if matcher else [])


def _story_key(r: ArticleRow) -> int:
    """The story id; an article not (yet) grouped is a story of its own (its id, negated)."""
    return r.story_id if r.story_id is not None else -r.id


def _by_document(rows: Iterable[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r["document_id"], []).append(r)
    return out


def _attributed(q: dict, entities: list[dict], nominals: list[dict]) -> bool:
    """Whether a quote is worth a place among a story's main statements: direct speech, or indirect speech whose
    speaker is a person or organisation the text names ("sagte Hansen", "der Bürgermeister") — not a source phrase
    such as "nach ersten Erkenntnissen"."""
    if q["kind"] == "direct":
        return True
    s0, s1 = q["speaker_start"], q["speaker_end"]
    if s0 is None or s1 is None:
        return False
    return any(m["start"] < s1 and s0 < m["end"] for m in nominals) or \
        any(m["start"] < s1 and s0 < m["end"] and m["label"] in ("PER", "ORG") for m in entities)


def _watched_quotes(matcher: Matcher, fresh: list[ArticleRow], quotes: dict[int, list[dict]],
                    entities: dict[int, list[dict]], nominals: dict[int, list[dict]],
                    carriers: dict[tuple, list[ArticleRow]], links: Links) -> list[tuple[str, list[DigestQuote]]]:
    """New quotes whose speaker is a watched entity: the mention that names the speaker is linked to it, or the
    speaker's name is one of its names."""
    per_article = []
    for r in fresh:
        spans = entities.get(r.id, []) + nominals.get(r.id, [])
        mine = []
        for q in quotes.get(r.id, []):
            s0, s1 = q["speaker_start"], q["speaker_end"]
            linked = [m["entity_id"] for m in spans if s0 is not None and s1 is not None
                      and m["start"] < s1 and s0 < m["end"] and m["entity_id"]]
            if any(matcher.entity(i, None) for i in linked) or matcher.entity(None, q["speaker"]):
                mine.append(q)
        if mine:
            per_article.append((r, mine))
    fresh_ids = {r.id for r in fresh}
    found = story_quotes(per_article, limit=10_000,
                         carriers={k: [a for a in v if a.id in fresh_ids] for k, v in carriers.items()})
    out: dict[str, list[DigestQuote]] = {}
    for q in found:
        out.setdefault(q.speaker, []).append(_quote(q, links))
    return sorted(((k, v[:MAX_WATCHED]) for k, v in out.items()), key=lambda kv: (-len(kv[1]), kv[0]))


def _quote(q: ReportQuote, links: Links) -> DigestQuote:
    src = links.span(*q.source, q.text, "q") if q.source else None
    return DigestQuote(text=shorten(q.text, QUOTE_CHARS), speaker=q.speaker, kind=q.kind, outlets=q.outlets,
                       source=src)


def _conflict(c: Conflict, by_id: dict[int, ArticleRow], title: str, anchor: str, links: Links) -> DigestConflict:
    sides = []
    for s in c.sides:
        row = by_id.get(s.document_id)
        sides.append(DigestSide(text=s.text, outlet=s.outlet,
                                source=links.span(row, s.start, s.end, s.text, "f") if row else None))
    return DigestConflict(unit=c.unit, sides=sides, story_title=title, anchor=anchor)


@dataclass(frozen=True)
class Links:
    """Where the digest links to. By default an article's own URL (only http(s); else the file it was read from)
    and, for a quote or figure, the same with a text fragment of the span. With ``base`` (the address of
    ``pressespiegel serve``, e.g. ``http://127.0.0.1:8000``) its pages instead: ``/articles/ID`` with the anchor the
    article page gives the span (``#q-START`` for a quote, ``#f-START`` for a figure) and ``/stories/ID``."""

    base: str | None = None

    def __post_init__(self) -> None:
        if self.base is not None:
            if not re.match(r"^https?://[^\s/?#]+(/[^\s?#]*)?$", self.base, re.IGNORECASE):
                raise ValueError(f"the base URL must be http(s)://host[:port][/path], not {self.base!r}")
            object.__setattr__(self, "base", self.base.rstrip("/"))

    def article(self, row: ArticleRow) -> str | None:
        return f"{self.base}/articles/{int(row.id)}" if self.base else link(row)

    def story(self, story_id: int) -> str | None:
        return f"{self.base}/stories/{int(story_id)}" if self.base and story_id > 0 else None

    def span(self, row: ArticleRow, start: int, end: int, text: str, kind: str) -> SpanLink:
        if self.base:
            return SpanLink(article=row, start=start, end=end, href=f"{self.article(row)}#{kind}-{int(start)}")
        base = link(row)
        href = base.split("#", 1)[0] + "#:~:text=" + text_fragment(text) if base and text.strip() else base
        return SpanLink(article=row, start=start, end=end, href=href)


def text_fragment(text: str, words: int = 4) -> str:
    """A text directive for a span (https://wicg.github.io/scroll-to-text-fragment/): the whole text when short,
    else its first and last words (``start,end``), each percent-encoded ('-' and ',' included)."""
    parts = text.split()

    def enc(ws: list[str]) -> str:
        return quote(" ".join(ws), safe="").replace("-", "%2D")

    if len(parts) <= 2 * words:
        return enc(parts)
    return enc(parts[:words]) + "," + enc(parts[-words:])


# --- rendering -----------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~])")  # emphasis, code, links, HTML; "(" only matters after "]"
_MD_LINE_START = re.compile(r"^(?:([#+=|-])|(\d+)([.)]))")  # headings, lists, rules, tables at a line start


def md(text: object) -> str:
    """Text for Markdown: one line, Markdown and HTML syntax escaped (``<script>`` stays text, ``[x](javascript:…)``
    is no link)."""
    one_line = _MD_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
    return _MD_LINE_START.sub(lambda m: "\\" + m[1] if m[1] else m[2] + "\\" + m[3], one_line)


def md_url(url: str | None) -> str:
    """A URL inside Markdown's ``<…>``: characters that could end it or break out are percent-encoded."""
    return quote(url or "", safe="/:?#&=%~+.,_-@;!$*'")


def render(digest: Digest, fmt: str = "html") -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose {' or '.join(FORMATS)}")
    env = Environment(loader=PackageLoader("pressespiegel.review", "templates"),
                      autoescape=select_autoescape(["html.j2"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(de_date=de_date, shorten=shorten, heading=heading, md=md, md_url=md_url, counted=counted)
    return env.get_template(f"digest.{fmt}.j2").render(d=digest)
