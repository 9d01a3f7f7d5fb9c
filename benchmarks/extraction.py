"""Score the extract stage against the example corpus gold (tests/gold/examples/*.json).

- text dumps: every non-blank line labelled body / boilerplate / comment (per-class P/R/F1, line accuracy);
- reader comments of every document (dumps, HTML): count, and author / reply_to agreement where counts match;
  comment text that leaks into the article text;
- metadata: title, outlet (domain), publication date, agency.

    python benchmarks/extraction.py [--record]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

from _common import EXAMPLES, GOLD, load_examples, record

from pressespiegel.extract.textdump import segment

KINDS = ("body", "boilerplate", "comment")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    args = ap.parse_args()
    confusion: Counter = Counter()
    n_docs = exact_comment_counts = 0
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
    docs, golds = load_examples()
    meta = {"title": 0, "outlet": 0, "published": 0, "agency": 0}
    c_docs = c_exact = c_fields = c_fields_ok = leaks = 0
    for d, g in zip(docs, golds):
        meta["title"] += d.title == g["title"]
        meta["outlet"] += d.outlet == g["domain"]
        meta["published"] += d.published == g["published"]
        meta["agency"] += (g["agency"] in d.agencies) if g.get("agency") else not d.agencies
        if g["comments"] or d.comments:
            c_docs += 1
            c_exact += len(d.comments) == len(g["comments"])
            if len(d.comments) == len(g["comments"]):
                for p, q in zip(d.comments, g["comments"]):
                    c_fields += 2
                    c_fields_ok += (p.author == q["author"]) + (p.reply_to == q["reply_to"])
        # a comment's own words (not an article sentence it quotes) found in the article text
        leaks += sum(1 for q in g["comments"] if len(q["text"]) > 40 and q["text"][-40:] in d.text)
    result = {
        "text_dumps": n_docs, "lines": total,
        "line_accuracy": round(sum(confusion[(k, k)] for k in KINDS) / total, 3) if total else 0.0,
        "per_class": per_class,
        "dump_comment_count_exact": f"{exact_comment_counts}/{n_docs}",
        "confusion (gold→predicted)": {f"{g}→{p}": v for (g, p), v in sorted(confusion.items()) if g != p},
        "all_documents": len(docs),
        "comments_count_exact": f"{c_exact}/{c_docs}",
        "comments_author_and_reply_to_agree": round(c_fields_ok / c_fields, 3) if c_fields else None,
        "comment_texts_leaked_into_article": leaks,
        "metadata_accuracy": {k: f"{v}/{len(docs)}" for k, v in meta.items()},
    }
    if args.record:
        record("Extraction on the example corpus", "python benchmarks/extraction.py --record", result)
    else:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
