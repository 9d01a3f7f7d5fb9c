"""Score story grouping and duplicate detection against gold events and agency copies.

B-cubed and pairwise precision/recall/F1 of the story grouping against the gold events, and how many gold agency
copies are found as duplicates (and how many false duplicates appear). Default: the example corpus; with
``--gold tests/gold/stories_heldout.json`` the story test corpus of tests/stories/ (25 events with same-topic
distractors, agency copies), extracted as the pipeline does.

    python benchmarks/stories.py [--record] [--gold FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from _common import ROOT, load_examples, report

from pressespiegel.stories.grouping import Article, group
from pressespiegel.stories.scoring import bcubed, pairwise


def load_gold(path: Path):
    """The documents of a story gold file (extracted only: grouping needs title, text, date and outlet)."""
    from pressespiegel.config import Settings
    from pressespiegel.extract import extract
    from pressespiegel.ingest import read_inputs

    gold = json.loads(path.read_text(encoding="utf-8"))["articles"]
    docs = []
    for g in gold:
        raw = next(iter(read_inputs([str(ROOT / g["file"])], Settings().limits, None)))
        docs.append(extract(raw))
    return docs, gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true")
    ap.add_argument("--text-only", action="store_true", help="without the entity and event-day signals")
    ap.add_argument("--gold", type=Path, help="a story gold file (default: the example corpus gold)")
    args = ap.parse_args()
    docs, golds = load_gold(ROOT / args.gold) if args.gold else load_examples()
    if args.text_only:
        articles = [Article(i, d.title, d.text, d.published, d.outlet) for i, d in enumerate(docs)]
    else:  # analysed, as run places them: with their entities and lead dates
        from pressespiegel.analyse import annotate_all
        from pressespiegel.stories.index import article_of

        articles = [article_of(i, d) for i, d in enumerate(annotate_all(docs))]
    g = group(articles)
    pred = [g.story_of[i] for i in range(len(docs))]
    gold_events = [x["event"] for x in golds]
    p, r, f = bcubed(pred, gold_events)
    pp, pr, pf = pairwise(pred, gold_events)
    files = [x["file"] for x in golds]
    # copies are compared as groups: which of two same-day copies counts as the original does not matter
    gold_root = {i: files.index(x["copy_of"]) for i, x in enumerate(golds) if x.get("copy_of")}
    pred_root = g.duplicate_of
    gold_pairs = set(gold_root.items())
    found = {(c, o) for c, o in gold_pairs if pred_root.get(c, c) == pred_root.get(o, o)}
    false = [(c, o) for c, o in pred_root.items() if gold_root.get(c, c) != gold_root.get(o, o)]
    result = {
        "articles": len(docs), "gold_events": len(set(gold_events)), "predicted_stories": len(set(pred)),
        "bcubed_precision": round(p, 3), "bcubed_recall": round(r, 3), "bcubed_f1": round(f, 3),
        "pairwise_precision": round(pp, 3), "pairwise_recall": round(pr, 3), "pairwise_f1": round(pf, 3),
        "copies_found": f"{len(found)}/{len(gold_pairs)}", "false_copies": len(false),
    }
    name = str(args.gold or "the example corpus")
    if args.text_only:
        name += " (text only: no entity or event-day signals)"
    report(result, args.record, f"Story grouping on {name}",
           "python benchmarks/stories.py" + (f" --gold {args.gold}" if args.gold else "")
           + (" --text-only" if args.text_only else "") + " --record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
