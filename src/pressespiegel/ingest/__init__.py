"""Ingest: turn user inputs (files, folders, globs, stdin) into raw documents, or named rejections.

Each input format has its own reader module with ``read(data, name, limits)``; this module picks the reader and
makes sure that whatever goes wrong with one input becomes a ``Rejection`` and never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator

from ..config import Limits
from ..model import RawDocument, Rejection, content_hash
from . import feed, html, jsonl, text
from .detect import KINDS, kind_by_name, sniff
from .sources import Input, InputError, expand, read_bytes

READERS = {"text": text.read, "html": html.read, "jsonl": jsonl.read, "feed": feed.read}


def read_inputs(paths: Iterable[str], limits: Limits, kind: str | None = None,
                on_input: Callable[[Input], None] | None = None) -> Iterator[RawDocument | Rejection]:
    """All documents and rejections from the given paths, in order; ``on_input`` hears of each file as it starts."""
    for inp in expand(paths):
        if isinstance(inp, Rejection):
            yield inp
            continue
        if on_input:
            on_input(inp)
        yield from read_input(inp, limits, kind)


def read_input(inp: Input, limits: Limits, kind: str | None = None) -> Iterator[RawDocument | Rejection]:
    data = b""
    try:
        data = read_bytes(inp, limits)
        chosen = kind or (kind_by_name(inp.name) if inp.path else None) or sniff(data)
        yield from READERS[chosen](data, inp.name, limits)
    except (InputError, ValueError) as exc:
        yield Rejection(inp.name, str(exc), len(data) or _size(inp), _fingerprint(data))
    except RecursionError:
        yield Rejection(inp.name, "structure nested too deeply to read", len(data), _fingerprint(data))
    except MemoryError:
        yield Rejection(inp.name, "out of memory while reading", len(data), _fingerprint(data[:1_000_000]))


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _size(inp: Input) -> int:
    try:
        return inp.size
    except OSError:
        return 0


__all__ = ["KINDS", "Input", "InputError", "RawDocument", "Rejection", "read_input", "read_inputs", "content_hash"]
