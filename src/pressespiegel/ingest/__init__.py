"""Ingest: turn user inputs (files, folders, globs, stdin) into raw documents, or named rejections.

Each input format has its own reader module with ``read(data, name, limits)``; this module picks the reader and
makes sure that whatever goes wrong with one input becomes a ``Rejection`` and never stops the others.
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

from ..config import Limits
from ..model import RawDocument, Rejection, content_hash
from . import feed, html, jsonl, text, warc
from .detect import KINDS, kind_by_name, sniff
from .sources import Input, InputError, expand, peek, read_bytes
from .warc import WarcCounts

READERS = {"text": text.read, "html": html.read, "jsonl": jsonl.read, "feed": feed.read, "warc": warc.read}


def read_inputs(paths: Iterable[str], limits: Limits, kind: str | None = None,
                on_input: Callable[[Input], None] | None = None,
                warc_counts: WarcCounts | None = None) -> Iterator[RawDocument | Rejection]:
    """All documents and rejections from the given paths, in order; ``on_input`` hears of each file as it starts;
    ``warc_counts`` (if given) adds up what WARC inputs held."""
    for inp in expand(paths):
        if isinstance(inp, Rejection):
            yield inp
            continue
        if on_input:
            on_input(inp)
        yield from read_input(inp, limits, kind, warc_counts)


def read_input(inp: Input, limits: Limits, kind: str | None = None,
               warc_counts: WarcCounts | None = None) -> Iterator[RawDocument | Rejection]:
    data = b""
    try:
        chosen = kind or (kind_by_name(inp.name) if inp.path else None)
        if chosen == "warc" or (chosen is None and warc.is_warc(peek(inp))):
            # streamed record by record: a WARC file may be many gigabytes
            yield from _warc(inp, limits, warc_counts)
            return
        if chosen == "jsonl" and inp.path is not None and _streamable_jsonl(peek(inp)):
            yield from _jsonl(inp, limits)  # line by line, as large as it comes
            return
        data = read_bytes(inp, limits)
        chosen = chosen or sniff(data)
        if chosen == "warc":  # standard input whose first bytes came too slowly to peek at
            yield from warc.read_warc(io.BytesIO(data), limits, inp.name, warc_counts)
            return
        yield from READERS[chosen](data, inp.name, limits)
    except (InputError, ValueError) as exc:
        yield Rejection(inp.name, str(exc), len(data) or _size(inp), _fingerprint(data))
    except RecursionError:
        yield Rejection(inp.name, "structure nested too deeply to read", len(data), _fingerprint(data))
    except MemoryError:
        yield Rejection(inp.name, "out of memory while reading", len(data), _fingerprint(data[:1_000_000]))


def _warc(inp: Input, limits: Limits, counts: WarcCounts | None) -> Iterator[RawDocument | Rejection]:
    if inp.path is None:
        yield from warc.read_warc(sys.stdin.buffer, limits, "-", counts)
        return
    with _open(inp) as fh:
        yield from warc.read_warc(fh, limits, inp.name, counts)


def _streamable_jsonl(head: bytes) -> bool:
    """JSON Lines as such: not gzip'd, not one JSON array (those are read whole, within the limits)."""
    return head[:2] != b"\x1f\x8b" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")


def _jsonl(inp: Input, limits: Limits) -> Iterator[RawDocument | Rejection]:
    with _open(inp) as fh:
        yield from jsonl.read_file(fh, inp.name, limits)


def _open(inp: Input) -> BinaryIO:
    """An input file opened for streaming (WARC, JSON Lines)."""
    try:
        return open(inp.path, "rb")  # type: ignore[arg-type]
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _size(inp: Input) -> int:
    try:
        return inp.size
    except OSError:
        return 0


__all__ = ["KINDS", "Input", "InputError", "RawDocument", "Rejection", "WarcCounts", "read_input", "read_inputs",
           "content_hash"]
