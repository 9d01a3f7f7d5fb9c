"""Named entities for German (outer-level BIO tags over PER, LOC, ORG, OTH).

The default model is the BiLSTM-CRF of ``ner_nn.py`` (``models/ner-nn.npz``, numpy inference, trained by
``scripts/train_ner_nn.py``); the older linear-chain CRF (``models/ner-crf.crfsuite``, python-crfsuite, trained by
``scripts/train_ner.py``, features in ``ner_features.py``) stays available (``load_crf``) and is used whenever
``model_path()`` names a ``.crfsuite`` file. See ``models/MODEL_CARD.md`` for data, licences, scores and limits.

- ``tag_tokens(tokens)`` — one BIO tag per token ("B-PER", "I-PER", "O", ...).
- ``tag_sentences(sentences)`` — the same for many sentences (batched: faster per token).
- ``spans(tags)`` — the entity spans ``(start, end, type)`` (end exclusive) of a BIO sequence.
- ``tag_conll(lines)`` — the ``pressespiegel ner --conll FILE`` contract: GermEval-2014 TSV in, the same lines out
  with column 3 replaced by the predicted tag; comment lines (``#``) and blank lines pass through unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from importlib import resources

from threadpoolctl import threadpool_limits

from .ner_features import gazetteer, sentence_features
from .ner_nn import clean

TYPES = ("PER", "LOC", "ORG", "OTH")
MODEL_NAME = "ner-nn.npz"
CRF_MODEL_NAME = "ner-crf.crfsuite"
MAX_SENTENCE = 300  # longer token sequences are tagged in chunks of this size (keeps memory and time linear)

_lock = threading.Lock()
_tagger = None
_crf = None


def model_path():
    """The model file shipped inside the package (a ``.npz`` network or a ``.crfsuite`` CRF)."""
    return resources.files(__package__).joinpath("models", MODEL_NAME)


def crf_model_path():
    """The CRF model file shipped inside the package."""
    return resources.files(__package__).joinpath("models", CRF_MODEL_NAME)


def _open_crf(path):
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    with resources.as_file(path) as file:
        tagger.open(str(file))
    return tagger


def load_crf():
    """The shipped CRF tagger (pycrfsuite), loaded on first use and cached (thread-safe)."""
    global _crf
    if _crf is None:
        with _lock:
            if _crf is None:
                _crf = _open_crf(crf_model_path())
    return _crf


def load_model():
    """The tagger of ``model_path()``, loaded on first use and cached (thread-safe): a ``ner_nn.Tagger`` for a
    ``.npz`` file, a pycrfsuite Tagger for a ``.crfsuite`` file. The name lists of the features are read too."""
    global _tagger
    if _tagger is None:
        gazetteer()
        path = model_path()
        if str(path).endswith(".crfsuite"):
            tagger = _open_crf(path)
        else:
            from . import ner_nn

            tagger = ner_nn.load(path)
        with _lock:
            if _tagger is None:
                _tagger = tagger
    return _tagger


def _crf_tag(tagger, tokens: list[str]) -> list[str]:
    tags: list[str] = []
    for start in range(0, len(tokens), MAX_SENTENCE):
        chunk = [t if t else "_" for t in tokens[start:start + MAX_SENTENCE]]
        with _lock:  # a pycrfsuite Tagger is not safe to share between threads
            tags.extend(tagger.tag(sentence_features(chunk)))
    return clean(tags)


def tag_sentences(sentences: list[list[str]]) -> list[list[str]]:
    """BIO tags (PER/LOC/ORG/OTH) for many sentences; tokens are taken as given."""
    sentences = [list(s) for s in sentences]
    if not any(sentences):
        return [[] for _ in sentences]
    tagger = load_model()
    if hasattr(tagger, "tag_sentences"):
        # the network's matrices are small: BLAS threads cost more than they bring (half the speed on 2 cores)
        with threadpool_limits(limits=1, user_api="blas"):
            return tagger.tag_sentences(sentences)
    return [_crf_tag(tagger, s) if s else [] for s in sentences]


def tag_tokens(tokens: list[str]) -> list[str]:
    """BIO tags (PER/LOC/ORG/OTH) for the tokens of one sentence; tokens are taken as given."""
    if not tokens:
        return []
    return tag_sentences([tokens])[0]


def spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, type)``, end exclusive; an I- after a different type starts a new span."""
    out: list[tuple[int, int, str]] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and kind == tag[2:]:
            continue
        if kind:
            out.append((start, i, kind))
            kind = ""
        if tag.startswith(("B-", "I-")):
            start, kind = i, tag[2:]
    return out


def _sentences(lines: Iterable[str]) -> Iterator[list[str]]:
    """Groups of lines: each sentence's token lines, comment/blank lines as one-line groups of their own."""
    block: list[str] = []
    for line in lines:
        text = line.rstrip("\r\n")
        if not text.strip() or text.startswith("#"):
            if block:
                yield block
                block = []
            yield [line]
        else:
            block.append(line)
    if block:
        yield block


def tag_conll(lines: Iterable[str]) -> list[str]:
    """GermEval-2014 TSV lines in, the same lines out with column 3 replaced by the predicted outer BIO tag.

    Comment lines (``#``) and blank lines pass through unchanged; a line with only two columns (index, token) gets a
    third; a line with a single column is taken as the token. Line endings are kept.
    """
    blocks = list(_sentences(lines))
    parsed = []  # per block: None (passes through) or its rows
    for block in blocks:
        first = block[0].rstrip("\r\n")
        if len(block) == 1 and (not first.strip() or first.startswith("#")):
            parsed.append(None)
            continue
        rows = []
        for line in block:
            body = line.rstrip("\r\n")
            rows.append((body.split("\t"), line[len(body):]))
        parsed.append(rows)
    sentences = [[cols[1] if len(cols) > 1 else cols[0] for cols, _ in rows] for rows in parsed if rows is not None]
    tagged = iter(tag_sentences(sentences))
    out: list[str] = []
    for block, rows in zip(blocks, parsed):
        if rows is None:
            out.extend(block)
            continue
        for (cols, ending), tag in zip(rows, next(tagged)):
            if len(cols) <= 2:
                cols.append(tag)
            else:
                cols[2] = tag
            out.append("\t".join(cols) + ending)
    return out
