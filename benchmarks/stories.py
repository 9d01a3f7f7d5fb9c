"""Score story grouping and duplicate detection against the example corpus gold (event ids, agency copies).

B-cubed precision/recall/F1 of the story grouping against the gold events, and how many gold agency copies are
found as duplicates (and how many false duplicates appear).

    python benchmarks/stories.py [--record]
"""

from __future__ import annotations

import argparse
import sys

from _common import load_examples, report

from pressespiegel.stories.grouping import Article, group


def bcubed(pred: list[int], gold: list[str]) -> tuple[float, float, float]:
    n = len(pred)
    p = r = 0.0
    for i in range(n):
        same_pred = {j for j in range(n) if pred[j] == pred[i]}
        same_gold = {j for j in range(n) if gold[j] == gold[i]}
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / n, r / n
    return p, r, 2 * p * r / (p + r)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    docs, golds = load_examples()
    articles = [Article(i, d.title, d.text, d.published, d.outlet) for i, d in enumerate(docs)]
    g = group(articles)
    pred = [g.story_of[i] for i in range(len(docs))]
    gold_events = [x["event"] for x in golds]
    p, r, f = bcubed(pred, gold_events)
    files = [x["file"] for x in golds]
    gold_copies = {(i, files.index(x["copy_of"])) for i, x in enumerate(golds) if x.get("copy_of")}
    found = {tuple(sorted(pair)) for pair in g.duplicate_of.items()}
    gold_pairs = {tuple(sorted(pair)) for pair in gold_copies}
    result = {
        "articles": len(docs), "gold_events": len(set(gold_events)), "predicted_stories": len(set(pred)),
        "bcubed_precision": round(p, 3), "bcubed_recall": round(r, 3), "bcubed_f1": round(f, 3),
        "copies_found": f"{len(found & gold_pairs)}/{len(gold_pairs)}", "false_copies": len(found - gold_pairs),
    }
    report(result, args.record, "Story grouping on the example corpus", "python benchmarks/stories.py --record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
