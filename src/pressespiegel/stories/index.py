"""The online story index: each new article joins a story or starts one, in arrival order, without rescanning the
store.

**Features.** An article is represented by the hashed character 4- and 5-grams within words (German compounds and
inflections overlap: "Deichbruch", "Deiches") of its title (twice) and its first 3,000 characters, content words
only; each n-gram weighted by its sublinear term frequency times its IDF, read from a document-frequency table that
grows with every article (``Vectoriser``, persisted with the index). Only an article's ``TOP_FEATURES`` heaviest
n-grams are kept — the names, places and rare words that tell events apart — quantised to one byte and normalised:
this bounds the index (about 3 kB per article) and the time to compare, and keeps a long article's many common
n-grams from making it similar to everything. A story is the sum of its articles' vectors (its centroid up to
scale).

**Placement** (``StoryIndex.add``), article by article in publication order (articles without a date last):

1. *Copies*: MinHash signatures of the word 3-shingles of the body (datasketch), banded (``BANDS`` × ``BAND_ROWS``)
   into an index of the loaded articles; a candidate whose containment (the share of the shorter text's shingles in
   the other, estimated from the Jaccard similarity and the sizes) is at least ``COPY_CONTAINMENT`` makes the new
   article a copy (``duplicate_of``: the earliest article of the copy group) and puts it in that story.
2. Otherwise the *cosine to the centroid* of the stories whose days (first to last article) come within
   ``MAX_GAP_DAYS`` days of it (same topic is not same story: a strike in March and one in June stay two). Candidates come from an inverted
   index (n-gram → articles, each article's ``INDEX_FEATURES`` heaviest n-grams): the postings of the new article's
   ``PROBE_FEATURES`` heaviest n-grams, summed per story; the ``CANDIDATES`` best stories are scored exactly (the
   whole vector against the story's sum of vectors). On a 100,000-article store this found every story above the
   threshold that scoring all stories of the window finds. The most similar story takes the article if the cosine
   is at least ``THRESHOLD``; else the article starts a story, whose id is the article's.
   *Entities and event time* (``signals``: what the analysis stored) raise that bar by ``CONFLICT_STEP`` each:
   when none of the people, organisations and places named in the article's headline and lead occurs in the story,
   and when every date of its lead lies more than ``EVENT_GAP_DAYS`` from every lead date of the story. Two fires a
   week apart in neighbouring towns read alike; their places and days tell them apart. When the lead names a body
   that meets ("die Außenminister der Nato", "Nato-Verteidigungschefs", "G7-Gipfel": ``event_kinds``) and the
   story's leads name others only, the bar rises by ``KIND_STEP``: reports of the foreign ministers' meeting and of
   the defence chiefs' meeting on the same war share most of their words, and undated pages have no days.
3. *Merge*: after the article joined story A, every other story B that it is also similar to is merged with A
   when the centroids of A and B are similar at ``MERGE_THRESHOLD`` or more (plus ``CONFLICT_STEP`` when their lead
   days lie apart) — the article bridged two stories that, had their articles arrived in another order, would have
   been one. The older story (earliest article, then smallest id) keeps its id.
4. *Split*: when a story reaches 4, 8, 16, … articles or has just been merged, its articles are clustered in two
   (average linkage on their cosines); two groups of two or more articles whose centroids are less similar than
   ``SPLIT_THRESHOLD`` become two stories (the articles placed before are moved: ``Placement.moved``).
   ``pressespiegel recluster`` recomputes everything from the stored articles.

**Time window.** Only stories that come within ``MAX_GAP_DAYS`` days of a new article can take it, so
``update`` loads just those from the store (for the days of the new articles, a slice of days at a time) and the
work per article does not grow with the store. An article without a publication date may join any story of the
last ``UNDATED_DAYS`` days (the page of an old event pasted today belongs to that event) and counts in the index on
that story's newest day; one that starts a story counts on the newest day the index has seen (it keeps no date in
the store).

**Memory.** A topic that never pauses for ``MAX_GAP_DAYS`` (a league, a war) stays in the window for good. Such a
story keeps in memory only its newest ``STORY_ROWS`` articles and those of the last ``COPY_DAYS`` days; the older
ones stay counted in its centroid, names, lead days and event kinds, so new articles are still compared with the
whole story, but they are no longer found as originals of a copy and the story is no longer split
(``StoryIndex._trim``, after each placement and each load). The index then grows with the stories of the window,
not with their articles.

On the story test corpus (100 articles, 25 events with same-topic distractors), adding the articles one at a time
in random orders gives nearly the stories of the publication order (B-cubed 0.93-1.0 against the gold; the misses
are undated pages that arrive before any dated report of their event: see BENCHMARKS.md).
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..store.base import IndexEntry as Entry
from ..store.base import StoryRow
from .grouping import Article, containment, shingles, words

if TYPE_CHECKING:
    from ..model import Document
    from ..store import Store

NUM_FEATURES = 1 << 20  # hashed n-gram space
TOP_FEATURES = 1024  # n-grams kept per article
TEXT_CHARS = 3000  # of an article's text used for its features
THRESHOLD = 0.2  # cosine of an article to a story's centroid to join it
MERGE_THRESHOLD = 0.2  # cosine between two stories' centroids to merge them when an article bridges them
MAX_GAP_DAYS = 21
NUM_PERM = 128  # MinHash permutations
BANDS, BAND_ROWS = 64, 2  # LSH: a pair is a copy candidate when all hash values of one band agree
COPY_CONTAINMENT = 0.7
MIN_SHINGLES = 25  # fewer word 3-shingles than this: too little text to call it a copy
MERGE_AFTER = 256  # new articles kept aside before the inverted index is rebuilt with them
PROBE_FEATURES = 128  # an article's heaviest n-grams, looked up to find candidate stories
INDEX_FEATURES = 256  # the heaviest n-grams of each article in the inverted index
CANDIDATES = 64  # stories scored exactly per article
STATE_KEY = "stories.vectoriser"
LEAD_CHARS = 600  # the headline and this much text after it: where an article names its event and its actors
UNDATED_DAYS = 366  # an article without a date may join a story this many days before the newest article
EVENT_GAP_DAYS = 3  # an article's lead dates this far from every lead date of a story: another event
CONFLICT_STEP = 0.1  # the cosine needed to join a story rises by this for each conflict (actors, event days)
KIND_STEP = 0.2  # … and by this when other bodies meet (the foreign ministers' meeting is not the defence chiefs')
SPLIT_MIN, SPLIT_MAX = 4, 256  # stories of this many articles are checked for a split (at 4, 8, 16, … and merges)
STORY_ROWS = 32  # articles of a story kept in memory, the newest (older ones stay counted in its centroid and names)
COPY_DAYS = 3  # … and all its articles of the last days, whatever their number (a copy comes within days)
SPLIT_THRESHOLD = 0.1  # a story whose two halves' centroids are less similar than this is two stories

MAX_SIGNALS = 2048  # names, lead names and lead days kept per article

_FORMAT = 3  # 1: without the entity and event-day signals; 2: without the event kinds
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BYLINE = frozenset({"von", "by", "text", "text:", "von:", "autor:", "autorin:"})
# Who meets: a body of office holders ("die Außenminister der Nato", "32 Verteidigungsminister",
# "Nato-Verteidigungschefs", "Innenministerkonferenz") or a summit ("G7-Gipfel"). Not an office holder named
# with the office ("Außenminister Andrii Sybiha"), nor one person ("die Außenministerin").
_BODY = (r"(?:Außen|Verteidigungs|Finanz|Innen|Justiz|Wirtschafts|Gesundheits|Umwelt|Agrar|Landwirtschafts|Energie"
         r"|Bildungs|Verkehrs|Arbeits|Sozial|Kultus|Europa|Entwicklungs|Klima|Handels|Digital)minister"
         r"|(?:Staats- und )?Regierungschef|(?:Staats|Verteidigungs|Generalstabs|Militär|Armee|Zentralbank|Notenbank"
         r"|Geheimdienst)chef|Ministerpräsident")
_EVENT_KIND = re.compile(
    rf"(?<![\w])(?:[\w]+-)?({_BODY})(?:(?:en|innen|s)?(?:treffen|konferenz|rat|runde|gipfel)\b"
    rf"|(?:innen|en|s)\b(?!\s+[A-ZÄÖÜ])|(?<=minister)\b(?!\s+[A-ZÄÖÜ]|in\b))"
    r"|(?<![\w-])([A-Z][\w]{0,10})-Gipfel")


def features_text(title: str | None, text: str) -> str:
    """What an article's features are computed from: the content words of the title (twice) and the text start."""
    return " ".join(words(f"{title or ''} {title or ''} {text[:TEXT_CHARS]}"))


