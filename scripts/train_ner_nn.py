"""Train the BiLSTM-CRF named-entity tagger shipped as src/pressespiegel/analyse/models/ner-nn.npz.

Needs PyTorch for training only (`pip install -e .[train]`, CPU build); the shipped model runs in numpy
(`pressespiegel.analyse.ner_nn`). Data: GermEval 2014 train (CC BY 4.0), outer-level tags, deriv/part spans as one
extra label SUB (tagged as O). Dev (GermEval 2014 dev) is used for early stopping / model selection and for the
score printed at the end only, never for training. Seeded; on CPU the run is deterministic for a given thread count.
The defaults are the shipped model's settings.

    python scripts/train_ner_nn.py [--data-dir ../shared/data] [--out MODEL] [--epochs N] ...
    python scripts/train_ner_nn.py --recombine MODEL --crf CRF --crf-weights W   # a new CRF, the same network
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "scripts"))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from ner_eval import evaluate, read_germeval  # noqa: E402
from torch import nn  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402
from train_ner import outer, read_mobie, read_newseye  # noqa: E402

from pressespiegel.analyse import ner_nn  # noqa: E402
from pressespiegel.analyse.ner_nn import (  # noqa: E402
    BOW,
    EOW,
    N_CASES,
    PAD,
    UNK,
    allowed_start,
    allowed_transitions,
    case_id,
    char_seq,
    norm_word,
)

MODEL = ROOT / "src" / "pressespiegel" / "analyse" / "models" / "ner-nn.npz"
CRF_MODEL = ROOT / "src" / "pressespiegel" / "analyse" / "models" / "ner-crf.crfsuite"
TYPES = ("PER", "LOC", "ORG", "OTH")


class CRF(nn.Module):
    def __init__(self, labels: list[str]):
        super().__init__()
        n = len(labels)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))
        self.register_buffer("trans_mask", torch.tensor(np.where(allowed_transitions(labels), 0.0, -1e4),
                                                        dtype=torch.float32))
        self.register_buffer("start_mask", torch.tensor(np.where(allowed_start(labels), 0.0, -1e4),
                                                        dtype=torch.float32))

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Summed negative log-likelihood; em (B, T, L), tags (B, T), mask (B, T) bool, left-aligned."""
        trans = self.trans + self.trans_mask
        start = self.start + self.start_mask
        b, t, _ = em.shape
        maskf = mask.float()
        # gold path score
        score = start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
        for i in range(1, t):
            s = trans[tags[:, i - 1], tags[:, i]] + em[:, i].gather(1, tags[:, i:i + 1]).squeeze(1)
            score = score + s * maskf[:, i]
        last = tags.gather(1, (mask.sum(1) - 1).unsqueeze(1)).squeeze(1)
        score = score + self.end[last]
        # partition function
        alpha = start + em[:, 0]
        for i in range(1, t):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), dim=1) + em[:, i]
            alpha = torch.where(mask[:, i:i + 1], nxt, alpha)
        logz = torch.logsumexp(alpha + self.end, dim=1)
        return (logz - score).sum()


class Net(nn.Module):
    def __init__(self, n_words, n_chars, labels, args):
        super().__init__()
        self.word_emb = nn.Embedding(n_words, args.word_dim, padding_idx=PAD)
        self.case_emb = nn.Embedding(N_CASES, args.case_dim, padding_idx=PAD)
        self.char_emb = nn.Embedding(n_chars, args.char_dim, padding_idx=PAD)
        self.conv = nn.Conv1d(args.char_dim, args.char_filters, args.char_width)
        self.drop = nn.Dropout(args.dropout)
        self.lstm = nn.LSTM(args.word_dim + args.case_dim + args.char_filters, args.hidden, num_layers=args.layers,
                            bidirectional=True, batch_first=True,
                            dropout=args.dropout if args.layers > 1 else 0.0)
        self.out = nn.Linear(2 * args.hidden, len(labels))
        self.crf = CRF(labels)

    def emissions(self, words, cases, uniq_chars, char_index, lengths):
        """words/cases/char_index (B, T); uniq_chars (U, MAX_CHARS + 2) the distinct tokens of the batch."""
        c = self.char_emb(uniq_chars).transpose(1, 2)  # (U, C, L)
        cv = torch.relu(self.conv(c).max(dim=2).values)  # (U, F)
        x = torch.cat([self.word_emb(words), self.case_emb(cases), cv[char_index]], dim=2)
        x = self.drop(x)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = pad_packed_sequence(h, batch_first=True, total_length=words.shape[1])
        return self.out(self.drop(h))


