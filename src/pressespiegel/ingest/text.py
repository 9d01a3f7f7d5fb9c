"""Plain-text reader: one file is one document (a pasted page dump or a clean article)."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import Limits
from ..model import RawDocument
from .decode import decode
from .sources import InputError, mb


def read(data: bytes, name: str, limits: Limits) -> Iterator[RawDocument]:
    check_document_size(data, limits)
    text, encoding = decode(data)
    yield RawDocument(source=name, path=name, kind="text", content=text, encoding=encoding, size_bytes=len(data))


def check_document_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_document_bytes:
        raise InputError(f"too large for one article: {mb(len(data))} (limit {mb(limits.max_document_bytes)}, "
                         "see [limits] max_document_bytes)")
