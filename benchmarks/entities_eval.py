"""Score the entities of the whole pipeline on the example corpus against tests/gold/entities_examples.json.

For every gold document (matched by `source`, e.g. "examples/<file>"), `pressespiegel.pipeline.analyze` runs on the
file with the default Settings and its `doc.entities` (start, end, text, label, canonical) are compared with the gold:
span micro-P/R/F1 (exact start, end and label), per-label P/R/F1 over PER, LOC, ORG, OTH, and canonical accuracy
(the share of exactly matched mentions whose `canonical` equals the gold one). Across documents: all documents are
linked by one `analyse.linking.Registry` (as one `analyze` call or one store does) and the entity ids of the exactly
matched mentions are compared with the gold entities (label and canonical name) by B-cubed precision (nothing
over-merged) and recall (variants merged). Run from the repository root.
`--show-errors` lists per document MISSED gold, SPURIOUS predictions and CANONICAL differences.

    python benchmarks/entities_eval.py [--record] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from _common import ROOT, report

GOLD = ROOT / "tests" / "gold" / "entities_examples.json"
LABELS = ("PER", "LOC", "ORG", "OTH")


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def predict(source: str):
    """The analysed Document for ``source`` (a path relative to the repository root), or None."""
    from pressespiegel.config import Settings
    from pressespiegel.model import Document
    from pressespiegel.pipeline import analyze

    docs = [d for d in analyze([source], Settings()) if isinstance(d, Document)]
    for d in docs:
        if d.source == source:
            return d
    return docs[0] if len(docs) == 1 else None


def bcubed(pairs: list[tuple[tuple[str, str], str]]) -> dict[str, float | int]:
    """B-cubed precision/recall/F1 of predicted entity ids against gold entities over the same mentions, and the
    number of gold entities that occur in more than one document's mentions."""
    gold_size, pred_size, both = Counter(g for g, _ in pairs), Counter(p for _, p in pairs), Counter(pairs)
    if not pairs:
        return {}
    precision = sum(both[(g, p)] / pred_size[p] for g, p in pairs) / len(pairs)
    recall = sum(both[(g, p)] / gold_size[g] for g, p in pairs) / len(pairs)
    return {"bcubed_precision": round(precision, 4), "bcubed_recall": round(recall, 4),
            "bcubed_f1": round(2 * precision * recall / (precision + recall), 4),
            "gold_entities": len(gold_size), "predicted_entities": len(pred_size)}


def context(text: str, start: int, end: int, width: int = 30) -> str:
    return (text[max(0, start - width):start] + "[" + text[start:end] + "]" + text[end:end + width]).replace("\n", " ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--show-errors", action="store_true", help="print missed, spurious and canonical errors")
    ap.add_argument("--gold", type=Path, default=GOLD, help="gold file (default: the example corpus gold; "
                    "tests/gold/entities_heldout.json: 20 held-out dumps and the 3 real dumps of ../shared/examples)")
    args = ap.parse_args()
    gold_path = args.gold if args.gold.is_absolute() else ROOT / args.gold
    if not gold_path.is_file():
        warn(f"skipped: {gold_path} does not exist")
        return 0
    gold_docs = [g for g in json.loads(gold_path.read_text(encoding="utf-8"))["documents"]
                 if (ROOT / g["source"]).is_file() or warn(f"skipped {g['source']}: not here")]

    n_gold, n_pred, tp = Counter(), Counter(), Counter()
    matched = canon_ok = bad_offsets = bad_gold = 0
    scored = 0
    from pressespiegel.analyse.linking import Registry

    registry = Registry()
    pairs: list[tuple[tuple[str, str], str]] = []  # (gold entity, predicted id) of every exact match
    for g in gold_docs:
        doc = predict(g["source"])
        if doc is None:
            warn(f"{g['source']}: no document from analyze, skipped")
            continue
        scored += 1
        registry.link(doc)
        text = doc.text
        gold = {}
        for e in g["entities"]:
            if e["text"] is not None and text[e["start"]:e["end"]] != e["text"]:
                bad_gold += 1
                warn(f"{g['source']}: gold {e['start']}-{e['end']} reads {text[e['start']:e['end']]!r}, "
                     f"not {e['text']!r}")
            gold[(e["start"], e["end"], e["label"])] = e
            n_gold[e["label"]] += 1
        pred = {}
        for e in doc.entities:
            if text[e.start:e.end] != e.text:
                bad_offsets += 1
            pred[(e.start, e.end, e.label)] = e
            n_pred[e.label] += 1
        errors = []
        for key, e in gold.items():
            p = pred.get(key)
            if p is None:
                errors.append(f"  MISSED   {e['label']} {context(text, e['start'], e['end'])}")
                continue
            tp[e["label"]] += 1
            matched += 1
            pairs.append(((e["label"], e["canonical"]), p.id))
            if p.canonical == e["canonical"]:
                canon_ok += 1
            else:
                errors.append(f"  CANON    {e['label']} {e['text']!r}: gold {e['canonical']!r} got {p.canonical!r}")
        for key, p in pred.items():
            if key not in gold:
                errors.append(f"  SPURIOUS {p.label} {context(text, p.start, p.end)}")
        if args.show_errors and errors:
            print(f"[{g['source']}]", file=sys.stderr)
            print("\n".join(errors), file=sys.stderr)

    result = {
        "documents": scored,
        "gold": sum(n_gold.values()),
        "predicted": sum(n_pred.values()),
        "micro": prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values())),
        "per_label": {lab: {**prf(tp[lab], n_pred[lab], n_gold[lab]), "gold": n_gold[lab], "predicted": n_pred[lab]}
                      for lab in LABELS},
        "canonical_accuracy": round(canon_ok / matched, 4) if matched else 0.0,
        "exact_matches": matched,
        "across_documents": bcubed(pairs),
    }
    if bad_offsets:
        result["predicted_offsets_not_matching_text"] = bad_offsets
    if bad_gold:
        result["gold_offsets_not_matching_text"] = bad_gold
    name = gold_path.relative_to(ROOT) if gold_path.is_relative_to(ROOT) else gold_path
    report(result, args.record, f"Entities on {name}", f"python benchmarks/entities_eval.py --gold {name} --record",
           f"Gold: {name} ({len(gold_docs)} documents, GermEval 2014 outer level, canonical = fullest name in the "
           "document). Exact span and label; canonical accuracy over the exact matches; entities linked across "
           "documents scored by B-cubed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