def body(a: Article) -> str:
    """The text below the headline: copies are compared without it (they often get a new one)."""
    return a.text[len(a.title):] if a.title and a.text.startswith(a.title) else a.text


def day_number(iso: str | None) -> int | None:
    try:
        return date.fromisoformat(iso[:10]).toordinal() if iso else None
    except ValueError:
        return None


def event_kinds(lead: str) -> tuple[str, ...]:
    """The bodies that meet or the summits a lead names ("außenminister", "verteidigungschef", "gipfel:g7"):
    two reports of one meeting name the same body; a foreign ministers' meeting and a defence chiefs' meeting on the
    same war are two events, however alike their texts read."""
    kinds = set()
    for m in _EVENT_KIND.finditer(lead):
        body = m.group(1)
        kinds.add(body.replace("Staats- und ", "").lower() if body else f"gipfel:{m.group(2).lower()}")
    return tuple(sorted(kinds))


def signals(title: str | None, text: str, entities: Iterable[tuple[int, str, str | None]],
            timexes: Iterable[tuple[int, str, str | None]]) -> dict[str, tuple]:
    """What the analysis says about an article's event, as ``Article`` fields: the name keys of the people,
    organisations and places it names (``entities``), those of the headline and lead (``key_entities``; not a
    byline's author), the days the lead's dates point to (``event_days``) and the bodies or summits that meet in it
    (``event_kinds``). ``entities`` as (start, label, canonical name), ``timexes`` as (start, type, value)."""
    from ..analyse.entities import name_key

    lead_end = (len(title) if title and text.startswith(title) else 0) + LEAD_CHARS
    names: set[str] = set()
    keys: set[str] = set()
    for start, label, canonical in entities:
        key = name_key(canonical) if canonical and label in ("PER", "ORG", "LOC") else ""
        if not key:
            continue
        names.add(key)
        if start < lead_end and text[text.rfind("\n", 0, start) + 1:start].strip().lower() not in _BYLINE:
            keys.add(key)
    days = {day_number(value[:10]) for start, kind, value in timexes
            if start < lead_end and kind in ("DATE", "TIME") and value and _ISO_DAY.match(value)}
    return {"entities": tuple(sorted(names)), "key_entities": tuple(sorted(keys)),
            "event_days": tuple(sorted(d for d in days if d is not None)),
            "event_kinds": event_kinds(text[:lead_end])}


def article_of(doc_id: int, doc: Document) -> Article:
    """The story index's view of an analysed document."""
    return Article(doc_id, doc.title, doc.text, doc.published, doc.outlet,
                   **signals(doc.title, doc.text, ((e.start, e.label, e.canonical) for e in doc.entities),
                             ((t.start, t.type, t.value) for t in doc.timexes)))


def with_signals(store: Store, articles: Sequence[Article]) -> list[Article]:
    """Stored articles with the signals of their stored entities and dates."""
    from dataclasses import replace

    ids = [a.id for a in articles]
    ents: dict[int, list] = {}
    times: dict[int, list] = {}
    for r in store.rows_of("entities", ids):
        ents.setdefault(r["document_id"], []).append((r["start"], r["label"], r["canonical"]))
    for r in store.rows_of("timexes", ids):
        times.setdefault(r["document_id"], []).append((r["start"], r["type"], r["value"]))
    return [replace(a, **signals(a.title, a.text, ents.get(a.id, ()), times.get(a.id, ()))) for a in articles]


def _hashes(names: Iterable[str]) -> np.ndarray:
    return np.unique(np.fromiter((zlib.crc32(n.encode("utf-8")) for n in names), dtype=np.uint32))


@dataclass
class Signals:
    """An article's entity and event signals in the index: hashed name keys (all, and the lead's), days, and hashed
    event kinds."""

    names: np.ndarray
    keys: np.ndarray
    days: np.ndarray
    kinds: np.ndarray

    @classmethod
    def of(cls, a: Article) -> Signals:
        """(At most ``MAX_SIGNALS`` of each: a huge or hostile document does not make a huge index entry.)"""
        return cls(_hashes(a.entities)[:MAX_SIGNALS], _hashes(a.key_entities)[:MAX_SIGNALS],
                   np.unique(np.asarray(a.event_days, np.int32))[:MAX_SIGNALS],
                   _hashes(a.event_kinds)[:MAX_SIGNALS])

    def to_bytes(self) -> bytes:
        return b"".join((struct.pack("<HHHH", len(self.names), len(self.keys), len(self.days), len(self.kinds)),
                         self.names.astype(np.uint32).tobytes(), self.keys.astype(np.uint32).tobytes(),
                         self.days.astype(np.int32).tobytes(), self.kinds.astype(np.uint32).tobytes()))

    @classmethod
    def from_bytes(cls, data: bytes, pos: int, version: int = _FORMAT) -> Signals:
        if version < 3:
            (n, k, d), c = struct.unpack_from("<HHH", data, pos), 0
            pos += 6
        else:
            n, k, d, c = struct.unpack_from("<HHHH", data, pos)
            pos += 8
        names = np.frombuffer(data, np.uint32, n, pos)
        keys = np.frombuffer(data, np.uint32, k, pos + 4 * n)
        days = np.frombuffer(data, np.int32, d, pos + 4 * (n + k))
        kinds = np.frombuffer(data, np.uint32, c, pos + 4 * (n + k + d))
        return cls(names.copy(), keys.copy(), days.copy(), kinds.copy())  # (not views that keep `data` alive)


NO_SIGNALS = Signals(np.zeros(0, np.uint32), np.zeros(0, np.uint32), np.zeros(0, np.int32), np.zeros(0, np.uint32))


@lru_cache(maxsize=1)
def _hasher():
    from sklearn.feature_extraction.text import HashingVectorizer  # heavy import, only when stories are grouped

    return HashingVectorizer(analyzer="char_wb", ngram_range=(4, 5), n_features=NUM_FEATURES, alternate_sign=False,
                             norm=None, lowercase=False, dtype=np.float32)


