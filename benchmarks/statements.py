"""Time statement matching (pressespiegel.stories.statements.cluster) from 1,000 to 100,000 quotes.

Quotes: those the analysis finds in the example corpus (about 450), replicated with small edits to reach volume —
a word dropped or repeated, the speaker written with or without first name or unknown, a publication date spread
over a year — and as many new "statements" made by mixing the words of two quotes, so that most quotes are not
copies. Reported: seconds and microseconds per quote at each size (median of 3 runs, one core), the growth of the
per-quote time from the smallest to the largest size (1.0 = linear), statements found, peak memory.

    python benchmarks/statements.py [--record] [--sizes 1000 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta

from _common import ROOT, report


def base_quotes() -> list[tuple[str, str | None]]:
    from pressespiegel.config import Settings
    from pressespiegel.model import Document
    from pressespiegel.pipeline import analyze

    out = []
    for doc in analyze([str(ROOT / "examples")], Settings()):
        if isinstance(doc, Document):
            out.extend((q.text, q.speaker) for q in doc.quotes if len(q.text.split()) >= 4)
    return out


def synthesise(base: list[tuple[str, str | None]], n: int, seed: int = 7):
    from pressespiegel.stories.statements import QuoteRef

    rng = random.Random(seed)
    start = date(2026, 1, 1)
    quotes = []
    for i in range(n):
        text, speaker = rng.choice(base)
        words = text.split()
        if rng.random() < 0.5:  # a new statement: the words of two quotes mixed
            other = rng.choice(base)[0].split()
            words = words[: len(words) // 2] + other[len(other) // 2:] + [str(rng.randrange(10**6))]
            speaker = rng.choice(base)[1]
        elif len(words) > 4:  # a copy, cut or edited
            k = rng.randrange(len(words))
            words = words[:k] + words[k + 1:] if rng.random() < 0.5 else words[:k] + [words[k]] + words[k:]
        if speaker and rng.random() < 0.3:
            speaker = speaker.split()[-1] if rng.random() < 0.7 else None
        quotes.append(QuoteRef(i, " ".join(words), speaker,
                               (start + timedelta(days=rng.randrange(365))).isoformat()))
    return quotes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    args = ap.parse_args()
    from pressespiegel.stories.statements import cluster

    base = base_quotes()
    rows = []
    for n in args.sizes:
        quotes = synthesise(base, n)
        times = []
        for _ in range(3 if n <= 10000 else 1):
            t0 = time.process_time()
            result = cluster(quotes)
            times.append(time.process_time() - t0)
        tracemalloc.start()
        cluster(quotes[: min(n, 20000)])
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        seconds = statistics.median(times)
        rows.append({"quotes": n, "seconds": round(seconds, 2), "us_per_quote": round(seconds / n * 1e6, 1),
                     "statements": len(set(result.values())),
                     "peak_mb_at_min_n_20000": round(peak / 1e6, 1)})
        print(rows[-1], file=sys.stderr)
    result = {"base_quotes": len(base), "runs": rows,
              "per_quote_growth": round(rows[-1]["us_per_quote"] / rows[0]["us_per_quote"], 2)}
    report(result, args.record, "Statement matching across articles", "python benchmarks/statements.py --record",
           "Quotes of the example corpus replicated with edits (half of them new mixtures); one core.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
