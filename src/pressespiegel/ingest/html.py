"""HTML reader: one file is one page; the encoding a page declares is honoured when it is not UTF-8."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..config import Limits
from ..model import RawDocument
from .decode import decode
from .text import check_document_size

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def declared_charset(data: bytes) -> str | None:
    m = _DECLARED.search(data[:8192])
    return (m.group(1) or m.group(2)).decode("ascii") if m else None


def read(data: bytes, name: str, limits: Limits) -> Iterator[RawDocument]:
    check_document_size(data, limits)
    text, encoding = decode(data, declared_charset(data))
    yield RawDocument(source=name, path=name, kind="html", content=text, is_html=True, encoding=encoding,
                      size_bytes=len(data))