class Vectoriser:
    """Article vectors: hashed character n-grams, sublinear tf × IDF from a document-frequency table kept
    incrementally (``observe``), cut to the ``TOP_FEATURES`` heaviest, quantised to a byte, unit length."""

    def __init__(self, df: np.ndarray | None = None, n_docs: int = 0, newest_day: int = 0) -> None:
        self.df = df if df is not None else np.zeros(NUM_FEATURES, np.int32)
        self.n_docs = n_docs
        self.newest_day = newest_day  # the newest publication day seen (undated articles are placed there)

    def counts(self, articles: Sequence[Article]):
        """Raw n-gram counts of articles, one CSR row each."""
        return _hasher().transform([features_text(a.title, a.text) for a in articles]).tocsr()

    def observe(self, counts) -> None:
        """Count the articles of ``counts`` into the document frequencies."""
        if counts.nnz > NUM_FEATURES // 8:
            self.df += np.bincount(counts.indices, minlength=NUM_FEATURES).astype(np.int32)
        else:  # a few articles: no pass over the whole table
            np.add.at(self.df, counts.indices, 1)
        self.n_docs += counts.shape[0]

    def vector(self, counts, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The article's n-gram ids (ascending) and their byte weights (1-255)."""
        lo, hi = counts.indptr[row], counts.indptr[row + 1]
        idx, tf = counts.indices[lo:hi], counts.data[lo:hi]
        if not len(idx):
            return np.zeros(0, np.int32), np.zeros(0, np.uint8)
        idf = np.log((1.0 + self.n_docs) / (1.0 + self.df[idx])) + 1.0
        w = (1.0 + np.log(tf)) * idf
        if len(w) > TOP_FEATURES:
            keep = np.lexsort((idx, -w))[:TOP_FEATURES]  # ties: the smaller id (deterministic)
            idx, w = idx[keep], w[keep]
        q = np.rint(w * (255.0 / w.max())).astype(np.uint8)
        order = np.argsort(idx[q > 0], kind="stable")
        return idx[q > 0][order].astype(np.int32), q[q > 0][order]

    def to_bytes(self) -> bytes:
        return struct.pack("<4sqq", b"psv1", self.n_docs, self.newest_day) + zlib.compress(self.df.tobytes(), 1)

    @classmethod
    def from_bytes(cls, data: bytes) -> Vectoriser:
        magic, n_docs, newest = struct.unpack_from("<4sqq", data)
        if magic != b"psv1":
            raise ValueError("not a story index state")
        df = np.frombuffer(zlib.decompress(data[20:]), dtype=np.int32).copy()
        if len(df) != NUM_FEATURES:
            raise ValueError("story index state of another size")
        return cls(df, n_docs, newest)


def unit(q: np.ndarray) -> np.ndarray:
    w = q.astype(np.float32)
    norm = float(np.sqrt(np.dot(w, w)))
    return w / norm if norm else w


def signature(text: str) -> tuple[np.ndarray | None, int]:
    """MinHash hash values of a text's word 3-shingles and how many distinct shingles there are (None when there
    are too few to call anything a copy)."""
    found = shingles(text)
    if len(found) < MIN_SHINGLES:
        return None, len(found)
    m = _minhash()
    m.update_batch([s.encode("utf-8") for s in found])
    return m.hashvalues.astype(np.uint32), len(found)


@lru_cache(maxsize=1)
def _first_minhash():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM)


def _minhash():
    """An empty MinHash (datasketch) with the permutations of the first (seed 1), not drawn again each time."""
    from datasketch import MinHash

    first = _first_minhash()
    return MinHash(num_perm=NUM_PERM, permutations=first.permutations, scheme=first.scheme)


