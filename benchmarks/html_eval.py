"""Score HTML main-text extraction on ../shared/data/trafilatura-eval-de-dev, against trafilatura in the same run.

For each page, every `with` segment found in the output is a true positive (missing: a false negative) and every
`without` segment found is a false positive (GUIDE section 4). Scored: pressespiegel's `text` (what `analyze`
prints) and trafilatura 2.x with default settings (`trafilatura.extract`). Also times both.

    python benchmarks/html_eval.py [--record] [--limit N] [--show-errors]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time

from _common import SHARED, report

from pressespiegel.extract import ExtractionError, extract
from pressespiegel.ingest.decode import decode
from pressespiegel.ingest.html import declared_charset
from pressespiegel.model import RawDocument

DATA = SHARED / "data" / "trafilatura-eval-de-dev"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def ours(html: str, url: str) -> str:
    try:
        return extract(RawDocument(source=url, kind="html", content=html, is_html=True, url=url)).text
    except ExtractionError:
        return ""


def baseline(html: str, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def score(counts: dict[str, int]) -> dict[str, float]:
    tp, fn, fp = counts["tp"], counts["fn"], counts["fp"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            **counts}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show-errors", action="store_true", help="print the segments each system gets wrong")
    args = ap.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is not available", file=sys.stderr)
        return 0
    data = json.loads((DATA / "evaldata.json").read_text(encoding="utf-8"))
    items = list(data.items())[: args.limit or None]
    systems = {"pressespiegel": ours, "trafilatura": baseline}
    counts = {name: {"tp": 0, "fn": 0, "fp": 0} for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    for url, gold in items:
        raw = gzip.decompress((DATA / gold["gz_file"]).read_bytes())
        html, _ = decode(raw, declared_charset(raw))
        for name, fn in systems.items():
            t = time.perf_counter()
            out = norm(fn(html, url))
            seconds[name] += time.perf_counter() - t
            for seg in gold.get("with", []):
                hit = norm(seg) in out
                counts[name]["tp" if hit else "fn"] += 1
                if args.show_errors and not hit:
                    print(f"[{name}] MISSING {url}: {seg[:90]}")
            for seg in gold.get("without", []):
                if norm(seg) in out:
                    counts[name]["fp"] += 1
                    if args.show_errors:
                        print(f"[{name}] LEAKED  {url}: {seg[:90]}")
    result = {"pages": len(items), **{name: {**score(c), "pages_per_s": round(len(items) / seconds[name], 1)}
                                      for name, c in counts.items()}}
    result["f1_difference"] = round(result["pressespiegel"]["f1"] - result["trafilatura"]["f1"], 4)
    report(result, args.record, "HTML main text, trafilatura-eval-de-dev", "python benchmarks/html_eval.py --record",
               "pressespiegel = the `text` field of `analyze` (trafilatura inside, plus our comment-widget removal "
               "and headline); trafilatura = `trafilatura.extract(html, url=url)` with default settings.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
