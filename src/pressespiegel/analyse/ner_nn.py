"""Named entities with a BiLSTM-CRF in plain numpy (outer-level BIO tags over PER, LOC, ORG, OTH).

The network (``models/ner-nn.npz``) was trained with PyTorch by ``scripts/train_ner_nn.py``; inference here needs
numpy only (no torch, no GPU). See ``models/MODEL_CARD.md`` for data, licences, scores and limits.

Per token the input is a word embedding (lower-cased form, digits → 0), a casing class embedding and a character
CNN over the original form (max-pooled); a bidirectional LSTM reads the sentence; a linear layer gives emission
scores for the labels and Viterbi decoding with the learned CRF transitions (invalid BIO transitions forbidden)
gives the tags. deriv/part spans (label ``SUB``) are tagged as ``O``. Optionally (when the model file says so) the
emission scores are combined with the per-token marginals of the CRF tagger of ``ner.py``.

``load(path)`` gives a ``Tagger`` whose ``tag_sentences(sentences)`` tags many sentences at once (batched, much
faster per token than one at a time); ``ner.py`` loads the shipped model and is the API the rest of the package
uses.
"""

from __future__ import annotations

import threading
import unicodedata
from importlib import resources
from itertools import repeat
from pathlib import Path

import numpy as np

TYPES = ("PER", "LOC", "ORG", "OTH")
MAX_SENTENCE = 300  # longer token sequences are tagged in chunks of this size
MAX_CHARS = 20  # characters per word seen by the character CNN: the first and last MAX_CHARS // 2 of longer words
MAX_WORD = 60  # longer tokens are cut before the word lookup
BATCH = 64  # sentences per batch in tag_sentences
MIN_ROWS = 16  # matrix products run on at least this many rows (see _dot and _recur)
CACHE = 100_000  # words whose input vector, CRF scores and ids are kept (a few KB each; emptied when full)
GROUP = 16  # batches whose distinct tokens go through the first layer's input weights together (bounds memory)
PAD, UNK, BOW, EOW = 0, 1, 2, 3  # reserved character ids (PAD and UNK also for words)
NEG = -1e4  # score of a forbidden transition

# ---------------------------------------------------------------------------------------------------------------
# Token encoding (shared with the training script: changing it means retraining)

def norm_word(word: str) -> str:
    """The key of the word embedding: NFC, lower case, every digit → 0, whitespace → _, cut at MAX_WORD."""
    word = unicodedata.normalize("NFC", word[:MAX_WORD]).lower()
    return "".join("0" if ch.isdigit() else "_" if ch.isspace() else ch for ch in word)


def case_id(word: str) -> int:
    """Casing class: 1 lower, 2 Title, 3 ALLCAPS, 4 Upper-with-inner-capital, 5 lower-with-inner-capital,
    6 digits (with punctuation), 7 letters and digits, 8 no letter or digit, 9 empty."""
    if not word:
        return 9
    letters = [ch for ch in word if ch.isalpha()]
    digits = any(ch.isdigit() for ch in word)
    if not letters:
        return 6 if digits else 8
    if digits:
        return 7
    upper = [ch.isupper() for ch in letters]
    if not any(upper):
        return 1
    if all(upper):
        return 3 if len(letters) > 1 else 2
    if upper[0]:
        return 2 if not any(upper[1:]) else 4
    return 5


N_CASES = 10