def band_keys(mh: np.ndarray) -> np.ndarray:
    """One 64-bit key per LSH band (band number mixed in), for one signature or a stack of them."""
    h = np.asarray(mh)[..., : BANDS * BAND_ROWS].astype(np.uint64)
    h = h.reshape(h.shape[:-1] + (BANDS, BAND_ROWS))
    key = np.arange(BANDS, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for j in range(BAND_ROWS):
        key = (key ^ h[..., j]) * np.uint64(0x100000001B3)
    return key


# -- one article's index entry, as bytes (what the store keeps) ---------------------------------------------------

def encode(idx: np.ndarray, q: np.ndarray, mh: np.ndarray | None, n_shingles: int,
           sig: Signals = NO_SIGNALS) -> bytes:
    deltas = np.diff(idx, prepend=0).astype(np.int64)
    wide = bool(len(deltas) and deltas.max() > 0xFFFF)
    head = struct.pack("<BBHI", _FORMAT, (1 if mh is not None else 0) | (2 if wide else 0), len(idx), n_shingles)
    return b"".join((head, deltas.astype(np.uint32 if wide else np.uint16).tobytes(), q.tobytes(),
                     mh.astype(np.uint32).tobytes() if mh is not None else b"", sig.to_bytes()))


def decode(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, Signals]:
    version, flags, n, n_shingles = struct.unpack_from("<BBHI", data)
    if not 1 <= version <= _FORMAT:
        raise ValueError(f"story index entry of unknown format {version}")
    pos = 8
    width = 4 if flags & 2 else 2
    idx = np.cumsum(np.frombuffer(data, np.uint32 if flags & 2 else np.uint16, n, pos), dtype=np.int64)
    pos += n * width
    q = np.frombuffer(data, np.uint8, n, pos).copy()  # copies: a view would keep the whole entry's bytes alive
    pos += n
    mh = np.frombuffer(data, np.uint32, NUM_PERM, pos).copy() if flags & 1 else None
    pos += NUM_PERM * 4 if flags & 1 else 0
    sig = Signals.from_bytes(data, pos, version) if version >= 2 else NO_SIGNALS
    return idx.astype(np.int32), q, mh, n_shingles, sig


@dataclass
class Placement:
    """What ``StoryIndex.add`` changed since the last ``take``: new entries (each with its story and copy link),
    stories created or changed, stories merged into others (dropped id → kept id), and articles placed before that
    a split moved to another story (document → story id)."""

    entries: list[Entry]
    stories: list[StoryRow]
    merged: dict[int, int]
    moved: dict[int, int] = field(default_factory=dict)


class StoryIndex:
    """Stories near in time, their articles' vectors and copy signatures; ``add`` places new articles.

    Finding the stories an article is similar to takes two steps, so that the work does not grow with every n-gram
    the window's articles share with it (common n-grams have long posting lists): the postings of the article's
    ``PROBE_FEATURES`` heaviest n-grams (its rare words and names) give a partial similarity to every story, the
    ``CANDIDATES`` best of those are scored exactly (the cosine of the whole vector to the story's centroid)."""

    def __init__(self, vectoriser: Vectoriser | None = None, *, threshold: float = THRESHOLD,
                 merge_threshold: float = MERGE_THRESHOLD, max_gap_days: int = MAX_GAP_DAYS) -> None:
        self.vec = vectoriser or Vectoriser()
        self.threshold, self.merge_threshold, self.gap = threshold, merge_threshold, max_gap_days
        # articles (rows)
        self._doc: list[int] = []
        self._day: list[int] = []
        self._idx: list[np.ndarray] = []
        self._q: list[np.ndarray] = []  # byte weights; the unit vector is q * _inv
        self._inv: list[float] = []
        self._mh: list[np.ndarray | None] = []
        self._shingles: list[int] = []
        self._sig: list[Signals] = []
        self._label = np.zeros(0, np.int64)  # row → story (local number); -1: not placed yet, or evicted
        self._row_of: dict[int, int] = {}
        self._dup: dict[int, int] = {}  # document → the earliest article of its copy group
        # stories (local numbers)
        self._sid: list[int] = []
        self._local: dict[int, int] = {}  # story id → local number
        self._first = np.zeros(0, np.int64)  # earliest and latest day of a story's articles
        self._last = np.zeros(0, np.int64)
        self._norm2 = np.zeros(0, np.float64)  # squared length of the sum of the story's article vectors
        self._alive = np.zeros(0, bool)
        self._undated = np.zeros(0, bool)  # no article of the story has a date: any day's article may join it
        self._partial = np.zeros(0, bool)  # older articles of the story were let go (STORY_ROWS): it is not split
        self._undated_rows: set[int] = set()  # rows of articles without a date (their day is their story's)
        self._n_stories = 0
        self._members: list[list[int]] = []
        self._info: list[StoryRow] = []
        self._titled: list[bool] = []  # the title is an article's headline (not the start of a text)
        self._centroids: list[tuple[np.ndarray, np.ndarray] | None] = []  # each story's sum of vectors (ids,
        # sums) and its squared length (_norm2); None until needed for a loaded story
        self._names: list[dict[int, int]] = []  # each story's entity name hashes → number of its articles
        self._days: list[set[int]] = []  # the lead days of its articles
        self._kinds: list[set[int]] = []  # the event kinds of their leads (hashed)
        # inverted index (n-gram → rows, weights) over rows [0, _base_rows), CSR by n-gram; later rows ("recent")
        # are gathered, and folded in every MERGE_AFTER rows
        self._bptr = np.zeros(NUM_FEATURES + 1, np.int64)
        self._brow = np.zeros(0, np.int32)
        self._bval = np.zeros(0, np.float32)
        self._base_rows = 0
        self._rf: list[np.ndarray] = []
        self._rr: list[np.ndarray] = []
        self._rv: list[np.ndarray] = []
        self._scratch = np.zeros(NUM_FEATURES, np.float32)
        self._bkeys = np.zeros(0, np.uint64)  # sorted band keys of the base rows, and their rows
        self._brows = np.zeros(0, np.int64)
        self._recent_bands: dict[int, list[int]] = {}
        # changes since the last take()
        self._new: list[tuple[int, bytes]] = []
        self._touched: set[int] = set()
        self._merged: dict[int, int] = {}
        self._moved: set[int] = set()  # documents a split moved
        self._headline: dict[int, str] = {}  # document → its title (articles placed here; for a split's story)

    # -- loading -------------------------------------------------------------------------------------------------
    @property
    def loaded_stories(self) -> set[int]:
        return {self._sid[k] for k in np.flatnonzero(self._alive[:self._n_stories])}

    def __len__(self) -> int:
        return int((self._label[:len(self._doc)] >= 0).sum())

    def load(self, entries: Iterable[Entry], stories: Iterable[StoryRow] = ()) -> int:
        """Add stored articles (whole stories: every article of each) to the index; stories already loaded are
        skipped. Returns the number of articles loaded."""
        info = {s.id: s for s in stories}
        loaded = self.loaded_stories
        first_row = len(self._doc)
        for e in entries:
            sid = e.story_id if e.story_id is not None else e.document_id
            if sid in loaded or e.document_id in self._row_of:
                continue
            k = self._local.get(sid)
            if k is None:
                s = info.get(sid) or StoryRow(sid, None, None, None, 0)
                k = self._new_story(sid, s.title, e.day, titled=s.title is not None,
                                    undated=s.first_published is None)
                self._info[k] = StoryRow(sid, s.title, s.first_published, s.last_published, s.size)
            idx, q, mh, n_sh, sig = decode(e.data)
            row = self._add_row(e.document_id, e.day, idx, q, mh, n_sh, sig)
            if self._undated[k]:
                self._undated_rows.add(row)
            self._label[row] = k
            self._members[k].append(row)
            self._absorb(k, sig)
            self._first[k] = min(self._first[k], e.day)
            self._last[k] = max(self._last[k], e.day)
            if e.duplicate_of is not None:
                self._dup[e.document_id] = e.duplicate_of
        rows = range(first_row, len(self._doc))
        if rows:
            loaded_now = set(self._label[rows.start:rows.stop].tolist())
            for k in loaded_now:
                self._centroids[k] = None  # computed when first needed
            self._trim(loaded_now)  # (before the index is built: the rows let go are not indexed)
            self._rebuild()
        return len(rows)

    def _centroid(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """A story's sum of article vectors (ascending n-gram ids, sums); computed on first use."""
        c = self._centroids[k]
        if c is None:
            rows = self._members[k]
            if rows:
                i = np.concatenate([self._idx[r] for r in rows])
                v = np.concatenate([self._val(r) for r in rows])
                order = np.argsort(i, kind="stable")
                ids, starts = np.unique(i[order], return_index=True)
                c = (ids.astype(np.int32), np.add.reduceat(v[order], starts).astype(np.float32))
            else:
                c = _EMPTY
            self._centroids[k] = c
            self._norm2[k] = float(np.dot(c[1].astype(np.float64), c[1]))
        return c

    def evict(self, before_day: int) -> None:
        """Forget the stories whose latest article is older than ``before_day`` (they are in the store)."""
        old = np.flatnonzero(self._alive[:self._n_stories] & (self._last[:self._n_stories] < before_day))
        for k in old:
            for r in self._members[k]:
                self._forget(r)
            self._members[k] = []
            self._names[k], self._days[k], self._kinds[k] = {}, set(), set()
            self._alive[k] = False
            self._centroids[k] = _EMPTY
            del self._local[self._sid[k]]
        if len(old):
            self._compact_if_sparse()

    def _forget(self, row: int) -> None:
        """Let an article's row go (its story was evicted, or keeps only its newest articles): the store has it."""
        self._label[row] = -1
        doc = self._doc[row]
        del self._row_of[doc]
        self._idx[row], self._q[row] = _EMPTY[0], _EMPTY_Q
        self._mh[row] = None
        self._sig[row] = NO_SIGNALS
        self._headline.pop(doc, None)
        self._dup.pop(doc, None)
        self._undated_rows.discard(row)

    def _compact_if_sparse(self) -> None:
        if (self._label[:len(self._doc)] < 0).sum() > len(self._doc) // 2:
            self._compact()

    def _trim(self, stories: Iterable[int]) -> None:
        """Keep in memory only the newest ``STORY_ROWS`` articles of each of ``stories``, and any of the last
        ``COPY_DAYS`` days (before the newest day seen). A topic that runs for months would otherwise hold every
        article it ever had: the older ones stay counted in the story's centroid, names, days and event kinds (so
        new articles are compared with the whole story), but are no longer candidates for a copy, and the story is
        no longer split."""
        let_go = 0
        recent = self.vec.newest_day - COPY_DAYS
        for k in stories:
            members = self._members[k]
            if len(members) <= STORY_ROWS or not self._alive[k]:
                continue
            members.sort(key=lambda r: (self._day[r], self._doc[r]))
            old = [r for r in members[:-STORY_ROWS] if self._day[r] < recent]  # (a prefix)
            if not old:
                continue
            self._centroid(k)  # from all its articles, before they go
            for r in old:
                self._forget(r)
            self._members[k] = members[len(old):]
            self._partial[k] = True
            let_go += len(old)
        if let_go:
            self._compact_if_sparse()

    # -- placing ---------------------------------------------------------------------------------------------------
    def add(self, articles: Sequence[Article], counts=None) -> None:
        """Place articles, in publication order (undated ones last: they may join any loaded story and take its
        newest day; one that starts a story takes the newest day seen). ``counts`` (their n-gram counts, already
        observed) if the caller computed them; else they are computed and observed here."""
        if not articles:
            return
        if counts is None:
            counts = self.vec.counts(articles)
            self.vec.observe(counts)
        days = [day_number(a.published) for a in articles]
        self.vec.newest_day = max([self.vec.newest_day, *(d for d in days if d is not None)])
        order = sorted(range(len(articles)), key=lambda i: (days[i] is None, days[i] or 0, articles[i].id))
        for i in order:
            a = articles[i]
            if a.id in self._row_of:
                continue
            self._place(a, days[i], *self.vec.vector(counts, i))

    def _place(self, a: Article, day: int | None, idx: np.ndarray, q: np.ndarray) -> None:
        mh, n_sh = signature(body(a))
        val = unit(q)
        sig = Signals.of(a)
        cands, cos, dots = self._similar(idx, val, day)
        fits = cos >= self._needed(cands, sig)
        original = self._copy_of(mh, n_sh) if mh is not None else None
        if original is not None:
            k = int(self._label[self._row_of[original]])
            self._dup[a.id] = self._dup.get(original, original)
            hit = np.flatnonzero(cands == k)
            dot = float(dots[hit[0]]) if len(hit) else self._exact_dots(np.array([k]), idx, val)[0]
        elif fits.any():
            best = int(np.argmax(np.where(fits, cos, -1.0)))
            k, dot = int(cands[best]), float(dots[best])
        else:
            k, dot = self._new_story(a.id, a.title or (a.text[:80].strip() or None), self.vec.newest_day if day is None
                                     else day, titled=bool(a.title), undated=day is None), 0.0
        row = self._add_row(a.id, int(self._last[k]) if day is None else day, idx, q, mh, n_sh, sig)
        if day is None:
            self._undated_rows.add(row)
        if a.title:
            self._headline[a.id] = a.title
        self._join(k, row, dot, a)
        size = len(self._members[k])
        check = SPLIT_MIN <= size and not size & (size - 1)  # 4, 8, 16, … articles
        if original is None:
            for b in np.argsort(-cos, kind="stable"):
                if not fits[b]:
                    continue
                other = int(cands[b])
                if other != k and self._alive[other] and self._alive[k]:
                    k = self._maybe_merge(k, other)
                    check = check or len(self._members[k]) != size  # merged
        if check:
            self._maybe_split(k)
        self._index_row(row)
        self._new.append((row, encode(idx, q, mh, n_sh, sig)))

    def _needed(self, cands: np.ndarray, sig: Signals) -> np.ndarray:
        """The cosine each candidate story needs to take an article: ``threshold``, raised by ``CONFLICT_STEP`` when
        none of the people, organisations and places of the article's headline and lead occurs in the story, and
        again when every date of its lead is more than ``EVENT_GAP_DAYS`` from every lead date of the story (a
        fire in the next town a week later is another story, however alike the reports read), and again when its
        lead and the story's leads name bodies that meet but no body in common (the foreign ministers, the defence
        chiefs)."""
        need = np.full(len(cands), self.threshold)
        keys, days, kinds = sig.keys.tolist(), sig.days.tolist(), set(sig.kinds.tolist())
        if not keys and not days and not kinds:
            return need
        for j, k in enumerate(cands.tolist()):
            names = self._names[k]
            if keys and names and names.keys().isdisjoint(keys):
                need[j] += CONFLICT_STEP
            if _apart(days, self._days[k]):
                need[j] += CONFLICT_STEP
            if _other_kinds(kinds, self._kinds[k]):
                need[j] += KIND_STEP
        return need

    def _absorb(self, k: int, sig: Signals) -> None:
        """Count an article's names, lead days and event kinds into story ``k``."""
        names = self._names[k]
        for h in sig.names.tolist():
            names[h] = names.get(h, 0) + 1
        self._days[k].update(sig.days.tolist())
        self._kinds[k].update(sig.kinds.tolist())

    def _similar(self, idx: np.ndarray, val: np.ndarray, day: int | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The candidate stories in the time window (story numbers; any loaded story when ``day`` is None), the
        cosine of the vector to each, and its dot product with each story's sum of vectors."""
        n = self._n_stories
        if not n or not len(idx):
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        probe = np.argsort(-val, kind="stable")[:PROBE_FEATURES]
        partial = self._story_dots(idx[probe], val[probe])
        active = self._alive[:n].copy()
        if day is not None:
            active &= (self._first[:n] <= day + self.gap) & (self._last[:n] >= day - self.gap) | self._undated[:n]
        partial[~active] = 0.0
        cands = np.flatnonzero(partial > 0)
        if len(cands) > CANDIDATES:
            cands = cands[np.argsort(-partial[cands], kind="stable")[:CANDIDATES]]
            cands.sort()
        dots = self._exact_dots(cands, idx, val)
        return cands, dots / np.sqrt(np.maximum(self._norm2[cands], 1e-12)), dots

    def _story_dots(self, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        """The dot product of a (partial) vector with every story's sum of vectors, from the inverted index."""
        rows_parts, w_parts = [], []
        lo = self._bptr[idx]
        lens = self._bptr[idx + 1] - lo
        total = int(lens.sum())
        if total:
            pos = np.arange(total) + np.repeat(lo - (np.cumsum(lens) - lens), lens)
            rows_parts.append(self._brow[pos])
            w_parts.append(self._bval[pos] * np.repeat(val, lens))
        if self._rf:
            if len(self._rf) > 1:
                self._rf, self._rr, self._rv = ([np.concatenate(x)] for x in (self._rf, self._rr, self._rv))
            rf, rr, rv = self._rf[0], self._rr[0], self._rv[0]
            self._scratch[idx] = val
            w = self._scratch[rf] * rv
            self._scratch[idx] = 0.0
            hit = np.flatnonzero(w)
            rows_parts.append(rr[hit])
            w_parts.append(w[hit])
        if not rows_parts:
            return np.zeros(self._n_stories)
        labels = self._label[np.concatenate(rows_parts)]
        weights = np.concatenate(w_parts).astype(np.float64)
        live = labels >= 0
        return np.bincount(labels[live], weights=weights[live], minlength=self._n_stories)

    def _exact_dots(self, stories: np.ndarray, idx: np.ndarray, val: np.ndarray) -> np.ndarray:
        """The dot product of the whole vector with each story's sum of article vectors."""
        out = np.zeros(len(stories))
        if not len(idx) or not len(stories):
            return out
        cents = [self._centroid(k) for k in stories.tolist()]
        sizes = np.array([len(c[0]) for c in cents])
        if not sizes.sum():
            return out
        self._scratch[idx] = val
        prod = self._scratch[np.concatenate([c[0] for c in cents])].astype(np.float64)  # all stories in one gather
        self._scratch[idx] = 0.0
        prod *= np.concatenate([c[1] for c in cents])
        has = sizes > 0
        out[has] = np.add.reduceat(prod, (np.cumsum(sizes) - sizes)[has])
        return out

    def _copy_of(self, mh: np.ndarray, n_sh: int) -> int | None:
        """The earliest loaded article this one copies (document id), if any."""
        keys = band_keys(mh)
        found: set[int] = set()
        if len(self._bkeys):
            lo = np.searchsorted(self._bkeys, keys, "left")
            hi = np.searchsorted(self._bkeys, keys, "right")
            for a, b in zip(lo.tolist(), hi.tolist()):
                if b > a:
                    found.update(self._brows[a:b].tolist())
        for key in keys.tolist():
            found.update(self._recent_bands.get(key, ()))
        best = None
        for r in found:
            other = self._mh[r]
            if other is None or self._label[r] < 0:
                continue
            jaccard = float(np.count_nonzero(other == mh)) / NUM_PERM
            if containment(jaccard, self._shingles[r], n_sh) >= COPY_CONTAINMENT:
                key = (self._day[r], self._doc[r])
                if best is None or key < best:
                    best = key
        return best[1] if best else None

    # -- stories -----------------------------------------------------------------------------------------------------
    def _new_story(self, sid: int, title: str | None, day: int, *, titled: bool, undated: bool = False) -> int:
        k = self._n_stories
        if k >= len(self._first):  # grow the per-story arrays (doubling)
            more = max(64, k)
            self._first = np.concatenate([self._first, np.zeros(more, np.int64)])
            self._last = np.concatenate([self._last, np.zeros(more, np.int64)])
            self._norm2 = np.concatenate([self._norm2, np.zeros(more)])
            self._alive = np.concatenate([self._alive, np.zeros(more, bool)])
            self._undated = np.concatenate([self._undated, np.zeros(more, bool)])
            self._partial = np.concatenate([self._partial, np.zeros(more, bool)])
        self._n_stories += 1
        self._sid.append(sid)
        self._local[sid] = k
        self._first[k], self._last[k], self._norm2[k], self._alive[k] = day, day, 0.0, True
        self._undated[k], self._partial[k] = undated, False
        self._members.append([])
        self._info.append(StoryRow(sid, title, None, None, 0))
        self._titled.append(titled)
        self._centroids.append(_EMPTY)
        self._names.append({})
        self._days.append(set())
        self._kinds.append(set())
        return k

    def _join(self, k: int, row: int, dot: float, a: Article) -> None:
        centroid = self._centroid(k)  # (and its norm) before the row is a member
        val = self._val(row)
        self._norm2[k] += 2.0 * dot + float(val @ val)
        self._label[row] = k
        self._members[k].append(row)
        day = self._day[row]
        if self._undated[k] and row not in self._undated_rows:  # its first dated article sets its days
            self._first[k], self._last[k], self._undated[k] = day, day, False
        self._first[k] = min(self._first[k], day)
        self._last[k] = max(self._last[k], day)
        s = self._info[k]
        s.size += 1
        if a.published and day_number(a.published) is not None:
            p = a.published[:10]
            s.first_published = min(s.first_published or p, p)
            s.last_published = max(s.last_published or p, p)
        if a.title and not self._titled[k]:
            s.title, self._titled[k] = a.title, True
        self._centroids[k] = _add_sparse(centroid, (self._idx[row], val))
        self._absorb(k, self._sig[row])
        self._touched.add(k)

    def _maybe_merge(self, a: int, b: int) -> int:
        """Merge stories ``a`` and ``b`` if their centroids are similar enough and their days come within the time
        window (an undated article may be like stories months apart); returns the story ``a`` is now."""
        if not (self._undated[a] or self._undated[b]) and (self._first[b] > self._last[a] + self.gap
                                                           or self._first[a] > self._last[b] + self.gap):
            return a
        (ia, sa), (ib, sb) = self._centroid(a), self._centroid(b)
        _, pa, pb = np.intersect1d(ia, ib, assume_unique=True, return_indices=True)
        dot = float(sa[pa].astype(np.float64) @ sb[pb])
        need = self.merge_threshold
        if _apart(self._days[a], self._days[b]):
            need += CONFLICT_STEP  # the two stories' events lie apart
        if _other_kinds(self._kinds[a], self._kinds[b]):
            need += KIND_STEP  # other bodies meet
        if dot < need * np.sqrt(max(self._norm2[a] * self._norm2[b], 1e-24)):
            return a
        keep, drop = sorted((a, b), key=lambda k: (self._first[k], self._sid[k]))
        for r in self._members[drop]:
            self._label[r] = keep
        self._members[keep] += self._members[drop]
        self._members[drop] = []
        self._norm2[keep] = self._norm2[a] + self._norm2[b] + 2.0 * dot
        dated = [k for k in (a, b) if not self._undated[k]] or [a, b]
        self._first[keep] = min(self._first[k] for k in dated)
        self._last[keep] = max(self._last[k] for k in dated)
        self._undated[keep] = self._undated[a] and self._undated[b]
        self._partial[keep] = self._partial[a] or self._partial[b]
        sk, sd = self._info[keep], self._info[drop]
        sk.size += sd.size
        sk.first_published = min(filter(None, (sk.first_published, sd.first_published)), default=None)
        sk.last_published = max(filter(None, (sk.last_published, sd.last_published)), default=None)
        if not self._titled[keep] and self._titled[drop]:
            sk.title, self._titled[keep] = sd.title, True
        self._centroids[keep] = _add_sparse(self._centroids[a], self._centroids[b])
        self._centroids[drop] = _EMPTY
        for h, n in self._names[drop].items():
            self._names[keep][h] = self._names[keep].get(h, 0) + n
        self._days[keep] |= self._days[drop]
        self._kinds[keep] |= self._kinds[drop]
        self._names[drop], self._days[drop], self._kinds[drop] = {}, set(), set()
        self._alive[drop] = False
        del self._local[self._sid[drop]]
        self._merged[drop] = keep
        self._touched.discard(drop)
        self._touched.add(keep)
        return keep

    def _maybe_split(self, k: int) -> None:
        """Split story ``k`` in two when its articles fall into two groups that have little in common: the two
        clusters of average-linkage clustering of its articles (cosine), if each has two articles or more and their
        centroids' cosine is below ``SPLIT_THRESHOLD`` (evidence that arrived later showed that an article had
        bridged two events). Copies stay with the article they copy. The part with the story's first article
        keeps the story; the other becomes a story whose id is its first article's."""
        rows = list(self._members[k])
        n = len(rows)
        if not SPLIT_MIN <= n <= SPLIT_MAX or self._partial[k]:
            return
        import scipy.sparse as sp
        from scipy.cluster.hierarchy import fcluster, linkage

        x = sp.csr_matrix((np.concatenate([self._val(r) for r in rows]).astype(np.float64),
                           np.concatenate([self._idx[r] for r in rows]),
                           np.cumsum([0] + [len(self._idx[r]) for r in rows])), shape=(n, NUM_FEATURES))
        sim = (x @ x.T).toarray()
        distance = np.clip(1.0 - sim, 0.0, None)[np.triu_indices(n, 1)]
        part = fcluster(linkage(distance, "average"), 2, "maxclust")
        position = {self._doc[r]: i for i, r in enumerate(rows)}
        for i, r in enumerate(rows):  # a copy goes where its original is
            root = self._dup.get(self._doc[r])
            if root is not None and root in position:
                part[i] = part[position[root]]
        one, two = part == part[0], part != part[0]
        if one.sum() < 2 or two.sum() < 2:
            return
        across = sim[np.ix_(one, two)].sum() / np.sqrt(sim[np.ix_(one, one)].sum() * sim[np.ix_(two, two)].sum())
        if across >= SPLIT_THRESHOLD:
            return
        first = self._row_of.get(self._sid[k])
        stay = part == (part[rows.index(first)] if first in rows else part[int(np.argmin([self._day[r] for r in rows]))])
        leave = [r for r, s in zip(rows, stay) if not s]
        dropped = {self._sid[j] for j in self._merged}
        leave.sort(key=lambda r: (self._day[r], self._doc[r]))
        sid = next((self._doc[r] for r in leave if self._doc[r] not in self._local and self._doc[r] not in dropped),
                   None)
        if sid is None:
            return
        title = next((self._headline[self._doc[r]] for r in leave if self._doc[r] in self._headline), None)
        k2 = self._new_story(sid, title, self._day[leave[0]], titled=title is not None)
        self._members[k] = [r for r, s in zip(rows, stay) if s]
        self._members[k2] = leave
        for r in leave:
            self._label[r] = k2
            self._moved.add(self._doc[r])
        for j in (k, k2):
            members = self._members[j]
            self._centroids[j] = None  # recomputed, with its length, when next needed
            self._centroid(j)
            dated = [r for r in members if r not in self._undated_rows]
            self._undated[j] = not dated
            self._first[j] = min(self._day[r] for r in dated or members)
            self._last[j] = max(self._day[r] for r in dated or members)
            self._names[j], self._days[j], self._kinds[j] = {}, set(), set()
            for r in members:
                self._absorb(j, self._sig[r])
            info = self._info[j]
            info.size = len(members)
            info.first_published = None if not dated else date.fromordinal(int(self._first[j])).isoformat()
            info.last_published = None if not dated else date.fromordinal(int(self._last[j])).isoformat()
            self._touched.add(j)

    # -- rows and the inverted index ---------------------------------------------------------------------------------
    def _val(self, row: int) -> np.ndarray:
        return self._q[row].astype(np.float32) * np.float32(self._inv[row])

    def _heavy(self, row: int) -> tuple[np.ndarray, np.ndarray]:
        """The row's ``INDEX_FEATURES`` heaviest n-grams and their weights (what the inverted index holds)."""
        idx, val = self._idx[row], self._val(row)
        if len(idx) > INDEX_FEATURES:
            keep = np.argsort(-self._q[row], kind="stable")[:INDEX_FEATURES]
            idx, val = idx[keep], val[keep]
        return idx, val

    def _add_row(self, doc: int, day: int, idx: np.ndarray, q: np.ndarray, mh: np.ndarray | None,
                 n_sh: int, sig: Signals = NO_SIGNALS) -> int:
        row = len(self._doc)
        self._doc.append(doc)
        self._day.append(day)
        self._idx.append(idx)
        self._q.append(q)
        norm = float(np.sqrt(np.dot(q.astype(np.float64), q.astype(np.float64))))
        self._inv.append(1.0 / norm if norm else 0.0)
        self._mh.append(mh)
        self._shingles.append(n_sh)
        self._sig.append(sig)
        if row >= len(self._label):
            self._label = np.concatenate([self._label, np.full(max(64, row), -1, np.int64)])
        self._label[row] = -1
        self._row_of[doc] = row
        return row

    def _index_row(self, row: int) -> None:
        """Make a placed row findable: its n-grams among the recent rows, its bands in the recent band table."""
        if self._mh[row] is not None:
            for key in band_keys(self._mh[row]).tolist():
                self._recent_bands.setdefault(key, []).append(row)
        idx, val = self._heavy(row)
        self._rf.append(idx)
        self._rr.append(np.full(len(idx), row, np.int32))
        self._rv.append(val)
        if len(self._doc) - self._base_rows >= MERGE_AFTER:
            self._rebuild()

    def _rebuild(self) -> None:
        """The inverted index and the band index over every placed row (a counting sort by n-gram, in scipy)."""
        import scipy.sparse as sp

        live = np.flatnonzero(self._label[:len(self._doc)] >= 0)
        heavy = [self._heavy(r) for r in live]
        lengths = np.array([len(i) for i, _ in heavy], dtype=np.int64)
        if lengths.sum():
            by_feature = sp.csr_matrix(
                (np.concatenate([v for _, v in heavy]).astype(np.float32),
                 (np.concatenate([i for i, _ in heavy]), np.repeat(live.astype(np.int32), lengths))),
                shape=(NUM_FEATURES, len(self._doc)))
            self._bptr = by_feature.indptr
            self._brow, self._bval = by_feature.indices.astype(np.int32), by_feature.data
        else:
            self._bptr = np.zeros(NUM_FEATURES + 1, np.int64)
            self._brow, self._bval = np.zeros(0, np.int32), np.zeros(0, np.float32)
        self._rf, self._rr, self._rv = [], [], []
        self._base_rows = len(self._doc)
        with_mh = [int(r) for r in live if self._mh[r] is not None]
        if with_mh:
            keys = band_keys(np.stack([self._mh[r] for r in with_mh])).ravel()
            rows = np.repeat(np.asarray(with_mh, np.int64), BANDS)
            order = np.argsort(keys, kind="stable")
            self._bkeys, self._brows = keys[order], rows[order]
        else:
            self._bkeys, self._brows = np.zeros(0, np.uint64), np.zeros(0, np.int64)
        self._recent_bands = {}

    def _compact(self) -> None:
        """Drop evicted rows and stories (renumbering the rest)."""
        keep_rows = [r for r in range(len(self._doc)) if self._label[r] >= 0]
        keep_stories = [int(k) for k in np.flatnonzero(self._alive[:self._n_stories])]
        story_map = {k: n for n, k in enumerate(keep_stories)}
        row_map = {r: n for n, r in enumerate(keep_rows)}
        self._doc = [self._doc[r] for r in keep_rows]
        self._day = [self._day[r] for r in keep_rows]
        self._idx = [self._idx[r] for r in keep_rows]
        self._q = [self._q[r] for r in keep_rows]
        self._inv = [self._inv[r] for r in keep_rows]
        self._mh = [self._mh[r] for r in keep_rows]
        self._shingles = [self._shingles[r] for r in keep_rows]
        self._sig = [self._sig[r] for r in keep_rows]
        self._label = np.array([story_map[int(self._label[r])] for r in keep_rows], dtype=np.int64)
        self._row_of = {d: n for n, d in enumerate(self._doc)}
        self._sid = [self._sid[k] for k in keep_stories]
        self._local = {sid: n for n, sid in enumerate(self._sid)}
        sel = np.asarray(keep_stories, dtype=np.int64)
        self._first, self._last, self._norm2 = self._first[sel], self._last[sel], self._norm2[sel]
        self._alive = np.ones(len(sel), bool)
        self._undated, self._partial = self._undated[sel], self._partial[sel]
        self._undated_rows = {row_map[r] for r in self._undated_rows if r in row_map}
        self._n_stories = len(sel)
        self._members = [[row_map[r] for r in self._members[k]] for k in keep_stories]
        self._info = [self._info[k] for k in keep_stories]
        self._titled = [self._titled[k] for k in keep_stories]
        self._centroids = [self._centroids[k] for k in keep_stories]
        self._names = [self._names[k] for k in keep_stories]
        self._days = [self._days[k] for k in keep_stories]
        self._kinds = [self._kinds[k] for k in keep_stories]
        self._new = [(row_map[r], data) for r, data in self._new if r in row_map]
        self._touched = {story_map[k] for k in self._touched if k in story_map}
        self._merged = {}  # merges are recorded by story id in take(); a compaction happens after a take
        self._rebuild()

    # -- results ---------------------------------------------------------------------------------------------------
    def take(self) -> Placement:
        """What changed since the last call: new entries, stories created or changed, merges (resolved)."""
        def final(k: int) -> int:
            while k in self._merged:
                k = self._merged[k]
            return k

        entries = []
        for row, data in self._new:
            doc = self._doc[row]
            entries.append(Entry(doc, self._sid[int(self._label[row])], self._dup.get(doc), self._day[row], data))
        merged = {self._sid[k]: self._sid[final(k)] for k in self._merged}
        stories = [self._info[k] for k in sorted(self._touched) if self._alive[k]]
        new = {e.document_id for e in entries}
        moved = {d: self._sid[int(self._label[self._row_of[d]])] for d in sorted(self._moved)
                 if d not in new and d in self._row_of}
        touched = self._touched
        self._new, self._touched, self._merged, self._moved = [], set(), {}, set()
        self._trim(touched)
        return Placement(entries, stories, merged, moved)

    def story_of(self) -> dict[int, int]:
        """Every live article → its story id."""
        return {self._doc[r]: self._sid[int(self._label[r])] for r in range(len(self._doc)) if self._label[r] >= 0}

    def duplicates(self) -> dict[int, int]:
        return {d: o for d, o in self._dup.items() if d in self._row_of}

    def stories(self) -> list[StoryRow]:
        return [self._info[k] for k in np.flatnonzero(self._alive[:self._n_stories])]


_EMPTY = (np.zeros(0, np.int32), np.zeros(0, np.float32))
_EMPTY_Q = np.zeros(0, np.uint8)


def _apart(days: Iterable[int], other: set[int]) -> bool:
    """Whether both have lead days and every one of ``days`` lies more than ``EVENT_GAP_DAYS`` from all of
    ``other``."""
    days = list(days)
    return bool(days and other) and not any(d + g in other for d in days
                                             for g in range(-EVENT_GAP_DAYS, EVENT_GAP_DAYS + 1))


def _other_kinds(kinds: set[int], other: set[int]) -> bool:
    """Whether both name bodies that meet, and none in common."""
    return bool(kinds and other) and kinds.isdisjoint(other)


def _add_sparse(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The sum of two sparse vectors, each (ascending unique ids, values)."""
    (ia, va), (ib, vb) = a, b
    if not len(ia):
        return ib.astype(np.int32), vb.astype(np.float32)
    at = np.searchsorted(ia, ib)
    shared = at < len(ia)
    shared[shared] = ia[at[shared]] == ib[shared]
    va = va.astype(np.float32)  # a copy
    np.add.at(va, at[shared], vb[shared])
    fresh = ~shared
    return np.insert(ia, at[fresh], ib[fresh]).astype(np.int32), np.insert(va, at[fresh], vb[fresh])


# -- the index in the store ----------------------------------------------------------------------------------------

STATEMENT_DAYS = 28  # quotes are matched to statements this many publication days at a time (Placer.statements)
SLICE_DAYS = 14  # new articles are placed a slice of publication days at a time (the window loaded for each)
KEEP_COUNTS = 20000  # up to this many new articles, their n-gram counts are kept between the two passes


class Placer:
    """Places the stored articles that are not in the story index yet, call after call (``place``), and at the end
    matches their quotes to the statements around them (``statements``). A run places its articles every few
    hundred (pipeline.STORY_EVERY) with one ``Placer``: the stories it loaded stay loaded, and only the days it has
    not read yet are read from the store (the state of the index it keeps is also the one it writes)."""

    def __init__(self) -> None:
        self.index: StoryIndex | None = None
        self._days: tuple[int, int] | None = None  # the days whose stories the index holds, all of them
        self.first_day: int | None = None  # the days of the articles placed (for the statements)
        self.last_day: int | None = None

    def place(self, store: Store) -> list[int]:
        """Place the new articles, a slice of publication days at a time: for each, the stories that could take
        them are loaded; every placement is written back. Returns the ids of the articles placed."""
        rows = list(store.unplaced_articles())
        if not rows:
            return []
        if self.index is None:
            state = store.index_state(STATE_KEY)
            if state is None:  # a store grouped by the earlier global algorithm, or never: start from scratch
                store.reset_story_index()
                vec = Vectoriser()
            else:
                vec = Vectoriser.from_bytes(state)
            self.index = StoryIndex(vec)
        index, vec = self.index, self.index.vec
        articles = [Article(r.id, r.title, r.text, r.published, r.outlet) for r in rows]
        counts = None
        if len(articles) <= KEEP_COUNTS:
            counts = vec.counts(articles)
            vec.observe(counts)
        else:  # first pass: document frequencies only (the counts of 100,000 articles would not fit in memory)
            for chunk in _chunks(articles, 2000):
                vec.observe(vec.counts(chunk))
        days = [day_number(a.published) for a in articles]
        vec.newest_day = max([vec.newest_day, *(d for d in days if d is not None)])
        position = {a.id: n for n, a in enumerate(articles)}
        ordered = sorted(articles, key=lambda a: (days[position[a.id]] is None, days[position[a.id]] or 0, a.id))
        for part in _slices(ordered, [days[position[a.id]] for a in ordered], vec.newest_day):
            first = min(d for _, d in part)
            hi = max(d for _, d in part)
            # undated: any story of the last year may take them
            lo = first - (UNDATED_DAYS - MAX_GAP_DAYS) if days[position[part[0][0].id]] is None else first
            self._load(store, lo - MAX_GAP_DAYS, hi + MAX_GAP_DAYS)
            arts = with_signals(store, [a for a, _ in part])
            if counts is not None:
                index.add(arts, counts[[position[a.id] for a in arts]])
            else:
                index.add(arts, vec.counts(arts))
            self.first_day = first if self.first_day is None else min(self.first_day, first)
            self.last_day = hi if self.last_day is None else max(self.last_day, hi)
            done = index.take()
            store.save_placement(done.entries, done.stories, done.merged, {STATE_KEY: vec.to_bytes()}, done.moved)
        return [a.id for a in ordered]

    def _load(self, store: Store, first: int, last: int) -> None:
        """Have the index hold every story with an article from day ``first`` to ``last`` and forget those that end
        before: only days not read before are read."""
        index = self.index
        index.evict(first)
        held = self._days
        if held is not None and held[0] <= first:  # what the index held from `first` on is still there
            if last > held[1]:
                index.load(*store.story_window(held[1] + 1, last))
            self._days = (first, max(last, held[1]))
        else:
            index.load(*store.story_window(first, last))
            self._days = (first, last)

    def statements(self, store: Store) -> None:
        """Match the quotes of the articles placed so far to the statements of the days around them, ``STATEMENT_DAYS``
        of their publication days at a time (a run over a year of archive does not hold all its quotes at once)."""
        from .statements import update as update_statements

        self.index = self._days = None  # the run's placing is done: its stories are in the store (memory for this)
        day = self.first_day
        while day is not None and day <= self.last_day:
            update_statements(store, day, min(day + STATEMENT_DAYS - 1, self.last_day))
            day += STATEMENT_DAYS
        self.first_day = self.last_day = None


def update(store: Store) -> list[int]:
    """Place the stored articles that are not in the story index yet (every article of a store grouped before the
    index existed), load for each slice of their publication days only the stories that could take them, and
    write every placement back. Then match their quotes to the statements of the days around them. Returns the ids
    of the articles placed."""
    placer = Placer()
    placed = placer.place(store)
    placer.statements(store)
    return placed


def rebuild(store: Store) -> int:
    """Recompute every story, copy link and statement from the stored articles (``pressespiegel recluster``):
    the index starts empty and every article is placed again, in publication order. Returns the number of
    stories."""
    store.reset_story_index()
    update(store)
    return store.counts()["stories"]


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _slices(ordered: list[Article], days: list[int | None], newest: int) -> Iterator[list[tuple[Article, int]]]:
    """Articles in publication order, cut into slices of at most ``SLICE_DAYS`` days and 5,000 articles; undated
    articles come last, in slices of their own, on the newest day."""
    part: list[tuple[Article, int]] = []
    dated = True
    for a, d in zip(ordered, days):
        cut = dated and d is None and bool(part)
        dated, d = d is not None, newest if d is None else d
        if part and (cut or d - part[0][1] > SLICE_DAYS or len(part) >= 5000):
            yield part
            part = []
        part.append((a, d))
    if part:
        yield part
