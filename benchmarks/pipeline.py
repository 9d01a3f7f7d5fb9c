"""Throughput of the local pipeline on the real German articles of 10kGNAD (../shared/data/10kgnad).

Writes the articles as a JSON Lines file (replicated with a small edit per copy to reach --n), then times
`analyze` (ingest + extract + analyse, nothing stored) and `run` (everything, into a fresh SQLite store, including
story grouping), in this process. Reports articles/s, MB/s and peak memory (ru_maxrss). Median of --repeat runs.

    python benchmarks/pipeline.py --n 1000 [--repeat 3] [--record]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import GNAD, gnad_texts, report

from pressespiegel.config import Settings
from pressespiegel.model import Document
from pressespiegel.pipeline import analyze, run
from pressespiegel.store import open_store

CORPUS = GNAD


def write_corpus(n: int, folder: Path) -> tuple[Path, int]:
    texts = gnad_texts()
    path = folder / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            base = texts[i % len(texts)]
            text = base if i < len(texts) else f"{base} (Fassung {i // len(texts)})"  # a small edit per copy
            out.write(json.dumps({"id": f"gnad-{i}", "published": "2016-01-01", "text": text}, ensure_ascii=False)
                      + "\n")
    return path, path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is not available", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path, size = write_corpus(args.n, Path(tmp))
        analyze_s, run_s = [], []
        for r in range(args.repeat):
            t = time.perf_counter()
            n_docs = sum(isinstance(d, Document) for d in analyze([str(path)], Settings()))
            analyze_s.append(time.perf_counter() - t)
            with open_store(str(Path(tmp) / f"run{r}.db")) as store:
                t = time.perf_counter()
                summary = run([str(path)], store, Settings())
                run_s.append(time.perf_counter() - t)
        assert n_docs == args.n and summary.stored == args.n, (n_docs, summary)
    a, w = statistics.median(analyze_s), statistics.median(run_s)
    result = {
        "articles": args.n, "input_mb": round(size / 1e6, 2), "repeats": args.repeat,
        "analyze_articles_per_s": round(args.n / a, 1), "analyze_mb_per_s": round(size / 1e6 / a, 2),
        "run_articles_per_s": round(args.n / w, 1), "run_mb_per_s": round(size / 1e6 / w, 2),
        "run_seconds_median": round(w, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    report(result, args.record, f"Pipeline throughput, 10kGNAD x{args.n}",
           f"python benchmarks/pipeline.py --n {args.n} --record",
           "JSON Lines input (clean text), text-dump segmentation on; `run` includes SQLite writes and story grouping.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
