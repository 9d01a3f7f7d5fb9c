"""Score the extract stage (what `analyze` prints) against gold annotations, on two corpora:

- `examples`: the example corpus (tests/gold/examples), which the rules were developed against;
- `heldout-XX`: tests/heldout/XX_*, invented dumps in layouts written by other authors (one set per author); each
  set was scored once before any rule was tuned on it (those first scores, in BENCHMARKS.md, are the honest
  numbers for unseen layouts), and later sets keep that role;
- `shared`: line labels of the three real dumps in ../shared/examples (tests/gold/shared_examples.json), when
  ../shared is present.

Measured: line labels (body / boilerplate / comment: per-class P/R/F1, macro-F1, accuracy); reader comments
(gold comments found with the right author, reply_to agreement, comment text leaked into the article); metadata
(title, outlet domain, publication date, agency).

    python benchmarks/extraction.py [--record] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from _common import ROOT, SHARED, load_examples, report

from pressespiegel.config import Settings
from pressespiegel.model import Document
from pressespiegel.pipeline import analyze

KINDS = ("body", "boilerplate", "comment")
HELDOUT = ROOT / "tests" / "heldout"
SHARED_GOLD = ROOT / "tests" / "gold" / "shared_examples.json"


def _load_dir(folder: Path, prefix: str = "") -> tuple[list[Document], list[dict]]:
    docs, golds = [], []
    for gold_path in sorted(folder.glob(f"{prefix}*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        (doc,) = [d for d in analyze([str(folder / gold["file"])], Settings()) if isinstance(d, Document)] or [None]
        if doc is None:
            doc = Document(source=gold["file"], content_hash="", kind="text")
        docs.append(doc)
        golds.append(gold)
    return docs, golds


def _load_shared() -> tuple[list[Document], list[dict]]:
    if not SHARED_GOLD.exists() or not (SHARED / "examples").is_dir():
        return [], []
    golds = json.loads(SHARED_GOLD.read_text(encoding="utf-8"))
    docs = [next(d for d in analyze([str(SHARED / "examples" / g["file"])], Settings()) if isinstance(d, Document))
            for g in golds]
    return docs, golds


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def score(docs: list[Document], golds: list[dict], show_errors: bool = False) -> dict:
    confusion: Counter = Counter()
    meta: Counter = Counter()
    n_meta = Counter()
    gold_comments = found = found_author = reply_ok = leaks = 0
    for d, g in zip(docs, golds):
        if g.get("lines"):
            predicted = {x.line: x.kind for x in d.lines}
            for x in g["lines"]:
                p = predicted.get(x["line"], "missing")
                confusion[(x["kind"], p)] += 1
                if show_errors and p != x["kind"]:
                    print(f"  {g['file']}:{x['line']} gold={x['kind']} predicted={p}")
        for key, ok in (("title", d.title == g.get("title")), ("outlet", d.outlet == g.get("domain")),
                        ("published", d.published == g.get("published")),
                        ("agency", (g["agency"] in d.agencies) if g.get("agency") else not d.agencies)):
            if key in g or (key == "outlet" and "domain" in g):
                n_meta[key] += 1
                meta[key] += ok
                if show_errors and not ok:
                    print(f"  {g['file']}: {key} predicted={getattr(d, key if key != 'agency' else 'agencies')!r}")
        for n_q, q in enumerate(g.get("comments", [])):
            gold_comments += 1
            if "text" not in q:  # gold without text (real dumps): compare comments in order
                match = n_q if n_q < len(d.comments) else None
                found += match is not None
                found_author += match is not None and d.comments[match].author == q["author"]
                reply_ok += match is not None and d.comments[match].reply_to == q["reply_to"]
                continue
            words = _norm(q["text"])[:60]
            match = next((i for i, c in enumerate(d.comments) if words and (words in _norm(c.text)
                          or _norm(c.text)[:60] in _norm(q["text"]))), None)
            if match is None:
                if show_errors:
                    print(f"  {g['file']}: comment not found: {q['author']}: {q['text'][:60]!r}")
                continue
            found += 1
            found_author += d.comments[match].author == q["author"]
            gold_target = g["comments"][q["reply_to"]]["text"] if q["reply_to"] is not None else None
            got = d.comments[match].reply_to
            reply_ok += (gold_target is None and got is None) or (
                gold_target is not None and got is not None and got < len(d.comments)
                and _norm(gold_target)[:40] in _norm(d.comments[got].text))
            if show_errors and d.comments[match].author != q["author"]:
                print(f"  {g['file']}: author {d.comments[match].author!r} != {q['author']!r}")
            if len(q["text"]) > 40 and q["text"][-40:] in d.text:
                leaks += 1
    per_class = {}
    for k in KINDS:
        tp = confusion[(k, k)]
        fp = sum(v for (gk, p), v in confusion.items() if p == k and gk != k)
        fn = sum(v for (gk, p), v in confusion.items() if gk == k and p != k)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per_class[k] = {"precision": round(prec, 3), "recall": round(rec, 3),
                        "f1": round(2 * prec * rec / (prec + rec), 3) if prec + rec else 0.0, "gold": tp + fn}
    total = sum(confusion.values())
    return {
        "documents": len(docs), "lines": total,
        "line_macro_f1": round(sum(c["f1"] for c in per_class.values()) / 3, 3) if total else None,
        "line_accuracy": round(sum(confusion[(k, k)] for k in KINDS) / total, 3) if total else None,
        "per_class": per_class,
        "confusion (gold→predicted)": {f"{gk}→{p}": v for (gk, p), v in sorted(confusion.items()) if gk != p},
        "comments": {"gold": gold_comments, "found": found, "found_with_right_author": found_author,
                     "reply_to_right": reply_ok, "leaked_into_article": leaks},
        "metadata_right": {k: f"{meta[k]}/{n_meta[k]}" for k in n_meta},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--only", help="one corpus: examples, shared, heldout-ha, heldout-hb, …")
    args = ap.parse_args()
    corpora = {"examples": load_examples, "shared": _load_shared}
    for prefix in sorted({p.name.split("_")[0] for p in HELDOUT.glob("*.json")}):
        corpora[f"heldout-{prefix}"] = lambda prefix=prefix: _load_dir(HELDOUT, prefix)
    result = {}
    for name, load in corpora.items():
        if args.only and name != args.only:
            continue
        docs, golds = load()
        if docs:
            if args.show_errors:
                print(f"== {name}")
            result[name] = score(docs, golds, args.show_errors)
    report(result, args.record, "Extraction (text dumps, HTML comments, metadata)", "python benchmarks/extraction.py --record")
    return 0


if __name__ == "__main__":
    sys.exit(main())
