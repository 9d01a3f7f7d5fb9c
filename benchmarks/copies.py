"""Copy detection on generated copies: precision and recall of ``duplicate_of`` (the story index's MinHash/LSH and
shingle containment) for copies made from real articles by word edits, truncation, re-titling and all three.

Base texts: the first ``--n`` articles of 10kGNAD (../shared/data/10kgnad, evaluation only) when it is there, else
the project's own story test corpus and example corpus. A random half of the bases gets one copy each, of a kind
drawn in turn; every other pair of articles is a chance for a false copy (10kGNAD has many articles of one topic
and ressort: the negatives are realistic).

    python benchmarks/copies.py [--n 600] [--seed 0] [--harsh] [--record]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from datetime import date, timedelta

from _common import ROOT, SHARED, report

from pressespiegel.stories.grouping import Article, group

KINDS = ("edits", "truncated", "retitled", "all three")


def bases(n: int) -> tuple[str, list[tuple[str, str]]]:
    """(source name, [(title, body)]) of at least 60 words each."""
    gnad = SHARED / "data" / "10kgnad" / "articles.csv"
    out: list[tuple[str, str]] = []
    if gnad.exists():
        with gnad.open(encoding="utf-8") as fh:
            for row in csv.reader(fh, delimiter=";", quotechar="'"):
                if len(row) < 2 or len(row[1].split()) < 60:
                    continue
                words = row[1].split()
                out.append((" ".join(words[:8]), " ".join(words[8:])))
                if len(out) >= n:
                    break
        return "10kGNAD", out
    gold = json.loads((ROOT / "tests" / "gold" / "stories_heldout.json").read_text(encoding="utf-8"))["articles"]
    files = [ROOT / g["file"] for g in gold if not g.get("copy_of")] + sorted((ROOT / "examples").glob("*.txt"))
    for f in files[:n]:
        lines = [x.strip() for x in f.read_text(encoding="utf-8").splitlines() if len(x.split()) > 3]
        if lines and sum(len(x.split()) for x in lines[1:]) >= 60:
            out.append((lines[0], "\n".join(lines[1:])))
    return "project corpus", out


def edited(body: str, rng: random.Random, rate: float = 0.05) -> str:
    """``rate`` of the words changed (replaced by another of the text's, dropped or doubled) and one sentence
    dropped."""
    sentences = re.split(r"(?<=[.!?])\s+", body)
    if len(sentences) > 3:
        del sentences[rng.randrange(1, len(sentences))]
    words = " ".join(sentences).split()
    for _ in range(max(1, int(len(words) * rate))):
        i = rng.randrange(len(words))
        op = rng.random()
        if op < 0.4:
            words[i] = words[rng.randrange(len(words))]
        elif op < 0.7 and len(words) > 10:
            del words[i]
        else:
            words.insert(i, words[i])
    return " ".join(words)


def truncated(body: str, rng: random.Random, keep: tuple[float, float] = (0.5, 0.8)) -> str:
    """The first 50-80 % of the text (at least 50 words): the short version of an agency report."""
    words = body.split()
    return " ".join(words[:max(50, int(len(words) * rng.uniform(*keep)))])


def retitled(title: str, rng: random.Random) -> str:
    return rng.choice(("Überblick:", "Kurz gemeldet:", "Neu:", "Aktuell:")) + " " + " ".join(
        rng.sample(title.split(), len(title.split())))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--harsh", action="store_true", help="15 %% word edits, truncation to 25-50 %%")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    source, base = bases(args.n)
    day0 = date(2026, 3, 1)
    articles: list[Article] = []
    truth: dict[int, int] = {}  # copy id -> base id
    kind_of: dict[int, str] = {}
    for i, (title, body) in enumerate(base):
        articles.append(Article(i, title, f"{title}\n{body}", (day0 + timedelta(days=i % 20)).isoformat(), "A"))
    chosen = rng.sample(range(len(base)), len(base) // 2)
    for n, i in enumerate(chosen):
        title, body = base[i]
        kind = KINDS[n % len(KINDS)]
        new_title, new_body = title, body
        if kind in ("edits", "all three"):
            new_body = edited(new_body, rng, 0.15 if args.harsh else 0.05)
        if kind in ("truncated", "all three"):
            new_body = truncated(new_body, rng, (0.25, 0.5) if args.harsh else (0.5, 0.8))
        if kind in ("retitled", "all three"):
            new_title = retitled(title, rng)
        cid = len(articles)
        articles.append(Article(cid, new_title, f"{new_title}\n{new_body}",
                                (day0 + timedelta(days=i % 20 + rng.choice((0, 0, 1)))).isoformat(), "B"))
        truth[cid], kind_of[cid] = i, kind
    dup = group(articles).duplicate_of  # copy -> the earliest article of its group

    def root(a: int) -> int:
        return truth.get(a, a)

    predicted = {(a, b) for a, b in dup.items()}
    true_links = sum(root(a) == root(b) for a, b in predicted)
    found = {kind: 0 for kind in KINDS}
    for cid, i in truth.items():
        if dup.get(cid, cid) == dup.get(i, i):
            found[kind_of[cid]] += 1
    per_kind = {kind: f"{found[kind]}/{sum(1 for k in kind_of.values() if k == kind)}" for kind in KINDS}
    recall = sum(found.values()) / max(1, len(truth))
    precision = true_links / max(1, len(predicted))
    result = {"base_texts": source, "articles": len(articles), "generated_copies": len(truth),
              "predicted_copy_links": len(predicted), "precision": round(precision, 4), "recall": round(recall, 4),
              "f1": round(2 * precision * recall / max(1e-9, precision + recall), 4),
              "false_copy_links": len(predicted) - true_links, "found_by_kind": per_kind}
    report(result, args.record, f"Copy detection on generated copies ({source})",
           "python benchmarks/copies.py" + (f" --n {args.n}" if args.n != 600 else "") + (" --harsh" if args.harsh
                                                                                          else ""),
           "Copies of a random half of the base texts: word edits (5 %, --harsh 15 %) and a dropped sentence, "
           "truncation to 50-80 % (--harsh 25-50 %), a new headline, or all three.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
