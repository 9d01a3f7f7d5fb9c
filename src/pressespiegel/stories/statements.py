"""Statements: the same quotation across articles — verbatim, cut differently, or reported in indirect speech.

Quotes are compared on their content words, with the Konjunktiv of reported speech read as the indicative ("die Lage
sei ernst" = „Die Lage ist ernst“). Candidates come from MinHash LSH over those words (datasketch), so matching
100,000 quotes does not compare every pair; a candidate pair is one statement when rapidfuzz finds the wording close
enough (token-set similarity, which forgives cuts and additions), its speakers do not contradict each other (two
different known speakers are never merged; an unknown speaker may join a known one) and it was published within
``MAX_DAYS`` days. Clusters are connected components (union-find); each is named by its earliest quote.

A run adds statements incrementally (``update``): the quotes of its new articles are compared with the quotes of
the articles published within ``MAX_DAYS`` days of them (and of undated ones) and with each other; statements found
before stay as they are unless a new quote joins two of them.

Not handled: the same statement in another language (no multilingual sentence model ships inside a PyPI wheel
that this project could use; see the README).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from datasketch import MinHash, MinHashLSH
from rapidfuzz import fuzz

from ..analyse.entities import name_key

if TYPE_CHECKING:
    from ..store import Store

MAX_DAYS = 14
SIMILARITY = 72  # rapidfuzz token_set_ratio, 0-100
LSH_THRESHOLD = 0.4
NUM_PERM = 64

_STOP = frozenset("""der die das den dem des ein eine einer einem einen eines und oder aber auch nicht nur noch schon
sehr mehr für mit von vom zum zur auf aus bei nach über unter vor bis durch gegen ohne um wie als wenn dass ob weil
denn doch so es er sie wir ihr ich du man sich sein seine ihre ihren unser unsere dies diese dieser dieses jede
jeder alle alles viel viele wird werden wurde wurden ist sind war waren hat haben hatte hatten kann können muss
müssen soll sollen will wollen im in an am zu ja nein hier dort dann da""".split())
# the Konjunktiv of reported speech, read as the indicative
_MOOD = {"sei": "ist", "seien": "sind", "habe": "hat", "hätten": "haben", "werde": "wird", "würden": "werden",
         "könne": "kann", "könnten": "können", "müsse": "muss", "müssten": "müssen", "wolle": "will",
         "solle": "soll", "dürfe": "darf", "gebe": "gibt", "wäre": "ist", "wären": "sind"}
_WORD = re.compile(r"[\wäöüß]+")


@dataclass(frozen=True)
class QuoteRef:
    id: int
    text: str
    speaker: str | None
    published: str | None  # YYYY-MM-DD of its article


@lru_cache(maxsize=65536)  # update() and cluster() both ask for the words of the same quotes
def words(text: str) -> tuple[str, ...]:
    """Content words of a quote, lower case, Konjunktiv read as indicative."""
    mood = (_MOOD.get(w, w) for w in _WORD.findall(text.lower()))
    return tuple(w for w in mood if len(w) > 2 and w not in _STOP)


def _days(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 0
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return 0


def _same_speaker(a: str | None, b: str | None) -> bool:
    """Unknown speakers fit anyone; "Scholz" and "Olaf Scholz" are one."""
    return not a or not b or a == b or a.endswith(" " + b) or b.endswith(" " + a)


@lru_cache(maxsize=1)
def _first_minhash() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1)


def _minhash() -> MinHash:
    """An empty MinHash with the permutations of the first (seed 1): they are drawn once, not for every quote."""
    first = _first_minhash()
    return MinHash(num_perm=NUM_PERM, seed=1, permutations=first.permutations, scheme=first.scheme)


def cluster(quotes: Iterable[QuoteRef], known: dict[int, int | None] | None = None) -> dict[int, int]:
    """Quote id → statement id (the id of the statement's earliest quote; ties: the smallest id).

    ``known``: quotes clustered before (quote id → its statement id). They keep their statements and are not
    compared with each other again; the other quotes are compared with them and with each other. So the quotes of
    new articles are added without reclustering the store. A statement found before keeps its id when new quotes
    join it (also one published earlier than its quotes); when a new quote joins two, the smaller id names both."""
    known = known or {}
    items = sorted(quotes, key=lambda q: (q.published or "9999", q.id))
    parent = {q.id: q.id for q in items}
    order: dict[int, tuple] = {q.id: (1, i) for i, q in enumerate(items)}  # the earliest quote names its statement

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: int, b: int) -> int:
        root, child = sorted((a, b), key=lambda x: order[x])
        parent[child] = root
        speakers[root] = max(speakers.get(a) or "", speakers.get(b) or "", key=len) or None
        return root

    speakers: dict[int, str | None] = {}  # a statement's (root's) speaker key, the fullest name seen
    keys: dict[str, str] = {}
    for q in items:
        speakers[q.id] = (keys.get(q.speaker) or keys.setdefault(q.speaker, name_key(q.speaker))) if q.speaker \
            else None
    for q in items:  # the statements found before: their ids come first
        sid = known.get(q.id)
        if sid is not None:
            if sid not in parent:
                parent[sid], speakers[sid] = sid, None
            order[sid] = (0, sid)
            a, b = find(q.id), find(sid)
            if a != b:
                union(a, b)
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    by_id = {}
    normalised = {}
    fresh = [q for q in items if q.id not in known]
    mh = _minhash()  # one MinHash, cleared for each quote (the index keeps its band hashes, not the object)
    for q in [q for q in items if q.id in known] + fresh:
        ws = words(q.text)
        if len(ws) < 2:  # too short to be recognised elsewhere ("Ja.", "fahrlässig")
            continue
        mh.clear()
        mh.update_batch([w.encode("utf-8") for w in set(ws)])
        normalised[q.id] = " ".join(ws)
        if q.id not in known:
            for other_id in lsh.query(mh):
                other = by_id[other_id]
                if _days(q.published, other.published) > MAX_DAYS:
                    continue
                a, b = find(q.id), find(other_id)
                if a == b or not _same_speaker(speakers[a], speakers[b]):
                    continue  # two different speakers: never one statement, also not through a quote without one
                if fuzz.token_set_ratio(normalised[q.id], normalised[other_id]) >= SIMILARITY:
                    union(a, b)
        lsh.insert(q.id, mh)
        by_id[q.id] = q
    return {q.id: find(q.id) for q in items}


def update(store: Store, first_day: int, last_day: int) -> int:
    """Match the quotes not yet in a statement (those of new articles, published from ``first_day`` to
    ``last_day``, ordinal days) to the quotes of the ``MAX_DAYS`` around them and to each other. Only quotes that
    share a content word with a new quote can match one: those and the other quotes of their statements take part,
    the rest of the window is not touched. Returns the number of quotes whose statement was set or changed."""
    rows = store.quotes_near(date.fromordinal(max(1, first_day - MAX_DAYS)).isoformat(),
                             date.fromordinal(last_day + MAX_DAYS).isoformat())
    new = [r for r in rows if r["statement_id"] is None]
    if not new:
        return 0
    vocabulary = {w for r in new for w in words(r["text"] or "")}
    hit = {r["statement_id"] for r in rows if r["statement_id"] is not None
           and not vocabulary.isdisjoint(words(r["text"] or ""))}
    items = new + [r for r in rows if r["statement_id"] in hit]
    known = {r["id"]: r["statement_id"] for r in items if r["statement_id"] is not None}
    found = cluster((QuoteRef(r["id"], r["text"] or "", r["speaker"], r["published"]) for r in items), known)
    merged = {sid: found[q] for q, sid in known.items() if found[q] != sid}  # statements a new quote joined
    store.replace_statements({r["id"]: found[r["id"]] for r in new}, partial=True, merged=merged)
    return len(new) + sum(1 for r in rows if r["statement_id"] in merged)
