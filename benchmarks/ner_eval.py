"""Score the named-entity tagger (pressespiegel.analyse.ner) on GermEval 2014 dev, outer level.

`--model FILE` scores another model file: a `.npz` network (ner_nn) or a `.crfsuite` CRF.

Span micro-P/R/F1 and per-type F1 over PER, LOC, ORG, OTH (exact start, end and type). Following GUIDE section 4,
gold `deriv`/`part` spans ("deutsche", "EU-Kommission") are neither required nor counted as errors: they are left
out of the gold, and a predicted span that overlaps one is ignored (neither TP nor FP). Scored on all of dev and on
the news-only subset (sentences whose `#` source URL is not on wikipedia.org).
Speed: tokens per CPU second of `tag_tokens` over dev, sentence by sentence, and of `tag_sentences` (all of dev in
one call, batched) (median of 3 runs each; run with OMP_NUM_THREADS=1 for one core), and the time of a cold model
load (in a fresh interpreter). Skips cleanly (message on stderr, exit 0) when ../shared is absent.

    python benchmarks/ner_eval.py [--record] [--dev FILE] [--model FILE] [--show-errors N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, SHARED, report

DEV = SHARED / "data" / "germeval2014-ner" / "NER-de-dev.tsv"
TYPES = ("PER", "LOC", "ORG", "OTH")
RUNS = 3


def read_germeval(path: Path) -> list[tuple[str, list[str], list[str]]]:
    """(source URL or "", tokens, outer tags as written — subtypes kept) per sentence of a GermEval TSV file.

    Takes both the 4-column dev/test format (`index token outer embedded`, `#` lines) and the 2-column
    `token tag` format of the train copy."""
    out, url, toks, tags = [], "", [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\r\n")
            if line.startswith("#"):
                parts = line.split("\t")
                url = parts[1] if len(parts) > 1 else ""
                continue
            if not line.strip():
                if toks:
                    out.append((url, toks, tags))
                url, toks, tags = "", [], []
                continue
            cols = line.split("\t")
            if len(cols) >= 3:
                toks.append(cols[1])
                tags.append(cols[2])
            else:
                toks.append(cols[0])
                tags.append(cols[1])
    if toks:
        out.append((url, toks, tags))
    return out


def gold_spans(tags: list[str]) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """(scored gold spans over the four base types, ignored deriv/part spans as (start, end))."""
    from pressespiegel.analyse.ner import spans

    scored, ignored = [], []
    for start, end, kind in spans(tags):
        if kind in TYPES:
            scored.append((start, end, kind))
        else:
            ignored.append((start, end))
    return scored, ignored


def score(gold: list[list[str]], pred: list[list[str]]) -> dict:
    """Span micro-P/R/F1 and per-type P/R/F1 with the deriv/part rule; gold tags may carry subtypes."""
    from pressespiegel.analyse.ner import spans

    tp, fp, fn = Counter(), Counter(), Counter()
    for g_tags, p_tags in zip(gold, pred):
        g, ignored = gold_spans(g_tags)
        gset = set(g)
        for s, e, k in spans(p_tags):
            if (s, e, k) in gset:
                tp[k] += 1
            elif any(s < ie and is_ < e for is_, ie in ignored):
                continue
            else:
                fp[k] += 1
        pset = set(spans(p_tags))
        for span in g:
            if span not in pset:
                fn[span[2]] += 1

    def prf(t: int, p: int, n: int) -> dict:
        precision = t / (t + p) if t + p else 0.0
        recall = t / (t + n) if t + n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"p": round(precision, 4), "r": round(recall, 4), "f1": round(f1, 4), "tp": t, "fp": p, "fn": n}

    result = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    result["per_type"] = {k: prf(tp[k], fp[k], fn[k]) for k in TYPES}
    return result


def is_news(url: str) -> bool:
    return "wikipedia.org" not in url


def evaluate(sentences, tag) -> dict:
    """Scores on all sentences and on the news-only subset, ``tag`` mapping tokens to BIO tags."""
    preds = [tag(toks) for _, toks, _ in sentences]
    golds = [tags for _, _, tags in sentences]
    news = [i for i, (url, _, _) in enumerate(sentences) if is_news(url)]
    return {"all": score(golds, preds),
            "news_only": {"sentences": len(news), **score([golds[i] for i in news], [preds[i] for i in news])},
            "_preds": preds}


def speed(sentences, tag) -> float:
    """Tokens per CPU second of ``tag`` over the sentences, median of RUNS runs."""
    n = sum(len(toks) for _, toks, _ in sentences)
    rates = []
    for _ in range(RUNS):
        t0 = time.process_time()
        for _, toks, _ in sentences:
            tag(toks)
        rates.append(n / (time.process_time() - t0))
    return statistics.median(rates)


def speed_batched(sentences, tag_many) -> float:
    """Tokens per CPU second of ``tag_many`` (all sentences in one call), median of RUNS runs."""
    n = sum(len(toks) for _, toks, _ in sentences)
    rates = []
    for _ in range(RUNS):
        t0 = time.process_time()
        tag_many([toks for _, toks, _ in sentences])
        rates.append(n / (time.process_time() - t0))
    return statistics.median(rates)


def load_time(model: str | None) -> float:
    """Seconds to import the module and load the model in a fresh interpreter (median of 3)."""
    code = ("import time; t=time.perf_counter(); from pressespiegel.analyse import ner; "
            + (f"ner.model_path=lambda: {model!r}; " if model else "")
            + "ner.load_model(); print(time.perf_counter()-t)")
    times = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  cwd=ROOT).stdout) for _ in range(3)]
    return statistics.median(times)


def show_errors(sentences, preds, limit: int) -> None:
    from pressespiegel.analyse.ner import spans

    def fmt(toks: list[str], found) -> str:
        return ", ".join(f"{' '.join(toks[s:e])}/{k}" for s, e, k in sorted(found))

    shown = 0
    for (_, toks, tags), pred in zip(sentences, preds):
        g, _ = gold_spans(tags)
        p = set(spans(pred))
        if set(g) != p and shown < limit:
            shown += 1
            print(f"- {' '.join(toks)}\n  gold: {fmt(toks, g)}\n  pred: {fmt(toks, p)}", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--dev", type=Path, default=DEV)
    ap.add_argument("--model", help="score this model file instead of the shipped one")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N sentences with errors")
    args = ap.parse_args()
    if not args.dev.is_file():
        print(f"ner_eval: {args.dev} not found (../shared absent?): skipped", file=sys.stderr)
        return
    from pressespiegel.analyse import ner

    if args.model:
        ner.model_path = lambda: Path(args.model)
    load = load_time(args.model)
    sentences = read_germeval(args.dev)
    result = evaluate(sentences, ner.tag_tokens)
    preds = result.pop("_preds")
    model = Path(args.model) if args.model else Path(str(ner.model_path()))
    result.update({"sentences": len(sentences), "tokens": sum(len(t) for _, t, _ in sentences),
                   "tokens_per_cpu_s": round(speed(sentences, ner.tag_tokens)),
                   "tokens_per_cpu_s_batched": round(speed_batched(sentences, ner.tag_sentences)),
                   "model_load_s": round(load, 3), "model_mb": round(model.stat().st_size / 1e6, 2)})
    if model.suffix == ".npz":
        import numpy as np

        with np.load(model) as arrays:
            if "trained_on_dev" in arrays.files:  # scripts/train_ner_nn.py --with-dev
                result = {"dev_is_held_out": False,
                          "note": "this model was trained on GermEval dev too: its dev score is no estimate of "
                                  "unseen text (see the model card for the held-out score of its recipe)", **result}
    if args.show_errors:
        show_errors(sentences, preds, args.show_errors)
    report(result, args.record, "NER: GermEval 2014 dev, outer span F1 (deriv/part ignored)",
           "python benchmarks/ner_eval.py" + (f" --model {args.model}" if args.model else "")
           + (" --record" if args.record else ""),
           f"model {model.name}; speed = tag_tokens per sentence / tag_sentences batched (incl. feature extraction).")


if __name__ == "__main__":
    main()