def make_batch(sents, words, chars, word_drop, rng, singletons=None):
    """Tensors for a list of (tokens, label ids)."""
    t = max(len(toks) for toks, _ in sents)
    b = len(sents)
    w = torch.zeros(b, t, dtype=torch.long)
    c = torch.zeros(b, t, dtype=torch.long)
    ci = torch.zeros(b, t, dtype=torch.long)
    y = torch.zeros(b, t, dtype=torch.long)
    mask = torch.zeros(b, t, dtype=torch.bool)
    uniq: dict[str, int] = {}
    for i, (toks, labs) in enumerate(sents):
        for j, tok in enumerate(toks):
            wid = words.get(norm_word(tok), UNK)
            if word_drop and wid != UNK and rng.random() < word_drop:
                wid = UNK
            w[i, j] = wid
            c[i, j] = case_id(tok)
            ci[i, j] = uniq.setdefault(tok, len(uniq))
            y[i, j] = labs[j]
            mask[i, j] = True
    uc = torch.tensor([char_seq(tok, chars) for tok in uniq], dtype=torch.long)
    return w, c, uc, ci, y, mask, [len(toks) for toks, _ in sents]


def export(net: Net, args, words: list[str], chars: list[str], labels: list[str], dtype=np.float32) -> dict:
    sd = {k: v.detach().cpu().numpy() for k, v in net.state_dict().items()}
    arrays = {
        "labels": ner_nn._pack(labels), "words": ner_nn._pack(words), "chars": ner_nn._pack(chars),
        "word_emb": sd["word_emb.weight"], "case_emb": sd["case_emb.weight"], "char_emb": sd["char_emb.weight"],
        "conv_w": sd["conv.weight"], "conv_b": sd["conv.bias"], "out_w": sd["out.weight"], "out_b": sd["out.bias"],
        "trans": sd["crf.trans"], "start": sd["crf.start"], "end": sd["crf.end"],
        "n_layers": np.array(args.layers), "crf_weight": np.array(0.0),
    }
    if getattr(args, "with_dev", False):
        arrays["trained_on_dev"] = np.array(1)  # benchmarks/ner_eval.py: its dev score is not held out
    for n in range(args.layers):
        for d, suffix in (("f", ""), ("b", "_reverse")):
            arrays[f"l{n}{d}_w_ih"] = sd[f"lstm.weight_ih_l{n}{suffix}"]
            arrays[f"l{n}{d}_w_hh"] = sd[f"lstm.weight_hh_l{n}{suffix}"]
            arrays[f"l{n}{d}_b"] = sd[f"lstm.bias_ih_l{n}{suffix}"] + sd[f"lstm.bias_hh_l{n}{suffix}"]
    return {k: (v.astype(dtype) if v.dtype.kind == "f" else v) for k, v in arrays.items()}


def dev_score(tagger, dev) -> dict:
    preds = tagger.tag_sentences([toks for _, toks, _ in dev])
    it = iter(preds)
    result = evaluate(dev, lambda toks: next(it))
    result.pop("_preds")
    return result


