"""Score text-dump segmentation (line labels) and comment splitting against the example corpus gold.

Gold: tests/gold/examples/*.json with `lines` (every non-blank line of a .txt dump labelled body / boilerplate /
comment) and `comments`. Prints per-class precision/recall/F1, line accuracy, and comment-count agreement.

    python benchmarks/textdump.py [--record]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from _common import EXAMPLES, GOLD, record

from pressespiegel.extract.textdump import segment

KINDS = ("body", "boilerplate", "comment")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    args = ap.parse_args()
    confusion: Counter = Counter()
    n_docs = exact_comment_counts = 0
    comment_abs_err = 0
    for gold_path in sorted(GOLD.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold.get("lines"):
            continue
        text = (EXAMPLES / gold["file"]).read_text(encoding="utf-8")
        seg = segment(text)
        predicted = {x.line: x.kind for x in seg.labels}
        for g in gold["lines"]:
            confusion[(g["kind"], predicted.get(g["line"], "missing"))] += 1
        n_docs += 1
        exact_comment_counts += len(seg.comments) == len(gold["comments"])
        comment_abs_err += abs(len(seg.comments) - len(gold["comments"]))
    per_class = {}
    for k in KINDS:
        tp = confusion[(k, k)]
        fp = sum(v for (g, p), v in confusion.items() if p == k and g != k)
        fn = sum(v for (g, p), v in confusion.items() if g == k and p != k)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per_class[k] = {"precision": round(prec, 3), "recall": round(rec, 3),
                        "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0, "gold": tp + fn}
    total = sum(confusion.values())
    result = {
        "documents": n_docs, "lines": total,
        "line_accuracy": round(sum(confusion[(k, k)] for k in KINDS) / total, 3) if total else 0.0,
        "per_class": per_class,
        "comment_count_exact": f"{exact_comment_counts}/{n_docs}",
        "comment_count_mean_abs_error": round(comment_abs_err / n_docs, 2) if n_docs else 0.0,
        "confusion (gold→predicted)": {f"{g}→{p}": v for (g, p), v in sorted(confusion.items()) if g != p},
    }
    if args.record:
        record("Text-dump segmentation on the example corpus", "python benchmarks/textdump.py --record", result)
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
