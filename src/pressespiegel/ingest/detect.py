"""Which reader an input needs: by file name where it is telling, else by looking at the first bytes."""

from __future__ import annotations

import re
from pathlib import PurePath

KINDS = ("text", "html", "jsonl", "feed", "warc")

_BY_SUFFIX = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html", ".php": "html", ".aspx": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".rss": "feed", ".atom": "feed", ".rdf": "feed", ".xml": "feed",
    ".txt": "text", ".text": "text", ".md": "text",
    ".warc": "warc",
}
_UNSUPPORTED = {".pdf": "PDF is not supported",
                ".zip": "ZIP archives are not supported: unpack them first",
                ".docx": "Word documents are not supported", ".odt": "OpenDocument files are not supported"}

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_HINT = re.compile(rb"<(!doctype\s+html|html|head|body|article|div|p|meta|title|h1)[\s>/]", re.I)


def kind_by_name(name: str) -> str | None:
    """Kind from the file name, ignoring a trailing `.gz`; raises ValueError for formats we refuse outright."""
    suffixes = [s.lower() for s in PurePath(name).suffixes]
    if suffixes[-1:] == [".gz"]:
        suffixes = suffixes[:-1]
    if not suffixes:
        return None
    last = suffixes[-1]
    if last in _UNSUPPORTED:
        raise ValueError(_UNSUPPORTED[last])
    return _BY_SUFFIX.get(last)


def sniff(data: bytes) -> str:
    """Kind from content: a WARC record, feed and HTML markup, a JSON object on the first line, otherwise plain
    text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    if head.startswith((b"WARC/1.0", b"WARC/1.1")):
        return "warc"
    if head.startswith(b"<"):
        if _FEED_ROOT.search(data[:4096]):
            return "feed"
        if _HTML_HINT.search(head):
            return "html"
    if head.startswith(b"{"):
        start = len(data) - len(data.lstrip(b"\xef\xbb\xbf \t\r\n"))
        end = data.find(b"\n", start)
        if data[start: end if end >= 0 else len(data)].rstrip().endswith(b"}"):
            return "jsonl"
    return "text"
