"""Page render times of the web app (pressespiegel serve) on a store of 100,000 articles.

The store: the example corpus run through the real pipeline once, then replicated row by row in SQL until it holds
``--articles`` articles — each copy with a small edit (a line added to the text, the title numbered), its
publication date moved back by up to two years, its own content hash, and its own stories and statements (each
replica of the corpus is one more batch of stories), with all its comments, entities, quotes, time expressions and
figures. The FTS index fills through the store's own triggers. Entities keep their ids, so the corpus' people are
named in tens of thousands of articles (a hard case for the entity page).

Each page is requested ``--repeat`` times through the ASGI app in process (FastAPI's TestClient: routing, queries,
templates, no network) after one warm-up request; reported: median and 95th percentile in milliseconds.
Target: story overview and search under 200 ms.

    python benchmarks/web.py [--articles 100000] [--repeat 30] [--db /tmp/web-bench.db] [--record]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

from _common import ROOT, report

CHILDREN = {  # table -> columns besides id and document_id
    "comments": ["position", "author", "reply_to", "posted", "text"],
    "entities": ["position", "start", "end", "text", "label", "canonical", "entity_id", "role", "geonames_id",
                 "kb_id"],
    "nominals": ["position", "start", "end", "text", "canonical", "entity_id"],
    "timexes": ["position", "start", "end", "text", "type", "value"],
    "figures": ["position", "start", "end", "text", "value", "unit", "qualifier"],
}
DOC_COLUMNS = ["source", "kind", "path", "url", "title", "outlet", "published", "language", "text", "lines", "agencies",
               "evidence", "encoding", "size_bytes", "ingested_at", "fetched_at"]


def build(db: Path, articles: int) -> dict:
    """The example corpus through the pipeline, then replicated in SQL up to ``articles`` documents."""
    import sqlite3

    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    t0 = time.perf_counter()
    with open_store(str(db)) as store:
        run([str(ROOT / "examples")], store, Settings())
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    base_docs = con.execute("SELECT count(*), max(id) FROM documents").fetchone()
    n_base, max_id = base_docs
    max_story = con.execute("SELECT max(id) FROM stories").fetchone()[0]
    max_quote = con.execute("SELECT max(id) FROM quotes").fetchone()[0]
    copies = math.ceil(articles / n_base) - 1
    cols = ", ".join(f'"{c}"' for c in DOC_COLUMNS)
    for k in range(1, copies + 1):
        left = articles - n_base * k
        if left <= 0:
            break
        shift = f"-{k % 730} days"
        doc_off, story_off, quote_off = k * max_id, k * max_story, k * max_quote
        con.execute("""INSERT INTO stories (id, title, first_published, last_published, size, updated_at)
            SELECT id + :so, title, date(first_published, :shift), date(last_published, :shift), size, updated_at
            FROM stories WHERE id <= :ms""", {"so": story_off, "shift": shift, "ms": max_story})
        con.execute(f"""INSERT INTO documents (id, content_hash, {cols}, duplicate_of, story_id)
            SELECT id + :do, content_hash || '-' || :k,
                   source || '#' || :k, kind, path, url, title || ' (' || :k || ')', outlet,
                   date(published, :shift), language, text || char(10) || 'Ausgabe ' || :k || '.', lines, agencies,
                   evidence, encoding, size_bytes, ingested_at, fetched_at,
                   duplicate_of + :do, story_id + :so
            FROM documents WHERE id <= :md ORDER BY id LIMIT :left""",
                    {"do": doc_off, "k": k, "shift": shift, "so": story_off, "md": max_id, "left": left})
        for table, columns in CHILDREN.items():
            c = ", ".join(f'"{x}"' for x in columns)
            con.execute(f"""INSERT INTO {table} (document_id, {c}) SELECT document_id + :do, {c} FROM {table}
                WHERE document_id <= :md AND document_id + :do IN (SELECT id FROM documents WHERE id > :do)""",
                        {"do": doc_off, "md": max_id})
        qc = '"position", "start", "end", "text", "kind", "speaker", "speaker_start", "speaker_end", "cue"'
        con.execute(f"""INSERT INTO quotes (id, document_id, {qc}, statement_id)
            SELECT id + :qo, document_id + :do, {qc}, statement_id + :qo FROM quotes
            WHERE id <= :mq AND document_id + :do IN (SELECT id FROM documents WHERE id > :do)""",
                    {"qo": quote_off, "do": doc_off, "mq": max_quote})
        if k % 200 == 0:
            con.commit()
            print(f"  {n_base * (k + 1):,} articles", file=sys.stderr)
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("documents", "stories", "quotes", "entities", "comments")}
    con.close()
    counts["build_s"] = round(time.perf_counter() - t0, 1)
    counts["db_mb"] = round(db.stat().st_size / 2**20)
    return counts


def measure(db: Path, repeat: int) -> dict:
    from fastapi.testclient import TestClient

    from pressespiegel.web import create_app

    app = create_app(str(db))
    client = TestClient(app)
    reader = app.state.reader
    story = reader.stories(limit=1)[1][0]["id"]  # one of the largest (7 articles, 5 outlets, a figure conflict)
    entity = reader.find_entity("Heiner Kassel")["id"]
    rare = reader.find_entity("Birte Sönksen")["id"]
    article = reader.story_articles(story)[0]["id"]
    pages = {
        "overview": "/",
        "overview, outlet filter": "/?outlet=rheinkurier.de",
        "overview, date range": "/?date_from=2026-06-01&date_to=2026-06-07",
        "overview, entity filter": f"/?entity={entity}",
        "overview, page 50": "/?page=50",
        "story page": f"/stories/{story}",
        "article page": f"/articles/{article}",
        "article comments tab": f"/articles/{article}?tab=comments",
        "search, 2 common words": "/search?q=Deich+Auenbach",
        "search, 1 common word": "/search?q=Menschen",
        "search, rare word": "/search?q=Sandsäcken",
        "search, common word + outlet": "/search?q=Menschen&outlet=rheinkurier.de",
        "search by date": "/search?q=Deich&sort=date",
        "quote search": "/quotes?q=Deich",
        "entity page (in ~17k articles)": f"/entities/{entity}",
        "entity page (rare)": f"/entities/{rare}",
        "api stories": "/api/stories?limit=20",
        "api search": "/api/search?q=Deich+Auenbach",
        "api article": f"/api/articles/{article}",
    }
    for url in pages.values():  # warm-up, and every page must work
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:300])
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(repeat):  # round robin: a burst of load on the shared machine hits every page alike
        for name, url in pages.items():
            t = time.perf_counter()
            client.get(url)
            times[name].append((time.perf_counter() - t) * 1000)
    out = {}
    for name, url in pages.items():
        ts = sorted(times[name])
        out[name] = {"median_ms": round(statistics.median(ts), 1),
                     "p95_ms": round(ts[min(len(ts) - 1, math.ceil(0.95 * len(ts)) - 1)], 1), "url": url}
        print(f"{name:34s} {out[name]['median_ms']:8.1f} {out[name]['p95_ms']:8.1f}  {url}", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--db", type=Path, default=Path("/tmp/pressespiegel-web-bench.db"))
    ap.add_argument("--reuse", action="store_true", help="Measure an existing --db instead of building it.")
    ap.add_argument("--record", action="store_true", help="Append the result to BENCHMARKS.md.")
    args = ap.parse_args()
    store = {"reused": str(args.db)} if args.reuse else build(args.db, args.articles)
    print(f"store: {store}", file=sys.stderr)
    load_before = os.getloadavg()[0]
    pages = measure(args.db, args.repeat)
    headline = ("overview", "search, 2 common words", "search, 1 common word", "search, rare word")
    result = {"store": store, "repeat": args.repeat, "pages": pages,
              "overview_and_search_median_under_200ms": all(pages[k]["median_ms"] < 200 for k in headline),
              "load_average_before_after": [round(load_before, 2), round(os.getloadavg()[0], 2)],
              "cores": os.cpu_count()}
    report(result, args.record, "Web app: page render times on a large store",
           f"python benchmarks/web.py --articles {args.articles} --repeat {args.repeat}" + (" --reuse" if args.reuse
                                                                                             else ""),
           "In-process requests (TestClient), one client at a time, pages in round robin, warm caches; median and "
           "p95 in ms. The machine is shared (see the load average): p95 mostly measures the neighbours.")


if __name__ == "__main__":
    main()
