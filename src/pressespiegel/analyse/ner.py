"""Named entities: a CRF tagger for German (outer-level BIO tags over PER, LOC, ORG, OTH).

The model (``models/ner-crf.crfsuite``, python-crfsuite) was trained on GermEval 2014 by ``scripts/train_ner.py``;
see ``models/MODEL_CARD.md`` for data, licences, scores and limits. Features: ``ner_features.py``.

- ``tag_tokens(tokens)`` — one BIO tag per token ("B-PER", "I-PER", "O", ...).
- ``spans(tags)`` — the entity spans ``(start, end, type)`` (end exclusive) of a BIO sequence.
- ``tag_conll(lines)`` — the ``pressespiegel ner --conll FILE`` contract: GermEval-2014 TSV in, the same lines out
  with column 3 replaced by the predicted tag; comment lines (``#``) and blank lines pass through unchanged.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from importlib import resources

from .ner_features import sentence_features

TYPES = ("PER", "LOC", "ORG", "OTH")
MODEL_NAME = "ner-crf.crfsuite"
MAX_SENTENCE = 300  # longer token sequences are tagged in chunks of this size (keeps memory and time linear)

_lock = threading.Lock()
_tagger = None


def model_path():
    """The model file shipped inside the package."""
    return resources.files(__package__).joinpath("models", MODEL_NAME)


def load_model():
    """The CRF tagger, loaded on first use and cached (thread-safe)."""
    global _tagger
    if _tagger is None:
        with _lock:
            if _tagger is None:
                import pycrfsuite

                tagger = pycrfsuite.Tagger()
                with resources.as_file(model_path()) as path:
                    tagger.open(str(path))
                _tagger = tagger
    return _tagger


def _clean(tags: list[str]) -> list[str]:
    """Labels other than the four types (derivations/parts such as "deutsche") → O; repair invalid BIO: an I- that
    does not continue an entity of its type becomes B-."""
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


def tag_tokens(tokens: list[str]) -> list[str]:
    """BIO tags (PER/LOC/ORG/OTH) for the tokens of one sentence; tokens are taken as given."""
    if not tokens:
        return []
    tagger = load_model()
    tags: list[str] = []
    for start in range(0, len(tokens), MAX_SENTENCE):
        chunk = [t if t else "_" for t in tokens[start:start + MAX_SENTENCE]]
        with _lock:  # a pycrfsuite Tagger is not safe to share between threads
            tags.extend(tagger.tag(sentence_features(chunk)))
    return _clean(tags)


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
    out: list[str] = []
    for block in _sentences(lines):
        first = block[0].rstrip("\r\n")
        if len(block) == 1 and (not first.strip() or first.startswith("#")):
            out.extend(block)
            continue
        rows = []
        for line in block:
            body = line.rstrip("\r\n")
            rows.append((body.split("\t"), line[len(body):]))
        tokens = [cols[1] if len(cols) > 1 else cols[0] for cols, _ in rows]
        for (cols, ending), tag in zip(rows, tag_tokens(tokens)):
            if len(cols) <= 2:
                cols.append(tag)
            else:
                cols[2] = tag
            out.append("\t".join(cols) + ending)
    return out
