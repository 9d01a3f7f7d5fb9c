"""Train the CRF named-entity tagger shipped as src/pressespiegel/analyse/models/ner-crf.crfsuite.

Data: GermEval 2014 train (CC BY 4.0), outer-level tags; `deriv`/`part` spans ("deutsche", "EU-Kommission") are not
entities for pressespiegel: by default they are trained as one extra label SUB, which the tagger maps to O
(`--subtypes drop` maps them to O for training too; `keep` keeps the 8 labels). Optional extra CC BY training sets
from ../shared/data (`--extra mobie newseye`; types mapped to PER/LOC/ORG, the rest to O) — they lowered dev F1, so
the shipped model does not use them. Dev (GermEval 2014 dev) is used for the score printed at the end only.
L-BFGS with fixed parameters: the run is deterministic. The defaults are the shipped model's settings
(about 5 minutes on one core).

    python scripts/train_ner.py [--data-dir ../shared/data] [--c1 0.003] [--c2 0.003] [--iterations 300]
                                [--subtypes merge] [--extra mobie newseye] [--out MODEL]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import pycrfsuite  # noqa: E402
from ner_eval import evaluate, read_germeval  # noqa: E402

from pressespiegel.analyse import ner  # noqa: E402
from pressespiegel.analyse.ner_features import sentence_features  # noqa: E402

MODEL = ROOT / "src" / "pressespiegel" / "analyse" / "models" / "ner-crf.crfsuite"
BASE = {"PER", "LOC", "ORG", "OTH"}


def outer(tag: str, subtypes: str = "drop") -> str:
    """GermEval outer tag → training tag: the four base types kept; deriv/part spans → O ("drop"), → one extra
    label SUB ("merge") or kept as labels of their own ("keep"). The tagger maps every non-base label to O."""
    if tag == "O" or tag[2:] in BASE:
        return tag
    if subtypes == "merge":
        return tag[:2] + "SUB"
    return tag if subtypes == "keep" else "O"


def read_mobie(folder: Path) -> list[tuple[list[str], list[str]]]:
    """MobIE CoNLL (token POS chunk NER): person → PER, location* → LOC, organization* → ORG, rest → O."""
    out = []
    for name in ("train.conll2003", "dev.conll2003", "test.conll2003"):
        toks, tags = [], []
        for line in (folder / name).read_text(encoding="utf-8").splitlines() + [""]:
            if line.startswith("-DOCSTART-"):
                continue
            cols = line.split("\t")
            if len(cols) < 4:
                if toks:
                    out.append((toks, tags))
                toks, tags = [], []
                continue
            tag = cols[3]
            kind = tag[2:].split("-")[0]
            mapped = {"person": "PER", "location": "LOC", "organization": "ORG"}.get(kind)
            toks.append(cols[0])
            tags.append(tag[:2] + mapped if mapped and tag[:2] in ("B-", "I-") else "O")
    return out


def read_newseye(folder: Path) -> list[tuple[list[str], list[str]]]:
    """NewsEye HIPE TSV: coarse literal PER/LOC/ORG kept, HumanProd → O; sentences end at EndOfSentence."""
    out = []
    for path in sorted(folder.glob("HIPE-2022-*-de.tsv")):
        toks, tags = [], []
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith(("#", "TOKEN\t")):
                continue
            cols = line.split("\t")
            if len(cols) < 10:
                continue
            tag = cols[1]
            toks.append(cols[0])
            tags.append(tag if tag[2:] in ("PER", "LOC", "ORG") else "O")
            if "EndOfSentence" in cols[9] or len(toks) >= 100:
                out.append((toks, tags))
                toks, tags = [], []
        if toks:
            out.append((toks, tags))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--c1", type=float, default=0.003)
    ap.add_argument("--c2", type=float, default=0.003)
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--minfreq", type=float, default=0)
    ap.add_argument("--extra", nargs="*", default=[], choices=["mobie", "newseye"])
    ap.add_argument("--subtypes", choices=["drop", "merge", "keep"], default="merge",
                    help="deriv/part spans: O, one extra label, or labels of their own (all O when tagging)")
    ap.add_argument("--out", type=Path, default=MODEL)
    args = ap.parse_args()
    if not args.data_dir.is_dir():
        sys.exit(f"train_ner: data folder {args.data_dir} not found")
    train_file = args.data_dir / "germeval2014-ner-train" / "NER-de-train.bio.tsv"
    dev_file = args.data_dir / "germeval2014-ner" / "NER-de-dev.tsv"
    t0 = time.perf_counter()
    data = [(toks, [outer(t, args.subtypes) for t in tags]) for _, toks, tags in read_germeval(train_file)]
    if "mobie" in args.extra:
        data += read_mobie(args.data_dir / "mobie-de-ner")
    if "newseye" in args.extra:
        data += read_newseye(args.data_dir / "newseye-hipe2022-de")
    trainer = pycrfsuite.Trainer(verbose=False)
    for toks, tags in data:
        trainer.append(sentence_features(toks), tags)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.minfreq": args.minfreq, "feature.possible_transitions": True})
    t1 = time.perf_counter()
    print(f"{len(data)} sentences, {sum(len(t) for t, _ in data)} tokens; features in {t1 - t0:.0f} s",
          file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    t2 = time.perf_counter()
    print(f"trained in {t2 - t1:.0f} s ({trainer.logparser.iterations[-1]['num'] if trainer.logparser.iterations else '?'}"
          f" iterations), model {args.out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    if dev_file.is_file():
        ner.model_path = lambda: args.out
        ner._tagger = None
        result = evaluate(read_germeval(dev_file), ner.tag_tokens)
        result.pop("_preds")
        per_type = " ".join(f"{k} {v['f1']:.4f}" for k, v in result["all"]["per_type"].items())
        print(f"dev span F1 {result['all']['f1']:.4f} (P {result['all']['p']:.4f} R {result['all']['r']:.4f}; "
              f"{per_type}); news-only F1 {result['news_only']['f1']:.4f}")
    print(f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