def char_seq(word: str, index: dict[str, int]) -> list[int]:
    """Character ids of a word with begin/end marks, padded to MAX_CHARS + 2."""
    if len(word) > MAX_CHARS:
        word = word[:MAX_CHARS // 2] + word[-(MAX_CHARS // 2):]
    ids = [BOW] + [index.get(ch, UNK) for ch in word] + [EOW]
    return ids + [PAD] * (MAX_CHARS + 2 - len(ids))


def allowed_transitions(labels: list[str]) -> np.ndarray:
    """(L, L) bool: may label j follow label i? I-X only after B-X or I-X."""
    n = len(labels)
    ok = np.ones((n, n), dtype=bool)
    for j, b in enumerate(labels):
        if b.startswith("I-"):
            for i, a in enumerate(labels):
                ok[i, j] = a[2:] == b[2:] and a != "O"
    return ok


def allowed_start(labels: list[str]) -> np.ndarray:
    return np.array([not lab.startswith("I-") for lab in labels])


def _pack(words: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)


def _unpack(arr: np.ndarray) -> list[str]:
    text = arr.tobytes().decode("utf-8")
    return text.split("\n") if text else []


# ---------------------------------------------------------------------------------------------------------------
# The network

class _Net:
    """One BiLSTM-CRF network: embeddings, character CNN, BiLSTM layers, output layer and CRF transitions."""

    def __init__(self, f: dict[str, np.ndarray], prefix: str):
        fl = {k[len(prefix):]: v.astype(np.float32) for k, v in f.items()
              if k.startswith(prefix) and v.dtype.kind == "f"}
        self.word_emb = fl["word_emb"]
        self.case_emb = fl["case_emb"]
        self.char_emb = fl["char_emb"]
        conv = fl["conv_w"]  # (F, C, W) as in torch Conv1d
        self.conv_width = conv.shape[2]
        # im2col layout: window position k, channel c → row k * C + c
        self.conv_w = np.ascontiguousarray(conv.transpose(2, 1, 0).reshape(-1, conv.shape[0]))
        self.conv_b = fl["conv_b"]
        # LSTM weights rearranged for _bilstm: gates reordered from torch's (i, f, g, o) to (i, f, o, g); the rows of
        # i, f, o halved, as sigmoid(x) = (1 + tanh(x / 2)) / 2 lets one tanh do all four gates; _bilstm outputs
        # 2·h, so the recurrent weights and whatever reads a layer's output (next layer, output layer) are halved
        self.layers = []
        n_layers = int(f[prefix + "n_layers"])
        self.out_w = np.ascontiguousarray(fl["out_w"].T) * (0.5 if n_layers else 1.0)
        for n in range(n_layers):
            dirs = []
            for d in ("f", "b"):
                w_ih, w_hh, b = fl[f"l{n}{d}_w_ih"], fl[f"l{n}{d}_w_hh"], fl[f"l{n}{d}_b"]
                hidden = w_hh.shape[1]
                order = np.r_[0:2 * hidden, 3 * hidden:4 * hidden, 2 * hidden:3 * hidden]
                scale = np.full(4 * hidden, 0.5, dtype=np.float32)
                scale[3 * hidden:] = 1.0
                w_ih, w_hh, b = w_ih[order] * scale[:, None], w_hh[order] * scale[:, None], b[order] * scale
                dirs.append((np.ascontiguousarray(w_ih.T) * (0.5 if n else 1.0), np.ascontiguousarray(w_hh.T) * 0.5,
                             b))
            self.layers.append(dirs)
        self.out_b = fl["out_b"]
        self.trans, self.start, self.end = fl["trans"], fl["start"], fl["end"]
        self._char_cache: dict[str, np.ndarray] = {}
        self._cache_lock = threading.Lock()

    def _char_vectors(self, tokens: list[str], chars: dict[str, int]) -> np.ndarray:
        cache = self._char_cache
        known = {t: cache.get(t) for t in dict.fromkeys(tokens)}  # this call's words, whatever the cache does
        missing = [t for t, v in known.items() if v is None]
        if missing:
            ids = np.array([char_seq(t, chars) for t in missing])  # (N, L)
            emb = self.char_emb[ids]  # (N, L, C)
            n, length, c = emb.shape
            k = self.conv_width
            win = np.lib.stride_tricks.sliding_window_view(emb, k, axis=1)  # (N, L-k+1, C, k)
            win = win.transpose(0, 1, 3, 2).reshape(n, length - k + 1, k * c)
            out = win @ self.conv_w + self.conv_b  # (N, P, F)
            vecs = np.maximum(out.max(axis=1), 0.0)
            known.update(zip(missing, vecs))
            with self._cache_lock:
                if len(cache) > CACHE:
                    cache.clear()
                cache.update(zip(missing, vecs))
        return np.stack([known[t] for t in tokens])

    def token_vectors(self, tokens: list[str], wid: list[int], cid: list[int], chars: dict[str, int]) -> np.ndarray:
        """The input vector of each token: (N, D)."""
        return np.concatenate([self.word_emb[wid], self.case_emb[cid], self._char_vectors(tokens, chars)], axis=1)

    def inputs(self, flat: list[str], wid: list[int], cid: list[int], lengths: list[int], t: int,
               chars: dict[str, int]) -> np.ndarray:
        """The token vectors of a batch, left-aligned and zero-padded: (B, T, D)."""
        inp = self.token_vectors(flat, wid, cid, chars)
        x = np.zeros((len(lengths), t, inp.shape[1]), dtype=np.float32)
        pos = 0
        for i, n in enumerate(lengths):
            x[i, :n] = inp[pos:pos + n]
            pos += n
        return x

    def projections(self, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The first BiLSTM layer's input terms (x · W_ih + b) of the forward and the backward direction for each
        row of ``vectors``, plus a last row for padding (b alone). A token's terms depend on the token alone, so
        ``Tagger`` computes them once per distinct token of a group of batches instead of once per occurrence."""
        (wf_ih, _, bf), (wb_ih, _, bb) = self.layers[0]
        return (np.concatenate([_dot(vectors, wf_ih) + bf, bf[None]]),
                np.concatenate([_dot(vectors, wb_ih) + bb, bb[None]]))


def _dot(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """x (..., K) · w (K, N) as one matrix product over all rows of x, padded to at least MIN_ROWS rows: BLAS takes
    other code paths (other rounding) for few rows, and this way a token's scores do not depend on the length or the
    number of the sentences it is tagged with (on most machines; some kernels round a row according to its position
    in the matrix: then they differ in the last bits of a float)."""
    flat = x.reshape(-1, x.shape[-1])
    n = len(flat)
    if n < MIN_ROWS:
        flat = np.concatenate([flat, np.zeros((MIN_ROWS - n, flat.shape[1]), dtype=flat.dtype)])
    return (flat @ w)[:n].reshape(*x.shape[:-1], w.shape[1])


def _bilstm(xs: list[np.ndarray], rev: np.ndarray, weights: list) -> list[np.ndarray]:
    """One BiLSTM layer of each of several networks (same hidden size), run in lock-step: xs[k] (B, T, D_k) are
    left-aligned with padding; → one (B, T, 2H) per network. The backward directions run forward over each
    sentence reversed within its length (``rev``), so all directions share the elementwise work of a step."""
    b, t = rev.shape
    rows = np.arange(b)[:, None]
    pre = []
    for x, ((wf_ih, _, bf), (wb_ih, _, bb)) in zip(xs, weights):
        pre += [_dot(x, wf_ih) + bf, _dot(x[rows, rev], wb_ih) + bb]
    return _recur(np.ascontiguousarray(np.stack(pre).transpose(2, 0, 1, 3)), rev, weights)


def _recur(pre: np.ndarray, rev: np.ndarray, weights: list) -> list[np.ndarray]:
    """The recurrence of ``_bilstm`` given the input terms ``pre`` (T, D, B, 4H) of every direction (D = 2 per
    network: forward, then backward over the reversed sentences)."""
    t, d, b, _ = pre.shape
    if b < MIN_ROWS:  # pad the batch with idle rows: a sentence's scores do not depend on its batch's size
        pre = np.concatenate([pre, np.zeros((t, d, MIN_ROWS - b, pre.shape[3]), dtype=pre.dtype)], axis=2)
        rev = np.concatenate([rev, np.broadcast_to(np.arange(t), (MIN_ROWS - b, t))])
        return [x[:b] for x in _recur(pre, rev, weights)]
    rows = np.arange(b)[:, None]
    w_hh = np.stack([w for dirs in weights for (_, w, _) in dirs])  # (D, H, 4H)
    hidden = w_hh.shape[1]
    h = np.zeros((d, b, hidden), dtype=np.float32)
    c = np.zeros((d, b, hidden), dtype=np.float32)
    out = np.empty((t, d, b, hidden), dtype=np.float32)
    z = np.empty((d, b, 4 * hidden), dtype=np.float32)
    zifo, zi, zf, zo, zg = (z[..., :3 * hidden], *(z[..., q * hidden:(q + 1) * hidden] for q in range(4)))
    for step in range(t):
        np.matmul(h, w_hh, out=z)
        z += pre[step]
        np.tanh(z, out=z)  # i, f, o: 2·sigmoid − 1 (rows halved at load time); g: tanh
        zifo += 1.0  # 2·sigmoid
        c *= zf
        zi *= zg
        c += zi
        c *= 0.5  # c = σ(f)·c + σ(i)·g
        h = out[step]
        np.tanh(c, out=h)
        h *= zo  # 2·h = 2·σ(o)·tanh(c): the weights that read h are halved at load time
    res = []
    for k in range(d // 2):
        fwd = out[:, 2 * k].transpose(1, 0, 2)
        bwd = out[:, 2 * k + 1].transpose(1, 0, 2)[rows, rev]
        res.append(np.concatenate([fwd, bwd], axis=2))
    return res


class Tagger:
    """BiLSTM-CRF network(s) in numpy, built from the arrays of the model file (or of the training script). With
    several networks their emission and transition scores are averaged. With a CRF weight w > 0 the model file also
    holds the weights of the linear-chain CRF of ner.py (state weights per feature string of ner_features, and
    transitions): its scores, times w, are added to the network's (a product of experts of the two CRFs), so the
    Viterbi path maximises log p_net(y) + w · log p_crf(y). pycrfsuite is not needed for this."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        f = {k: np.asarray(v) for k, v in arrays.items()}
        self.labels = _unpack(f["labels"])
        self.words = {w: i for i, w in enumerate(_unpack(f["words"]))}
        self.chars = {c: i for i, c in enumerate(_unpack(f["chars"]))}
        n_models = int(f["n_models"]) if "n_models" in f else 1
        self.nets = [_Net(f, "" if n_models == 1 else f"m{k}_") for k in range(n_models)]
        ok = allowed_transitions(self.labels)
        self.trans = np.where(ok, sum(n.trans for n in self.nets) / n_models, NEG).astype(np.float32)
        start = sum(n.start for n in self.nets) / n_models
        self.start = np.where(allowed_start(self.labels), start, NEG).astype(np.float32)
        self.end = (sum(n.end for n in self.nets) / n_models).astype(np.float32)
        # the linear-chain CRF of ner.py, exported: per feature string a row of label weights, and its transitions
        self.crf_weight = float(f["crf_weight"]) if "crf_weight" in f else 0.0
        if self.crf_weight:
            self.crf_features = {a: i for i, a in enumerate(_unpack(f["crf_attrs"]), 1)}  # 0: unknown feature
            state = f["crf_state"].astype(np.float32) * self.crf_weight
            self.crf_state = np.concatenate([np.zeros((1, state.shape[1]), dtype=np.float32), state])
            self.trans = self.trans + self.crf_weight * f["crf_trans"].astype(np.float32)
        self._ids: dict[str, tuple[int, int]] = {}
        self._crf_rows: dict[str, int] = {}  # word → its row of _crf_sums and _crf_info (a cache)
        self._crf_sums = np.zeros((0, 5, len(self.labels)), dtype=np.float32)
        self._crf_info: list[tuple[bool, str, str]] = []
        self._crf_lock = threading.Lock()
        self._sh3: dict[tuple[str, str, str], int] = {}
        self._bigrams: dict[str, dict[tuple[str, str], int]] = {}

    def _word_ids(self, tokens: list[str]) -> tuple[list[int], list[int]]:
        ids = self._ids
        if len(ids) > CACHE:
            ids.clear()
        out = []
        for tok in tokens:
            pair = ids.get(tok)
            if pair is None:
                pair = ids[tok] = (self.words.get(norm_word(tok), UNK), case_id(tok))
            out.append(pair)
        return [p[0] for p in out], [p[1] for p in out]

    def crf_emissions_slow(self, tokens: list[str]) -> np.ndarray:
        """CRF state scores (n, L), times the CRF weight, straight from ner_features.sentence_features (reference for
        ``crf_emissions``)."""
        from .ner_features import sentence_features

        get = self.crf_features.get
        flat: list[int] = []
        starts = []
        for feats in sentence_features(tokens):
            starts.append(len(flat))
            flat.extend(map(get, feats, repeat(0, len(feats))))
        flat.append(0)
        return np.add.reduceat(self.crf_state[flat], starts, axis=0)

    def _crf_entries(self, tokens: list[str]) -> tuple[np.ndarray, list[bool], list[str], list[str]]:
        """Per token, from a cache of words: the summed CRF weights of the word's own features and of what it shows
        its neighbours at −2, −1, +1, +2 (n, 5, L); whether it is title case; its lower-case form as the bigram
        features use it; its short shape. Words not seen before are summed together: one gather of all their
        feature ids and one ``np.add.reduceat`` (each part summed in feature order on its own: a word's sums do not
        depend on the other words of the call)."""
        from .ner_features import _MAX_WORD, _word

        with self._crf_lock:
            rows = self._crf_rows
            if len(rows) > CACHE:
                rows.clear()
                self._crf_info.clear()
            missing = [t for t in dict.fromkeys(tokens) if t not in rows]
            if missing:
                get = self.crf_features.get
                ids: list[int] = []  # the feature ids of every part of every missing word, one after the other
                starts = []  # where each part begins in ids: own, −2, −1, +1, +2 of each word
                for token in missing:
                    own, lend = _word(token)
                    for part in (own, *lend):
                        starts.append(len(ids))
                        ids.extend(map(get, part, repeat(0)))
                    self._crf_info.append(("title" in own, token.lower()[:_MAX_WORD], own[3][3:]))
                sums = np.add.reduceat(self.crf_state[ids], starts, axis=0).reshape(len(missing), 5, -1)
                first = len(rows)
                if first + len(missing) > len(self._crf_sums):  # room for twice as many words
                    grown = np.empty((2 * (first + len(missing)), *sums.shape[1:]), dtype=np.float32)
                    grown[:first] = self._crf_sums[:first]
                    self._crf_sums = grown
                self._crf_sums[first:first + len(missing)] = sums
                rows.update(zip(missing, range(first, first + len(missing))))
            at = [rows[t] for t in tokens]
            info = self._crf_info
            return (self._crf_sums[at], [info[r][0] for r in at], [info[r][1] for r in at],
                    [info[r][2] for r in at])

    def _shape_ids(self, keys: list[tuple[str, str, str]]) -> list[int]:
        """The CRF feature ids of the shapes of three tokens in a row ("sh3=Xx|x|."), from a cache keyed by the
        tuples (there are few: no new string to build and hash per token)."""
        cache = self._sh3
        if len(cache) > CACHE:  # (odd input can bring many)
            cache.clear()
        out = [cache.get(k, -1) for k in keys]
        if -1 in out:
            get = self.crf_features.get
            for i in [i for i, v in enumerate(out) if v == -1]:
                out[i] = cache[keys[i]] = get("sh3=" + "|".join(keys[i]), 0)
        return out

    def _bigram_ids(self, kind: str, pairs: list[tuple[str, str]]) -> list[int]:
        """The CRF feature ids of word pairs ("bi-1=" or "bi+1=" + "a|b"), from a table of the model's bigram
        features keyed by (a, b), built on first use; a pair with a "|" in a word is looked up by its string."""
        table = self._bigrams.get(kind)
        if table is None:
            table = {}
            for attr, i in self.crf_features.items():
                if attr.startswith(kind) and attr.count("|") == 1:
                    a, b = attr[len(kind):].split("|")
                    table[(a, b)] = i
            self._bigrams[kind] = table
        out = [table.get(p, 0) for p in pairs]
        get = self.crf_features.get
        for i in [i for i, (a, b) in enumerate(pairs) if "|" in a or "|" in b]:
            out[i] = get(kind + pairs[i][0] + "|" + pairs[i][1], 0)
        return out

    def crf_emissions(self, tokens: list[str]) -> np.ndarray:
        """CRF state scores (n, L), times the CRF weight: the sum of the label weights of the token's features (the
        features of ner_features.sentence_features, assembled here from per-word sums: same result, faster)."""
        return self.crf_emissions_batch([tokens])[0]

    def crf_emissions_batch(self, sentences: list[list[str]]) -> list[np.ndarray]:
        """``crf_emissions`` of many sentences at once. Each token's score is summed in the same order as
        ``crf_emissions_slow`` sums it (own features, the neighbours' at −1, +1, −2, +2, then the sentence-level
        features in feature order), vectorised over all tokens of all sentences: the same floats, faster."""
        from .ner_features import QUOTES

        lengths = [len(s) for s in sentences]
        flat = [t for s in sentences for t in s]
        n = len(flat)
        if not n:
            return [np.zeros((0, len(self.labels)), dtype=np.float32) for _ in sentences]
        get, state = self.crf_features.get, self.crf_state
        parts, titles, lows, shapes = self._crf_entries(flat)  # (n, 5, L): own, −2, −1, +1, +2
        pos = np.concatenate([np.arange(k) for k in lengths])  # position in the sentence
        left = np.repeat(lengths, lengths) - 1 - pos  # tokens after it in the sentence
        scores = parts[:, 0] + state[get("bias", 0)]
        for have, shift, part in ((pos >= 1, -1, 2), (left >= 1, 1, 3), (pos >= 2, -2, 1), (left >= 2, 2, 4)):
            at = np.flatnonzero(have)
            if len(at):
                scores[at] += parts[at + shift, part]
        first, last, second = pos == 0, left == 0, pos == 1
        sh3 = np.array(self._shape_ids(list(zip(["BOS", *shapes[:-1]], shapes, [*shapes[1:], "EOS"]))))
        sh3[first] = [get("sh3=BOS|" + shapes[i] + "|" + ("EOS" if left[i] == 0 else shapes[i + 1]), 0)
                      for i in np.flatnonzero(first)]
        sh3[last & ~first] = [get("sh3=" + shapes[i - 1] + "|" + shapes[i] + "|EOS", 0)
                              for i in np.flatnonzero(last & ~first)]
        quote = np.zeros(n, dtype=np.int64)
        if any(t in QUOTES for t in flat):
            in_quote_id, k = get("in-quote", 0), 0
            for length in lengths:
                in_quote = False
                for i in range(k, k + length):
                    if flat[i] in QUOTES:
                        in_quote = not in_quote
                    elif in_quote:
                        quote[i] = in_quote_id
                k += length
        bos = np.where(first, get("BOS", 0), np.where(second, get("-2:BOS", 0), 0))
        bos_title = np.where(first & np.array(titles), get("BOS-title", 0), 0)
        pairs = list(zip(lows, lows[1:]))
        bi_prev = np.array([0, *self._bigram_ids("bi-1=", pairs)])
        bi_prev[first] = 0
        bi_next = np.array([*self._bigram_ids("bi+1=", pairs), 0])
        bi_next[last] = 0
        eos = np.where(last, get("EOS", 0), np.where(left == 1, get("+2:EOS", 0), 0))
        pos2 = np.where(second, get("pos=2", 0), 0)
        for ids in (sh3, quote, bos, bos_title, bi_prev, eos, bi_next, pos2):
            at = np.flatnonzero(ids)
            if len(at):
                scores[at] += state[ids[at]]
        return np.split(scores, np.cumsum(lengths)[:-1])

    def _projected(self, tokens: list[str]) -> tuple[dict[str, int], list[tuple[np.ndarray, np.ndarray]]]:
        """Row per distinct token, and each network's first-layer input terms for those rows (see
        ``_Net.projections``)."""
        vocab = {t: k for k, t in enumerate(dict.fromkeys(tokens))}
        distinct = list(vocab)
        wid, cid = self._word_ids(distinct)
        return vocab, [net.projections(net.token_vectors(distinct, wid, cid, self.chars)) for net in self.nets]

    def emissions(self, sentences: list[list[str]], projected=None) -> list[np.ndarray]:
        """Emission scores (n, L) per sentence (one batch: padded to the longest). ``projected``: ``_projected`` of
        (at least) the batch's tokens."""
        lengths = [len(s) for s in sentences]
        t = max(lengths)
        steps, ns = np.arange(t), np.array(lengths)[:, None]
        rev = np.where(steps < ns, ns - 1 - steps, steps)  # each sentence reversed within its length
        if not self.nets[0].layers:
            flat = [tok for s in sentences for tok in s]
            wid, cid = self._word_ids(flat)
            xs = [net.inputs(flat, wid, cid, lengths, t, self.chars) for net in self.nets]
        else:
            vocab, proj = projected or self._projected([tok for s in sentences for tok in s])
            pad = len(vocab)
            idx = np.full((len(sentences), t), pad, dtype=np.intp)
            for i, s in enumerate(sentences):
                idx[i, :len(s)] = [vocab[tok] for tok in s]
            ridx = idx[np.arange(len(sentences))[:, None], rev]
            pre = np.empty((t, 2 * len(self.nets), len(sentences), proj[0][0].shape[1]), dtype=np.float32)
            for k, (fwd, bwd) in enumerate(proj):
                pre[:, 2 * k] = fwd[idx.T]
                pre[:, 2 * k + 1] = bwd[ridx.T]
            xs = _recur(pre, rev, [net.layers[0] for net in self.nets])
        for n in range(1, len(self.nets[0].layers)):
            xs = _bilstm(xs, rev, [net.layers[n] for net in self.nets])
        scores = sum(_dot(x, net.out_w) + net.out_b for x, net in zip(xs, self.nets))
        if len(self.nets) > 1:
            scores = scores / len(self.nets)
        return [scores[i, :n] for i, n in enumerate(lengths)]

    # -- decoding

    def viterbi(self, scores: np.ndarray) -> list[int]:
        n = len(scores)
        trans = self.trans
        back = np.empty((n, len(self.labels)), dtype=np.int64)
        best = self.start + scores[0]
        for i in range(1, n):
            cand = best[:, None] + trans
            back[i] = cand.argmax(axis=0)
            best = cand.max(axis=0) + scores[i]
        best = best + self.end
        path = [int(best.argmax())]
        for i in range(n - 1, 0, -1):
            path.append(int(back[i, path[-1]]))
        return path[::-1]

    def viterbi_batch(self, scores: list[np.ndarray]) -> list[list[int]]:
        """Best label paths of several sentences at once (scores padded to the longest)."""
        lengths = np.array([len(x) for x in scores])
        b, t, n_labels = len(scores), int(lengths.max()), len(self.labels)
        em = np.zeros((b, t, n_labels), dtype=np.float32)
        for i, x in enumerate(scores):
            em[i, :len(x)] = x
        back = np.zeros((b, t, n_labels), dtype=np.int64)
        best = self.start + em[:, 0]
        trans = self.trans[None]
        for i in range(1, t):
            cand = best[:, :, None] + trans  # (B, from, to)
            back[:, i] = cand.argmax(axis=1)
            new = np.take_along_axis(cand, back[:, i][:, None, :], axis=1)[:, 0] + em[:, i]
            live = (lengths > i)[:, None]
            best = np.where(live, new, best)
        best = best + self.end
        # follow the back pointers of all sentences at once, each from its own last token
        path = np.zeros((b, t), dtype=np.int64)
        rows = np.arange(b)
        final = label = best.argmax(axis=1)
        for i in range(t - 1, -1, -1):
            live = lengths > i
            label = np.where(lengths == i + 1, final, label)  # a sentence's last token: its best final label
            path[:, i] = np.where(live, label, 0)
            if i:
                label = np.where(live, back[rows, i, label], label)
        return [path[k, :n].tolist() for k, n in enumerate(lengths.tolist())]

    def decode_batch(self, sentences: list[list[str]], scores: list[np.ndarray]) -> list[list[str]]:
        if self.crf_weight:
            scores = [x + crf for x, crf in zip(scores, self.crf_emissions_batch(sentences))]
        paths = self.viterbi_batch(scores) if len(scores) > 1 else [self.viterbi(scores[0])]
        return [clean([self.labels[j] for j in path]) for path in paths]

    def tag_sentences(self, sentences: list[list[str]]) -> list[list[str]]:
        chunks: list[tuple[int, list[str]]] = []  # (sentence index, chunk tokens)
        for k, sent in enumerate(sentences):
            sent = [t if t else "_" for t in sent]
            for start in range(0, len(sent), MAX_SENTENCE):
                chunks.append((k, sent[start:start + MAX_SENTENCE]))
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i][1]))
        tagged: list[list[str] | None] = [None] * len(chunks)
        for g in range(0, len(order), BATCH * GROUP):
            group = order[g:g + BATCH * GROUP]
            projected = self._projected([tok for i in group for tok in chunks[i][1]]) if self.nets[0].layers else None
            for b in range(0, len(group), BATCH):
                idx = group[b:b + BATCH]
                batch = [chunks[i][1] for i in idx]
                for i, tags in zip(idx, self.decode_batch(batch, self.emissions(batch, projected))):
                    tagged[i] = tags
        out: list[list[str]] = [[] for _ in sentences]
        for (k, _), tags in zip(chunks, tagged):
            out[k].extend(tags)
        # each chunk is clean already (decode_batch); a sentence of several chunks is cleaned again as a whole
        return [clean(tags) if len(tags) > MAX_SENTENCE else tags for tags in out]


def clean(tags: list[str]) -> list[str]:
    """Labels other than the four types (SUB: derivations/parts such as "deutsche") → O; an I- that does not continue
    an entity of its type becomes B-."""
    prev = "O"
    out = []
    for tag in tags:
        if tag != "O" and tag[2:] not in TYPES:
            tag = "O"
        elif tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


# ---------------------------------------------------------------------------------------------------------------
# Public API

def load(path) -> Tagger:
    """A tagger from a model file (a path or an importlib.resources Traversable)."""
    if isinstance(path, str):
        path = Path(path)
    with resources.as_file(path) as file, np.load(file, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    return Tagger(arrays)
