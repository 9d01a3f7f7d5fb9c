"""Speed of the extract stage on one core: text dumps per second and HTML pages per second.

Text dumps: the example corpus and held-out dumps (tests/heldout), extracted repeatedly. HTML: the example corpus
pages and, when ../shared is present, the 234 German pages of trafilatura-eval-de-dev (real, often heavy pages).
Median of --repeat runs of the CPU time of this one process (so: per core).

    python benchmarks/extract_speed.py [--repeat 3] [--record]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time

from _common import EXAMPLES, ROOT, SHARED, report

from pressespiegel.extract import clear_caches, extract
from pressespiegel.ingest.decode import decode
from pressespiegel.ingest.html import declared_charset
from pressespiegel.model import RawDocument


def _rate(items: list[RawDocument], repeat: int) -> float:
    times = []
    for _ in range(repeat):  # CPU time of this process: "per core", and steadier than wall time on a shared machine
        clear_caches()  # cold: no line results remembered from the previous run
        t = time.process_time()
        for raw in items:
            extract(raw)
        times.append(time.process_time() - t)
    return round(len(items) / statistics.median(times), 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    dumps = [RawDocument(source=p.name, kind="text", content=p.read_text(encoding="utf-8"))
             for p in sorted(EXAMPLES.glob("*.txt")) + sorted((ROOT / "tests" / "heldout").glob("*.txt"))]
    own_html = [RawDocument(source=p.name, kind="html", content=decode(p.read_bytes(), declared_charset(p.read_bytes()))[0],
                            is_html=True) for p in sorted(EXAMPLES.glob("*.html"))]
    result = {"text_dumps": len(dumps), "text_dumps_per_s": _rate(dumps, args.repeat),
              "example_html_pages": len(own_html), "example_html_pages_per_s": _rate(own_html, args.repeat)}
    data = SHARED / "data" / "trafilatura-eval-de-dev"
    if data.exists():
        pages = []
        for url, gold in json.loads((data / "evaldata.json").read_text(encoding="utf-8")).items():
            raw = gzip.decompress((data / gold["gz_file"]).read_bytes())
            pages.append(RawDocument(source=url, kind="html", content=decode(raw, declared_charset(raw))[0],
                                     is_html=True, url=url))
        result.update({"eval_html_pages": len(pages), "eval_html_mean_kb": round(
            sum(len(p.content) for p in pages) / len(pages) / 1024, 1), "eval_html_pages_per_s": _rate(pages, 1)})
    report(result, args.record, "Extraction speed, one core", "python benchmarks/extract_speed.py --record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
