"""The online story index (stories.index) at scale: adding one article to a store of 100,000, and arrival order.

**Store.** ``--stored`` synthetic articles (default 100,000) spread over a year, written straight into a fresh
SQLite store as the index would have left them: documents (a short text), stories, one index entry per article and
the document-frequency state. They are made quickly from base texts — 10kGNAD articles (``../shared``) when present,
else the story test corpus — at the level of features: an *event* takes a base text's n-gram counts, adds n-grams of
its own (the names and places that tell two events on one topic apart) and has 1-6 articles within five days, each
dropping a random 15 % of the n-grams; copy signatures are the base text's MinHash with a share of the hash values
replaced (5 % for an agency copy within the event, 60 % otherwise). Each article carries one quote (a sentence of
its base text; one statement per event), so that ``run``'s statement matching has quotes around the new articles. A base text returns in about ten events over the
year: same-topic stories months apart, as in the news.

**Adding.** ``--add`` new articles (real texts: edited base texts of events in the window, so that they join
stories, and unseen texts, which start stories), all published on the last day, are placed one at a time into the
index loaded for that day's window (what ``run`` loads): per article the time of its features (hashing its
n-grams, counting them into the document frequencies) and of the **placement step** (weights, copy signature, copy
lookup, cosine to every story in the window, joining, merge checks) — median and 95th percentile; target p95 under
20 ms. Then ``pressespiegel run``'s story stage end to end (``stories.index.update``: window read from SQLite,
placement, writes, statements) for one new stored article, a few times.

**Memory.** Bytes per stored article of the index entries in the store, the state, the database file; the memory
of the index loaded for the window (traced allocations: its arrays, including the document-frequency table), per
loaded article.

**Arrival order** (``--orders``): the story test corpus placed one article at a time in shuffled orders, starting
from an empty index, scored against the gold events and against publication order (B-cubed F1).

    python benchmarks/story_index.py [--stored 100000] [--add 300] [--orders 5] [--db /tmp/story-index.db] [--record]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np
from _common import GNAD, ROOT, gnad_texts, report

START = date(2025, 11, 1)
DAYS = 365


def base_texts(limit: int) -> list[tuple[str, str]]:
    """(title, text) pairs: 10kGNAD articles when ../shared has them, else the story test corpus."""
    if GNAD.exists():
        return [(t.split(".")[0][:90], t) for t in gnad_texts(limit)]
    from pressespiegel.config import Settings
    from pressespiegel.extract import extract
    from pressespiegel.ingest import read_inputs

    out = []
    for path in sorted((ROOT / "tests" / "stories").glob("*.txt")):
        doc = extract(next(iter(read_inputs([str(path)], Settings().limits, None))))
        out.append((doc.title or "", doc.text))
    return out[:limit]


def build(db: Path, stored: int, bases: list[tuple[str, str]], seed: int = 1) -> dict:
    """A store of ``stored`` synthetic articles as the index leaves them (see the module docstring)."""
    import sqlite3

    from pressespiegel.store import open_store
    from pressespiegel.stories.grouping import Article
    from pressespiegel.stories.index import (
        NUM_FEATURES,
        NUM_PERM,
        STATE_KEY,
        TOP_FEATURES,
        Signals,
        Vectoriser,
        body,
        encode,
        signature,
    )

    t0 = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    open_store(str(db)).close()  # the schema
    rng = np.random.default_rng(seed)
    vec = Vectoriser()
    arts = [Article(i, t, x, None, None) for i, (t, x) in enumerate(bases)]
    counts = vec.counts(arts)
    sigs = [signature(body(a)) for a in arts]
    # events: sizes 1-6, a base text, a day, own n-grams
    rows: list[tuple] = []  # (doc id, day, story id, duplicate_of, base, idx, tf, mh, shingles)
    doc = 0
    while doc < stored:
        size = min(int(rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6])), stored - doc)
        b = int(rng.integers(len(bases)))
        lo, hi = counts.indptr[b], counts.indptr[b + 1]
        own = rng.integers(0, NUM_FEATURES, 60)
        day0 = START.toordinal() + int(rng.integers(DAYS))
        story = doc + 1
        mh0, n_sh = sigs[b]
        for k in range(size):
            keep = rng.random(hi - lo) > 0.15
            idx = np.concatenate([counts.indices[lo:hi][keep], own])
            tf = np.concatenate([counts.data[lo:hi][keep], np.ones(len(own), np.float32)])
            idx, first = np.unique(idx, return_index=True)
            tf = tf[first]
            copy = k > 0 and rng.random() < 0.3
            mh = None
            if mh0 is not None:
                mh = mh0.copy()
                swap = rng.random(NUM_PERM) < (0.05 if copy else 0.6)
                mh[swap] = rng.integers(0, 2**32 - 1, int(swap.sum()), dtype=np.uint32)
            doc += 1
            rows.append((doc, day0 + int(rng.integers(5)), story, story if copy else None, b, idx, tf, mh, n_sh))
    df = np.zeros(NUM_FEATURES, np.int64)
    for r in rows:
        df[r[5]] += 1
    vec.df, vec.n_docs = df.astype(np.int32), len(rows)
    vec.newest_day = max(r[1] for r in rows)
    con = sqlite3.connect(db)
    con.execute("PRAGMA synchronous=OFF")
    now = "2026-11-21T00:00:00+00:00"
    stories: dict[int, list] = {}
    batch_docs, batch_entries = [], []

    def flush() -> None:
        con.executemany("INSERT INTO documents (id, content_hash, source, kind, title, outlet, published, language, "
                        "text, lines, agencies, evidence, size_bytes, ingested_at, story_id, duplicate_of) "
                        "VALUES (?, ?, ?, 'jsonl', ?, ?, ?, 'de', ?, '[]', '[]', '{}', 0, ?, NULL, ?)", batch_docs)
        con.executemany("INSERT INTO story_index (document_id, day, data) VALUES (?, ?, ?)", batch_entries)
        batch_docs.clear()
        batch_entries.clear()

    for doc_id, day, story, dup, b, idx, tf, mh, n_sh in rows:
        w = (1.0 + np.log(tf)) * (np.log((1.0 + vec.n_docs) / (1.0 + vec.df[idx])) + 1.0)
        if len(w) > TOP_FEATURES:
            top = np.lexsort((idx, -w))[:TOP_FEATURES]
            idx, w = idx[top], w[top]
        q = np.rint(w * (255.0 / w.max())).astype(np.uint8)
        order = np.argsort(idx[q > 0])
        published = date.fromordinal(day).isoformat()
        title = f"{bases[b][0]} ({story})"
        batch_docs.append((doc_id, hashlib.sha256(str(doc_id).encode()).hexdigest(), f"synthetic/{doc_id}", title,
                           f"outlet{doc_id % 40}.de", published, f"{title}\n{bases[b][1][:300]}", now, dup))
        batch_entries.append((doc_id, day, encode(idx[q > 0][order].astype(np.int32), q[q > 0][order], mh, n_sh,
                                                  Signals.of(Article(doc_id, "", "", None, None,
                                                                     **fake_signals(b, day))))))
        s = stories.setdefault(story, [title, published, published, 0])
        s[1], s[2], s[3] = min(s[1], published), max(s[2], published), s[3] + 1
        if len(batch_docs) >= 5000:
            flush()
    flush()
    con.executemany("INSERT INTO stories (id, title, first_published, last_published, size, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)", [(sid, *v, now) for sid, v in stories.items()])
    con.executemany("UPDATE documents SET story_id = ? WHERE id = ?", [(r[2], r[0]) for r in rows])
    # one quote per article: a sentence of its base text, the same within an event (one statement), a speaker
    said = [[x.strip() for x in text.split(". ") if 40 < len(x.strip()) < 300][:5] or [text[:120]]
            for _, text in bases]
    speakers = ["Heiner Kassel", "Kassel", "ein Sprecher", None, "Birte Sönksen", "die Polizei"]
    quotes, first_quote = [], {}
    for doc_id, _, story, _, b, *_ in rows:
        text = said[b][story % len(said[b])]
        statement = first_quote.setdefault(story, doc_id)
        quotes.append((doc_id, doc_id, text, speakers[story % len(speakers)], statement))
    con.executemany('INSERT INTO quotes (id, document_id, position, start, "end", text, kind, speaker, statement_id) '
                    "VALUES (?, ?, 0, 0, 0, ?, 'indirect', ?, ?)", quotes)
    con.execute("INSERT INTO index_state (key, value) VALUES (?, ?)", (STATE_KEY, vec.to_bytes()))
    con.commit()
    con.execute("ANALYZE")
    entry_bytes, = con.execute("SELECT sum(length(data)) FROM story_index").fetchone()
    state_bytes, = con.execute("SELECT sum(length(value)) FROM index_state").fetchone()
    con.close()
    return {"stored_articles": len(rows), "stories": len(stories), "build_s": round(time.perf_counter() - t0, 1),
            "index_entry_bytes_per_article": round(entry_bytes / len(rows)),
            "index_state_bytes": state_bytes, "db_file_mb": round(db.stat().st_size / 2**20),
            "db_bytes_per_article": round(db.stat().st_size / len(rows))}


def fake_signals(base: int, day: int) -> dict:
    """Entity and lead-day signals for an article of a synthetic story (as stories.index.signals gives them): ten
    names (two of them found everywhere), two in the lead, the publication day."""
    names = [f"name {base} {j}" for j in range(8)] + ["deutschland", "berlin"]
    return {"entities": tuple(names), "key_entities": tuple(names[:2]), "event_days": (day,)}


def new_articles(bases: list[tuple[str, str]], extra: list[tuple[str, str]], n: int, day: int, first_id: int,
                 seed: int = 2):
    """Edited base texts (follow-ups of stored events) and unseen texts, published on ``day``."""
    from pressespiegel.stories.grouping import Article

    rng = random.Random(seed)
    published = date.fromordinal(day).isoformat()
    out = []
    for i in range(n):
        if i % 2 == 0 or not extra:
            b = rng.randrange(len(bases))
            title, text = bases[b]
            sentences = text.split(". ")
            text = ". ".join(s for s in sentences if rng.random() > 0.2) or text
        else:
            b = len(bases) + i
            title, text = extra[i % len(extra)]
        out.append(Article(first_id + i, title, text, published, "neu.de", **fake_signals(b, day)))
    return out


def pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def measure(db: Path, bases, extra, n_add: int) -> dict:
    from pressespiegel.store import open_store
    from pressespiegel.stories.index import MAX_GAP_DAYS, STATE_KEY, StoryIndex, Vectoriser, update

    with open_store(str(db)) as store:
        vec = Vectoriser.from_bytes(store.index_state(STATE_KEY))
        day = vec.newest_day
        t0 = time.perf_counter()
        entries, infos = store.story_window(day - MAX_GAP_DAYS, day + MAX_GAP_DAYS)
        t1 = time.perf_counter()
        index = StoryIndex(vec)
        index.load(entries, infos)
        t2 = time.perf_counter()
        loaded = len(index)
        del entries
        tracemalloc.start()  # the index's own memory: loaded again while traced (numpy arrays are traced)
        traced = StoryIndex(Vectoriser.from_bytes(store.index_state(STATE_KEY)))
        traced.load([], [])
        fixed_bytes = tracemalloc.get_traced_memory()[0]  # document frequencies, lookup tables
        traced.load(*store.story_window(day - MAX_GAP_DAYS, day + MAX_GAP_DAYS))
        index_bytes = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        del traced
        features, placement, placement_cpu = [], [], []
        before = len(index.loaded_stories)
        added = new_articles(bases, extra, n_add, day, 10**8)
        for a in added:
            s0 = time.perf_counter()
            counts = vec.counts([a])
            vec.observe(counts)
            s1, c1 = time.perf_counter(), time.process_time()
            index.add([a], counts)
            s2, c2 = time.perf_counter(), time.process_time()
            features.append((s1 - s0) * 1000)
            placement.append((s2 - s1) * 1000)
            placement_cpu.append((c2 - c1) * 1000)
        story_of = index.story_of()
        joined = sum(story_of[a.id] != a.id for a in added)
        # run's story stage end to end: one new stored article at a time
        import sqlite3

        end_to_end = []
        for k in range(5):
            title, text = bases[k * 7 % len(bases)]
            con = sqlite3.connect(db)
            con.execute("INSERT INTO documents (content_hash, source, kind, title, outlet, published, language, text, "
                        "lines, agencies, evidence, size_bytes, ingested_at) VALUES (?, ?, 'jsonl', ?, 'neu.de', ?, "
                        "'de', ?, '[]', '[]', '{}', 0, '2026-11-21')",
                        (f"new-{k}-{time.time()}", f"new/{k}", title, date.fromordinal(day).isoformat(), text))
            con.execute('INSERT INTO quotes (document_id, position, start, "end", text, kind, speaker) VALUES '
                        "(last_insert_rowid(), 0, 0, 0, ?, 'direct', 'Heiner Kassel')", (text.split(". ")[0],))
            con.commit()
            con.close()
            s0 = time.perf_counter()
            update(store)
            end_to_end.append((time.perf_counter() - s0) * 1000)
    return {
        "window_days": f"±{MAX_GAP_DAYS}", "window_articles_loaded": loaded, "window_stories": before,
        "window_read_s": round(t1 - t0, 2), "window_load_s": round(t2 - t1, 2),
        "index_memory_mb": round(index_bytes / 2**20, 1), "index_fixed_memory_mb": round(fixed_bytes / 2**20, 1),
        "index_memory_bytes_per_loaded_article": round((index_bytes - fixed_bytes) / max(loaded, 1)),
        "added": n_add, "joined_existing_story": joined,
        "features_ms_p50": pct(features, 50), "features_ms_p95": pct(features, 95),
        "placement_ms_p50": pct(placement, 50), "placement_ms_p95": pct(placement, 95),
        "placement_ms_max": pct(placement, 100),
        "placement_cpu_ms_p50": pct(placement_cpu, 50), "placement_cpu_ms_p95": pct(placement_cpu, 95),
        "features_plus_placement_ms_p95": pct([a + b for a, b in zip(features, placement)], 95),
        "run_story_stage_one_article_ms_p50": round(statistics.median(end_to_end)),
        "run_story_stage_one_article_ms_max": round(max(end_to_end)),
    }


def orders(n_orders: int) -> dict:
    """Arrival-order robustness on the story test corpus (one article at a time, shuffled)."""
    from stories import bcubed, load_gold, pairwise

    from pressespiegel.analyse import annotate_all
    from pressespiegel.stories.grouping import group
    from pressespiegel.stories.index import StoryIndex, article_of

    docs, gold = load_gold(ROOT / "tests" / "gold" / "stories_heldout.json")
    articles = [article_of(i, d) for i, d in enumerate(annotate_all(docs))]
    events = [g["event"] for g in gold]
    n = len(articles)
    batch = group(articles).story_of
    batch_labels = [batch[i] for i in range(n)]
    vs_gold, vs_batch, pair = [], [], []
    for seed in range(n_orders):
        order = articles[:]
        random.Random(seed).shuffle(order)
        index = StoryIndex()
        for a in order:
            index.add([a])
        got = index.story_of()
        labels = [got[i] for i in range(n)]
        vs_gold.append(round(bcubed(labels, events)[2], 3))
        pair.append(round(pairwise(labels, events)[2], 3))
        vs_batch.append(round(bcubed(labels, batch_labels)[2], 3))
    return {"corpus": "tests/stories (100 articles, 25 events)", "shuffled_orders": n_orders,
            "publication_order_bcubed_f1": round(bcubed(batch_labels, events)[2], 3),
            "publication_order_pairwise_f1": round(pairwise(batch_labels, events)[2], 3),
            "shuffled_bcubed_f1_vs_gold": vs_gold, "shuffled_pairwise_f1_vs_gold": pair,
            "shuffled_bcubed_f1_vs_publication_order": vs_batch}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--stored", type=int, default=100_000)
    ap.add_argument("--add", type=int, default=300)
    ap.add_argument("--orders", type=int, default=5)
    ap.add_argument("--db", type=Path, default=Path("/tmp/story-index-bench.db"))
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    texts = base_texts(12000)
    split = len(texts) - len(texts) // 5 if len(texts) >= 50 else len(texts)  # a fifth never stored: unseen texts
    bases, extra = texts[:split], texts[split:]
    result = {"base_texts": "10kGNAD" if GNAD.exists() else "tests/stories", "n_base_texts": len(bases)}
    result["store"] = build(args.db, args.stored, bases)
    result["adding"] = measure(args.db, bases, extra, args.add)
    if args.orders:
        result["arrival_order"] = orders(args.orders)
    report(result, args.record, f"Story index: adding one article to {args.stored:,} stored",
           f"python benchmarks/story_index.py --stored {args.stored} --add {args.add} --orders {args.orders} --record",
           "A shared 2-core machine (a training job running at higher priority: wall times vary between runs, "
           "`placement_cpu_*` is the process CPU time). The placement step is what `run` does per new article once "
           "the window is loaded (its max: a rebuild of the inverted index, every 256 new articles); the features "
           "step hashes its n-grams; `run_story_stage` is the story stage of a run that stores one article (window "
           "read from SQLite and loaded, placement, writes, statements). Memory: index entries in the store per "
           "article; the index loaded for the window (fixed part: document frequencies and lookup tables).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
