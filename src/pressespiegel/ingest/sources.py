"""Where inputs come from: files, folders (recursive), glob patterns and `-` for standard input."""

from __future__ import annotations

import glob
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import Limits
from ..model import Rejection


class InputError(Exception):
    """An input cannot be read; the message is the one-line reason shown to the user."""


@dataclass(frozen=True)
class Input:
    name: str  # the path as the user will recognise it, or "-"
    path: Path | None  # None for standard input

    @property
    def suffixes(self) -> list[str]:
        return [s.lower() for s in Path(self.name).suffixes] if self.path else []

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.path else 0


_HIDDEN_PREFIXES = (".", "~", "#")


def expand(paths: Iterable[str]) -> Iterator[Input | Rejection]:
    """Expand user arguments in order; folders recursively (hidden files skipped), globs when no such file exists.

    A missing path is reported as a ``Rejection`` rather than raised, so a typo in one argument does not stop the
    others.
    """
    seen: set[str] = set()
    for arg in paths:
        if arg == "-":
            yield Input("-", None)
            continue
        p = Path(arg)
        if p.is_dir():
            candidates = sorted(_walk(p))
        elif p.exists():
            candidates = [p]
        elif glob.has_magic(arg):
            candidates = sorted(Path(x) for x in glob.glob(arg, recursive=True))
            candidates = [c for f in candidates for c in (sorted(_walk(f)) if f.is_dir() else [f])]
            if not candidates:
                yield Rejection(arg, "no files match this pattern")
        else:
            yield Rejection(arg, "no such file or folder")
            continue
        for c in candidates:
            key = os.path.realpath(c)
            if key in seen or not c.is_file():
                continue
            seen.add(key)
            yield Input(str(c), c)


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(_HIDDEN_PREFIXES))
        for f in filenames:
            if not f.startswith(_HIDDEN_PREFIXES):
                yield Path(dirpath) / f


def read_bytes(inp: Input, limits: Limits) -> bytes:
    """Read an input whole (at most ``max_container_bytes``); gzip data is decompressed, bounded as well.

    The per-kind limit (one article vs. a feed or JSON Lines file) is checked by the caller once the kind is known.
    """
    limit = limits.max_container_bytes
    if inp.path is None:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        if inp.size > limit:
            raise InputError(f"too large: {mb(inp.size)} (limit {mb(limit)})")
        with open(inp.path, "rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"too large: more than {mb(limit)}")
    if data[:2] == b"\x1f\x8b":
        data = gunzip(data, limits.max_decompressed_bytes)
    return data


def peek(inp: Input, size: int = 512) -> bytes:
    """The first bytes of an input without consuming them (standard input: what is buffered already, maybe less)."""
    if inp.path is None:
        try:
            return sys.stdin.buffer.peek(size)[:size]
        except (AttributeError, OSError, ValueError):
            return b""
    try:
        with open(inp.path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""  # read_bytes names the problem


def gunzip(data: bytes, limit: int) -> bytes:
    """Decompress gzip data with a ceiling on the output size (gzip bombs) and a clear error when truncated."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    buf = data
    try:
        while buf:
            out += d.decompress(buf, max(1, limit + 1 - len(out)))
            if len(out) > limit:
                raise InputError(f"decompresses to more than {mb(limit)} (gzip bomb?)")
            buf = d.unconsumed_tail
            if d.eof and d.unused_data:
                # concatenated gzip members, as `cat a.gz b.gz` produces
                buf, d = d.unused_data, zlib.decompressobj(16 + zlib.MAX_WBITS)
    except zlib.error as exc:
        raise InputError(f"broken gzip data: {exc}") from None
    if not d.eof:
        raise InputError("truncated gzip file: the compressed stream ends early")
    return bytes(out)


def mb(n: int) -> str:
    """A size for messages: `812 bytes`, `4.2 KB`, `40.0 MB`."""
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / (1024 * 1024):.1f} MB"


__all__ = ["Input", "InputError", "expand", "peek", "read_bytes", "gunzip", "mb"]
