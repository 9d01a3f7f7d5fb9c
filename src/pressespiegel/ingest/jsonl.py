"""JSON Lines reader: one object per line, `{"id", "url", "title", "published", "outlet", "text" or "html"}`.

A broken line is rejected on its own; the good lines around it are read. A `.json` file holding one array of such
objects is accepted too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import BinaryIO

from ..config import Limits
from ..model import RawDocument, Rejection, content_hash
from .decode import decode
from .sources import InputError, mb


def read(data: bytes, name: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    text, _ = decode(data)
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except ValueError as exc:
            raise InputError(f"invalid JSON array: {exc}") from None
        if not isinstance(records, list):
            raise InputError("a JSON file must hold one object per line or one array of objects")
        for n, obj in enumerate(records, 1):
            yield _record(obj, name, n, "item", len(data) // max(1, len(records)))
        return
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield _line(line, len(line.encode("utf-8")), name, n, limits)


def read_file(fh: BinaryIO, name: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    """The records of a JSON Lines file, streamed line by line: a file of a million articles is never in memory
    whole (nor bounded by ``max_container_bytes``). Lines are UTF-8; a line that is not is read as Windows-1252 (a
    line is too short to guess its encoding from)."""
    for n, raw in enumerate(fh, 1):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        size = len(raw)
        if size > limits.max_line_bytes:  # rejected by _line: not decoded whole
            raw = raw[:100_000]
        yield _line(_decode_line(raw), size, name, n, limits)


def _decode_line(raw: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def _line(line: str, size: int, name: str, n: int, limits: Limits) -> RawDocument | Rejection:
    if size > limits.max_line_bytes:
        return Rejection(f"{name}#{n}", f"line too large: {mb(size)} (limit {mb(limits.max_line_bytes)})",
                         size, content_hash(line[:100_000]))
    try:
        obj = json.loads(line)
    except ValueError as exc:
        return Rejection(f"{name}#{n}", f"invalid JSON: {exc}", size, content_hash(line))
    return _record(obj, name, n, "line", size)


def _record(obj: object, name: str, n: int, what: str, size: int) -> RawDocument | Rejection:
    where = f"{name}#{n}"
    if not isinstance(obj, dict):
        return Rejection(where, f"{what} is not a JSON object", size, content_hash(json.dumps(obj)[:100_000]))
    text, html = obj.get("text"), obj.get("html")
    body = text if isinstance(text, str) and text.strip() else html if isinstance(html, str) and html.strip() else None
    if body is None:
        return Rejection(where, 'no "text" or "html" field with content', size, content_hash(json.dumps(obj)))
    fields = {k: obj.get(k) if isinstance(obj.get(k), str) and obj.get(k).strip() else None
              for k in ("id", "url", "title", "outlet", "published")}
    source = fields["id"] or fields["url"] or where
    published = normalise_date(fields["published"])  # an unreadable date is dropped, not the article
    return RawDocument(source=str(source), path=name, kind="jsonl", content=body, is_html=body is not text,
                       url=fields["url"], title=fields["title"], outlet=fields["outlet"], published=published,
                       size_bytes=size, meta={"line": n})


def normalise_date(value: str | None) -> str | None:
    """`2024-12-03`, `2024-12-03T18:57:00+01:00` or `20241203` → `2024-12-03`; anything else → None."""
    if not value:
        return None
    v = value.strip()
    for parse in (lambda s: date.fromisoformat(s[:10]), lambda s: datetime.fromisoformat(s).date(),
                  lambda s: datetime.strptime(s, "%Y%m%d").date()):
        try:
            return parse(v).isoformat()
        except ValueError:
            continue
    return None