def fmt(result: dict) -> str:
    per_type = " ".join(f"{k} {v['f1']:.4f}" for k, v in result["all"]["per_type"].items())
    return (f"dev span F1 {result['all']['f1']:.4f} (P {result['all']['p']:.4f} R {result['all']['r']:.4f}; "
            f"{per_type}); news-only F1 {result['news_only']['f1']:.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=MODEL)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1],
                    help="one network per seed, trained in parallel processes (one thread each) and averaged")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per network")
    ap.add_argument("--crf-weights", type=float, nargs="+", default=[0.0, 0.3, 0.4, 0.5, 0.6, 0.8],
                    help="weight of the CRF's scores added to the network's (product of experts): the best on dev is "
                         "kept (0 = no CRF)")
    ap.add_argument("--crf", type=Path, default=CRF_MODEL, help="the CRF model (scripts/train_ner.py) to combine")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=6, help="stop after this many epochs without a better dev F1")
    ap.add_argument("--time-limit", type=float, default=48, help="minutes; no new epoch starts after this")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--lr-decay", type=float, default=0.95, help="per epoch")
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--word-dim", type=int, default=100)
    ap.add_argument("--case-dim", type=int, default=8)
    ap.add_argument("--char-dim", type=int, default=30)
    ap.add_argument("--char-filters", type=int, default=100)
    ap.add_argument("--char-width", type=int, default=3)
    ap.add_argument("--hidden", type=int, default=150)
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--word-drop", type=float, default=0.05)
    ap.add_argument("--min-count", type=int, default=2, help="words seen fewer times in train are UNK")
    ap.add_argument("--extra", nargs="*", default=[], choices=["mobie", "newseye"])
    ap.add_argument("--subtypes", choices=["drop", "merge", "keep"], default="merge")
    ap.add_argument("--with-dev", action="store_true",
                    help="also train on GermEval dev, once the number of epochs and the CRF weight were chosen on dev "
                         "without it: exactly --epochs epochs, the last one kept; the dev scores printed are then "
                         "not held-out scores")
    ap.add_argument("--save-from", type=int, default=0,
                    help="also save the model after each epoch from this one on (OUT-eN.npz, CRF weight: the first "
                         "of --crf-weights)")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only (smoke test)")
    ap.add_argument("--float16", action=argparse.BooleanOptionalAction, default=True, help="store weights as fp16")
    ap.add_argument("--recombine", type=Path, metavar="MODEL",
                    help="train nothing: take the network of MODEL (an .npz this script wrote) and combine it with "
                         "--crf, at the --crf-weights weight that is best on dev, into --out")
    args = ap.parse_args()
    t0 = time.perf_counter()
    if args.recombine:
        with np.load(args.recombine) as f:
            arrays = {k: f[k] for k in f.files if not k.startswith("crf_")}
        finish(args, arrays, read_germeval(args.data_dir / "germeval2014-ner" / "NER-de-dev.tsv"), t0)
        return
    if len(args.seeds) > 1:
        ensemble(args, t0)
        return
    args.seed = args.seeds[0]
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    train_file = args.data_dir / "germeval2014-ner-train" / "NER-de-train.bio.tsv"
    dev_file = args.data_dir / "germeval2014-ner" / "NER-de-dev.tsv"
    data = [(toks, [outer(t, args.subtypes) for t in tags]) for _, toks, tags in read_germeval(train_file)]
    if "mobie" in args.extra:
        data += read_mobie(args.data_dir / "mobie-de-ner")
    if "newseye" in args.extra:
        data += read_newseye(args.data_dir / "newseye-hipe2022-de")
    if args.limit:
        data = data[:args.limit]
    dev = read_germeval(dev_file)
    if args.with_dev:
        data += [(toks, [outer(t, args.subtypes) for t in tags]) for _, toks, tags in dev]

    types = [t for t in TYPES] + (["SUB"] if args.subtypes == "merge" else [])
    if args.subtypes == "keep":
        types += sorted({t[2:] for _, tags in data for t in tags if t != "O" and t[2:] not in TYPES})
    labels = ["O"] + [f"{p}-{t}" for t in types for p in ("B", "I")]
    label_id = {lab: i for i, lab in enumerate(labels)}
    wc = Counter(norm_word(tok) for toks, _ in data for tok in toks)
    words = ["<pad>", "<unk>"] + sorted(w for w, n in wc.items() if n >= args.min_count)
    word_index = {w: i for i, w in enumerate(words)}
    cc = Counter(ch for toks, _ in data for tok in toks for ch in tok)
    chars = ["<pad>", "<unk>", "<w>", "</w>"] + sorted(ch for ch, n in cc.items() if n >= 2 and ch != "\n")
    char_index = {c: i for i, c in enumerate(chars)}
    assert (char_index["<w>"], char_index["</w>"]) == (BOW, EOW)
    train = [(toks, [label_id[t] for t in tags]) for toks, tags in data]
    print(f"{len(train)} sentences, {sum(len(t) for t, _ in train)} tokens; {len(words)} words, {len(chars)} chars, "
          f"{len(labels)} labels", file=sys.stderr)

    net = Net(len(words), len(chars), labels, args)
    opt = torch.optim.Adam(net.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, args.lr_decay)
    rng = random.Random(args.seed)
    best, best_state, best_epoch = -1.0, None, 0
    for epoch in range(1, args.epochs + 1):
        te = time.perf_counter()
        net.train()
        # batches of similar length, in random order
        order = sorted(range(len(train)), key=lambda i: (len(train[i][0]), rng.random()))
        batches = [order[i:i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        rng.shuffle(batches)
        total = 0.0
        for idx in batches:
            w, c, uc, ci, y, mask, lengths = make_batch([train[i] for i in idx], word_index, char_index,
                                                        args.word_drop, rng)
            em = net.emissions(w, c, uc, ci, lengths)
            loss = net.crf.nll(em, y, mask)
            opt.zero_grad()
            (loss / len(idx)).backward()
            nn.utils.clip_grad_norm_(net.parameters(), args.clip)
            opt.step()
            total += loss.item()
        sched.step()
        net.eval()
        tagger = ner_nn.Tagger(export(net, args, words, chars, labels))
        result = dev_score(tagger, dev)
        f1 = result["all"]["f1"]
        print(f"epoch {epoch}: loss {total / len(train):.3f}, {time.perf_counter() - te:.0f} s; {fmt(result)}",
              file=sys.stderr, flush=True)
        if args.save_from and epoch >= args.save_from:
            save(args, export(net, args, words, chars, labels), args.crf_weights[0],
                 args.out.with_name(f"{args.out.stem}-e{epoch}.npz"))
        if f1 > best or args.with_dev:  # with dev in training: the last epoch
            best, best_epoch = f1, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        elif epoch - best_epoch >= args.patience:
            break
        if (time.perf_counter() - t0) / 60 > args.time_limit:
            print("time limit reached", file=sys.stderr)
            break
    net.load_state_dict(best_state)
    arrays = export(net, args, words, chars, labels, np.float16 if args.float16 else np.float32)
    print(f"seed {args.seed}: best epoch {best_epoch} (dev F1 {best:.4f}), {time.perf_counter() - t0:.0f} s",
          file=sys.stderr)
    finish(args, arrays, dev, t0)


def crf_arrays(path: Path, labels: list[str]) -> dict:
    """The linear-chain CRF (python-crfsuite model file) as arrays: feature strings, state weights, transitions."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    info = tagger.info()
    attrs = sorted({a for a, _ in info.state_features})
    index = {a: i for i, a in enumerate(attrs)}
    label = {lab: j for j, lab in enumerate(labels)}
    assert set(info.labels) <= set(labels), (info.labels, labels)
    state = np.zeros((len(attrs), len(labels)), dtype=np.float32)
    for (a, lab), w in info.state_features.items():
        state[index[a], label[lab]] = w
    trans = np.zeros((len(labels), len(labels)), dtype=np.float32)
    for (a, b), w in info.transitions.items():
        trans[label[a], label[b]] = w
    return {"crf_attrs": ner_nn._pack(attrs), "crf_state": state, "crf_trans": trans}


def _stored(args, arrays: dict) -> dict:
    """Arrays as the model file keeps them (float16 unless --no-float16)."""
    return {k: (v.astype(np.float16) if args.float16 and v.dtype.kind == "f" else v) for k, v in arrays.items()}


_CRF: dict[tuple, dict] = {}


def _crf(args, labels: list[str]) -> dict:
    """The CRF's arrays, as stored; read once per run."""
    key = (str(args.crf), tuple(labels))
    if key not in _CRF:
        _CRF[key] = _stored(args, crf_arrays(args.crf, labels))
    return _CRF[key]


def _write(path: Path, arrays: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez_compressed(fh, **arrays)


def save(args, arrays: dict, weight: float, path: Path) -> None:
    """The network with the CRF at ``weight`` (0: none) as a model file."""
    arrays = _stored(args, arrays)
    crf = _crf(args, ner_nn._unpack(arrays["labels"])) if weight else {}
    _write(path, {**arrays, **crf, "crf_weight": np.array(weight)})


def finish(args, arrays: dict, dev, t0: float) -> None:
    """Add the CRF with the weight that is best on dev (0: none), save the model, print its dev score."""
    arrays = _stored(args, arrays)
    crf = _crf(args, ner_nn._unpack(arrays["labels"])) if any(args.crf_weights) else {}
    best_w, best_f1, best_result = 0.0, -1.0, None
    for w in args.crf_weights:
        trial = {**arrays, **(crf if w else {}), "crf_weight": np.array(w)}
        result = dev_score(ner_nn.Tagger(trial), dev)
        print(f"CRF weight {w}: {fmt(result)}", file=sys.stderr, flush=True)
        if result["all"]["f1"] > best_f1:
            best_w, best_f1, best_result = w, result["all"]["f1"], result
    _write(args.out, {**arrays, **(crf if best_w else {}), "crf_weight": np.array(best_w)})
    print(f"CRF weight {best_w}; model {args.out} {args.out.stat().st_size / 1e6:.1f} MB; "
          f"total {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    print(fmt(best_result))


def ensemble(args, t0: float) -> None:
    """Train one network per seed in parallel processes, then average them (keys prefixed m0_, m1_, ...)."""
    with tempfile.TemporaryDirectory() as tmp:
        procs = []
        for seed in args.seeds:
            cmd = [sys.executable, __file__, "--seeds", str(seed), "--crf-weights", "0", "--no-float16",
                   "--out", str(Path(tmp) / f"{seed}.npz")]
            for key, value in vars(args).items():
                if key in ("seeds", "crf_weights", "crf", "float16", "out") or value is None:
                    continue
                flag = "--" + key.replace("_", "-")
                if isinstance(value, list):
                    cmd += [flag, *map(str, value)] if value else []
                else:
                    cmd += [flag, str(value)]
            procs.append(subprocess.Popen(cmd))
        if any(p.wait() for p in procs):
            sys.exit("train_ner_nn: a training process failed")
        parts = [dict(np.load(Path(tmp) / f"{seed}.npz")) for seed in args.seeds]
    shared = ("labels", "words", "chars", "crf_weight")
    arrays = {k: parts[0][k] for k in shared}
    for k, part in enumerate(parts):
        assert all(np.array_equal(part[key], arrays[key]) for key in shared[:3])
        arrays.update({f"m{k}_{key}": v for key, v in part.items() if key not in shared})
    arrays["n_models"] = np.array(len(parts))
    finish(args, arrays, read_germeval(args.data_dir / "germeval2014-ner" / "NER-de-dev.tsv"), t0)


if __name__ == "__main__":
    main()
