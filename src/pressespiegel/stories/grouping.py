"""A first story grouping: near-duplicates by MinHash, stories by TF-IDF similarity, greedy in date order.

This is the simple baseline the press review starts from; event-time, entity and embedding signals come with the
stories issue. Deterministic: the same documents give the same groups and the same story ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from datasketch import MinHash, MinHashLSH

_WORD = re.compile(r"\w+", re.UNICODE)
# Short German function words; they carry no topic.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis bisher bereits
da dabei damit dann darauf darum das dass daß dein deine dem den denn der des deshalb dessen die dies diese diesem
diesen dieser dieses doch dort du durch ein eine einem einen einer eines einige er es etwa euch für gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist
ja jede jedem jeden jeder jedes jetzt kann kein keine keinem keinen keiner können könne könnte man mehr mein
mit muss müsse müssen nach nach nicht nichts noch nun nur ob oder ohne schon sehr sei seien sein seine seinem seinen
seiner seit sich sie sind so solche soll sollen sollte sondern sowie über um und uns unser unter viel vom von vor
war waren warum was weil welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde
wurden zu zum zur zwar zwei zwischen sagte sagt sagten hieß heißt laut so am prozent uhr jahr jahre jahren
""".split())


@dataclass(frozen=True)
class Article:
    id: int
    title: str | None
    text: str
    published: str | None
    outlet: str | None


@dataclass
class Grouping:
    duplicate_of: dict[int, int]  # copy -> the earliest article it copies
    story_of: dict[int, int]  # article -> story id (the id of the story's first article)
    story_titles: dict[int, str]


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


def _minhash(text: str, num_perm: int) -> tuple[MinHash, int]:
    """MinHash of the word 3-shingles of a text, and how many distinct shingles there are."""
    tokens = _WORD.findall(text.lower())
    shingles = {" ".join(tokens[i:i + 3]) for i in range(max(1, len(tokens) - 2))}
    m = MinHash(num_perm=num_perm)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m, len(shingles)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """The share of the smaller shingle set found in the larger, from their Jaccard similarity and sizes."""
    return jaccard * (size_a + size_b) / ((1 + jaccard) * max(1, min(size_a, size_b)))


def find_duplicates(articles: list[Article], threshold: float = 0.7, num_perm: int = 128,
                    min_shingles: int = 25) -> dict[int, int]:
    """Copies (agency texts carried twice, shortened or re-titled, re-crawls) → the earliest article of their
    duplicate group: most of the shorter text's word 3-shingles (``threshold``, containment) are in the other."""
    ordered = sorted(articles, key=_arrival)
    arrival = {a.id: _arrival(a) for a in articles}
    # LSH only proposes candidates: a low threshold keeps a short copy of a long text (Jaccard ~0.25) in view
    lsh = MinHashLSH(threshold=0.15, num_perm=num_perm)
    hashes: dict[int, tuple[MinHash, int]] = {}
    duplicate_of: dict[int, int] = {}
    for a in ordered:
        body = a.text[len(a.title):] if a.title and a.text.startswith(a.title) else a.text  # copies get new headlines
        m, size = _minhash(body, num_perm)
        if size < min_shingles:  # a few sentences: too little to call it a copy
            continue
        candidates = sorted(lsh.query(m), key=arrival.__getitem__)
        best = next((c for c in candidates
                     if containment(hashes[c][0].jaccard(m), hashes[c][1], size) >= threshold), None)
        if best is not None:
            duplicate_of[a.id] = duplicate_of.get(best, best)
        lsh.insert(a.id, m)
        hashes[a.id] = (m, size)
    return duplicate_of


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _arrival(a: Article) -> tuple[str, int]:
    return (a.published or "9999-99-99", a.id)


def group(articles: list[Article], threshold: float = 0.25, max_gap_days: int = 21) -> Grouping:
    """Assign every article to a story: the most similar existing story above ``threshold``, else a new one.

    Same topic is not same story: a story only takes an article published within ``max_gap_days`` of its latest
    one, so a strike in September and another in November stay two stories.
    """
    duplicate_of = find_duplicates(articles)
    if not articles:
        return Grouping({}, {}, {})
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy import, only when grouping runs

    ordered = sorted(articles, key=_arrival)
    docs = [" ".join(words(f"{a.title or ''} {a.title or ''} {a.text[:3000]}")) for a in ordered]
    # character n-grams within words: German compounds and inflections ("Deichbruch", "Deich", "Deiches") overlap
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(4, 5), sublinear_tf=True).fit_transform(docs)
    n = len(ordered)
    row_of = {a.id: r for r, a in enumerate(ordered)}
    label = np.zeros(n, dtype=np.int64)  # story number of each row
    norm2: list[float] = []  # squared norm of the sum of each story's member vectors
    latest: list[int] = []  # ordinal day of each story's latest article; -1 when none has a date
    block = 256
    sims = None
    for row, a in enumerate(ordered):
        if row % block == 0:  # similarities of the next rows to all rows, a block at a time (bounded memory)
            sims = (vectors[row: row + block] @ vectors.T).toarray()
        prior = sims[row % block, :row]
        # v · (sum of a story's vectors), for every story so far; cosine to the story centroid follows
        dots = np.bincount(label[:row], weights=prior, minlength=len(norm2)) if row else np.zeros(0)
        day = _day(a.published)
        day_no = day.toordinal() if day else -1
        if a.id in duplicate_of:
            k = int(label[row_of[duplicate_of[a.id]]])
        else:
            cos = dots / np.sqrt(np.maximum(np.asarray(norm2), 1e-12)) if norm2 else np.zeros(0)
            if day_no >= 0 and len(cos):
                last = np.asarray(latest)
                cos[(last >= 0) & (day_no - last > max_gap_days)] = -1.0
            k = int(np.argmax(cos)) if len(cos) and cos.max() >= threshold else len(norm2)
        if k == len(norm2):
            norm2.append(0.0)
            latest.append(-1)
        norm2[k] += 2 * (dots[k] if k < len(dots) else 0.0) + 1.0  # rows are unit vectors
        latest[k] = max(latest[k], day_no)
        label[row] = k
    first_row: dict[int, int] = {}
    for r in range(n):
        first_row.setdefault(int(label[r]), r)
    story_of = {a.id: ordered[first_row[int(label[r])]].id for r, a in enumerate(ordered)}
    members: dict[int, list[int]] = {}
    for r, a in enumerate(ordered):
        members.setdefault(story_of[a.id], []).append(r)
    titles = {sid: next((ordered[r].title for r in rows if ordered[r].title), ordered[rows[0]].text[:80])
              for sid, rows in members.items()}
    return Grouping(duplicate_of=duplicate_of, story_of=story_of, story_titles=titles)
