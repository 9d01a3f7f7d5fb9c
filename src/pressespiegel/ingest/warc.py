"""WARC reader: web archives as Common Crawl's CC-NEWS publishes them (gzip per record, or plain, or gzip'd whole).

HTTP ``response`` records whose body is HTML or XHTML become raw documents of kind ``html``, with the URL
(``WARC-Target-URI``) and the fetch time (``WARC-Date``). Everything else — requests, metadata, revisits, warcinfo,
images, PDFs, error pages — is skipped and counted. Broken records (a wrong ``Content-Length``, unreadable headers,
corrupt compressed data, a file that ends inside a record) and records over ``max_document_bytes`` are counted and
become quarantine records; reading goes on with the next record that can be found, and nothing read before the break
is lost. The file is streamed: memory stays at about one record, however large the archive.

Records are parsed by warcio (Webrecorder's reference WARC library); this module adds the decompression that can
skip a damaged gzip member, the checks for lengths and truncation, and the resynchronisation after a broken record.

Library use (one file, e.g. in a distributed job)::

    counts = WarcCounts()
    for item in read_warc("CC-NEWS-20240101-00000.warc.gz", Limits(), counts=counts):
        ...  # RawDocument (kind "html") or Rejection
    print(counts)  # WARC: 812 HTML responses, 1,204 other records skipped, 3 broken
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator, WARCIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from ..config import Limits
from ..model import RawDocument, Rejection
from .decode import decode
from .detect import sniff
from .html import declared_charset
from .sources import InputError, mb

_HTML_TYPES = ("text/html", "application/xhtml+xml", "application/xml+xhtml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
_WARC_LINE = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_BLOCK = 1 << 16


@dataclass
class WarcCounts:
    """What the WARC input held: the numbers the run summary prints."""

    html: int = 0  # HTML responses that became documents
    other: int = 0  # records skipped on purpose: requests, metadata, revisits, warcinfo, non-HTML or error responses
    broken: int = 0  # broken records (wrong length, unreadable, cut off, undecodable body)
    too_large: int = 0  # records over max_document_bytes
    files: int = 0

    @property
    def records(self) -> int:
        return self.html + self.other + self.broken + self.too_large

    def add(self, other: WarcCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def __str__(self) -> str:
        parts = [f"{self.html:,} HTML responses", f"{self.other:,} other records skipped", f"{self.broken:,} broken"]
        if self.too_large:
            parts.append(f"{self.too_large:,} too large")
        return "WARC: " + ", ".join(parts)


def is_warc(head: bytes) -> bool:
    """True when the first bytes of an input (plain or gzip'd) are a WARC record header."""
    if head.startswith(_GZIP_MAGIC):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 16)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith((b"WARC/1.0", b"WARC/1.1"))


def read_warc(source: str | Path | IO[bytes], limits: Limits | None = None, name: str | None = None,
              counts: WarcCounts | None = None) -> Iterator[RawDocument | Rejection]:
    """Documents (HTML responses) and rejections (broken or oversized records) of one WARC file, in file order.

    ``source`` is a path or a binary stream (plain or gzip'd WARC); ``counts`` (if given) is updated as records are
    read. Never raises for bad data: whatever is wrong becomes a rejection and the counts.
    """
    limits = limits or Limits()
    counts = counts if counts is not None else WarcCounts()
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            yield from _read(fh, name or str(source), limits, counts)
    else:
        yield from _read(source, name or getattr(source, "name", None) or "<warc>", limits, counts)


def read(data: bytes, name: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    """The reader interface of the other formats (a whole input in memory); files are streamed by ``read_warc``."""
    yield from read_warc(io.BytesIO(data), limits, name)


def document_from_response(body: bytes, *, url: str | None, fetched: str | None = None,
                           content_type: str | None = None, path: str | None = None,
                           limits: Limits | None = None, meta: dict[str, Any] | None = None) -> RawDocument:
    """One HTTP response body (bytes as sent) as a raw HTML document. The page's own declaration (byte-order mark,
    ``<meta charset>``, XML declaration) decides the encoding, else the charset of the HTTP ``Content-Type``, else
    detection. Raises ``InputError`` when the body is too large or not text."""
    limits = limits or Limits()
    if len(body) > limits.max_document_bytes:
        raise InputError(f"too large for one article: {mb(len(body))} (limit {mb(limits.max_document_bytes)})")
    declared = declared_charset(body) or http_charset(content_type)
    text, encoding = decode(body, declared)
    return RawDocument(source=url or path or "<warc>", path=path, kind="html", content=text, is_html=True, url=url,
                       encoding=encoding, size_bytes=len(body), fetched_at=fetched, meta=dict(meta or {}))


def http_charset(content_type: str | None) -> str | None:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def warc_date(value: str | None) -> str | None:
    """`2026-03-10T08:15:00Z` (or with fractions of a second, WARC 1.1) → `2026-03-10T08:15:00+00:00`."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).replace(microsecond=0).isoformat()


# -- reading ----------------------------------------------------------------------------------------------------------


class _Broken(Exception):
    """A record that cannot be used; the message is the reason."""


class _Inflated:
    """A binary stream that decompresses gzip on the fly (one member per record, or one for the whole file) and
    passes plain WARC through. A damaged member is skipped up to the next gzip header; a truncated file reads as the
    end of the stream. Problems are noted (``damaged``, ``truncated``) for the reader to count, never raised."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.pending = bytearray()  # decompressed bytes not yet handed out (or given back)
        self.damaged: list[str] = []
        self.truncated = False
        self.offset = 0  # decompressed bytes handed out
        first = raw.read(_BLOCK)
        self.compressed = bytearray(first)
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS) if first.startswith(_GZIP_MAGIC) else None
        self.in_member = False  # the current gzip member has begun and not ended
        self.eof = False

    def tell(self) -> int:
        return self.offset

    def unread(self, data: bytes) -> None:
        self.pending[:0] = data
        self.offset -= len(data)

    def read(self, size: int = -1) -> bytes:
        want = size if size is not None and size >= 0 else 1 << 62
        while len(self.pending) < want and not self.eof:
            self._fill()
        out = bytes(self.pending[:want])
        del self.pending[:want]
        self.offset += len(out)
        return out

    def _fill(self) -> None:
        if not self.compressed:
            more = self.raw.read(_BLOCK)
            if not more:
                self.truncated = self.truncated or self.in_member
                self.eof = True
                return
            self.compressed += more
        if self.z is None:
            self.pending += self.compressed
            self.compressed.clear()
            return
        try:
            self.pending += self.z.decompress(bytes(self.compressed), _BLOCK * 4)
        except zlib.error as exc:
            self.damaged.append(f"corrupt compressed data ({exc})")
            self._skip_to_next_member(1)
            return
        self.in_member = True
        self.compressed = bytearray(self.z.unconsumed_tail)
        if self.z.eof:  # the next gzip member (CC-NEWS: one per record)
            self.compressed = bytearray(self.z.unused_data)
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self.in_member = False
            if self.compressed and not self.compressed.startswith(_GZIP_MAGIC[:len(self.compressed)]):
                self.damaged.append("data between compressed records")
                self._skip_to_next_member(0)

    def _skip_to_next_member(self, start: int) -> None:
        """Drop compressed bytes up to the next gzip header (searching from ``start``)."""
        self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self.in_member = False
        self.pending += b"\n"  # end any half line of the damaged record
        while True:
            at = self.compressed.find(_GZIP_MAGIC, start)
            if at >= 0:
                del self.compressed[:at]
                return
            keep = bytes(self.compressed[-2:])
            more = self.raw.read(_BLOCK)
            if not more:
                self.compressed.clear()
                return
            self.compressed = bytearray(keep + more)
            start = 0


class _Records(WARCIterator):
    """warcio's WARC iterator (never ARC) without its warnings on standard error (a wrong Content-Length is counted
    instead)."""

    INC_RECORD = ""


def _read(raw: IO[bytes], name: str, limits: Limits, counts: WarcCounts) -> Iterator[RawDocument | Rejection]:
    counts.files += 1
    stream = _Inflated(raw)
    n = 0  # records seen
    damaged = 0  # damaged gzip members reported
    cut_off = False  # a record was found cut off (the file is truncated)

    def broken(number: int, reason: str, size: int = 0) -> Rejection:
        counts.broken += 1
        return Rejection(f"{name}#record{number}", f"broken WARC record: {reason}", size)

    while True:
        records = _Records(stream, check_digests=True)
        pending: _Pending | None = None
        errors = 0
        failure: str | None = None
        try:
            for record in records:
                if pending is not None:  # the previous record is known to be whole only once the next one starts
                    yield from _settle(pending, records.err_count > errors, counts, broken)
                    errors = records.err_count
                while damaged < len(stream.damaged):  # a damaged gzip member skipped while reading ahead
                    n += 1
                    yield broken(n, stream.damaged[damaged] + "; skipped to the next record")
                    damaged += 1
                n += 1
                pending = _Pending(n, *_examine(record, name, n, limits), record.digest_checker)
                cut_off = cut_off or pending.what == "cut_off"
        except (ArchiveLoadFailed, StatusAndHeadersParserException) as exc:
            failure = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:160]
        except Exception as exc:  # noqa: BLE001 - whatever a damaged record makes the parser raise: count, go on
            failure = f"{type(exc).__name__}: {str(exc)[:120]}"
        if pending is not None:
            yield from _settle(pending, records.err_count > errors or failure is not None, counts, broken)
        while damaged < len(stream.damaged):
            n += 1
            yield broken(n, stream.damaged[damaged] + "; skipped to the next record")
            damaged += 1
        if failure is None:
            if stream.truncated and not cut_off:
                n += 1
                yield broken(n, "the file ends inside a record (truncated file)")
            return
        n += 1
        yield broken(n, f"unreadable record header ({failure})")
        if not _resync(stream, records):
            return


@dataclass
class _Pending:
    number: int
    what: str  # html, other, too_large, broken, cut_off
    item: RawDocument | Rejection | None
    digests: Any = None  # warcio's DigestChecker: ``passed`` is True when the record's digests were verified


def _settle(pending: _Pending, damaged: bool, counts: WarcCounts, broken: Any) -> Iterator[RawDocument | Rejection]:
    """Count a record and hand out its document or rejection; a record that did not end where its Content-Length
    said is broken whatever it held (its body is not what was sent) — unless its digest proves it whole and what
    follows it is the damage."""
    item = pending.item
    if damaged and getattr(pending.digests, "passed", None) is not True:
        where = f": {item.source}" if item is not None else ""
        yield broken(pending.number, f"wrong Content-Length (the record does not end where its header says){where}",
                     item.size_bytes if item is not None else 0)
        return
    if pending.what == "html":
        counts.html += 1
    elif pending.what == "too_large":
        counts.too_large += 1
    elif pending.what in ("broken", "cut_off"):
        counts.broken += 1
    else:
        counts.other += 1
    if item is not None:
        yield item


def _examine(record: Any, name: str, n: int, limits: Limits) -> tuple[str, RawDocument | Rejection | None]:
    """What one record is: ("html", document), ("other", None), ("too_large", rejection), ("broken", rejection)."""
    where = f"{name}#record{n}"
    headers = record.rec_headers
    if record.rec_type != "response":
        return "other", None
    url = headers.get_header("WARC-Target-URI")
    http = record.http_headers
    if http is None or not (url or "").lower().startswith(("http:", "https:")):
        return "other", None
    try:
        status = int(http.get_statuscode() or 0)
    except ValueError:
        status = 0
    content_type = http.get_header("Content-Type") or ""
    if not 200 <= status < 300:
        return "other", None
    declared_type = content_type.split(";")[0].strip().lower()
    if declared_type and declared_type not in _HTML_TYPES:
        return "other", None
    length = _int(headers.get_header("Content-Length"))
    if length is not None and length > limits.max_document_bytes:
        return "too_large", Rejection(
            url or where, f"WARC record too large: {mb(length)} (limit {mb(limits.max_document_bytes)}, see [limits] "
            "max_document_bytes)", length)
    try:
        body = record.content_stream().read(limits.max_document_bytes + 1)
        if len(body) > limits.max_document_bytes:
            return "too_large", Rejection(url or where, f"HTTP body too large: more than "
                                          f"{mb(limits.max_document_bytes)} (decompressed)", len(body))
        _drain(record)
        if getattr(record.raw_stream, "limit", 0) > 0:
            return "cut_off", Rejection(url or where, "broken WARC record: cut off before its end (truncated file)",
                                        len(body))
    except Exception as exc:  # noqa: BLE001 - bad chunked or compressed HTTP bodies raise all sorts of errors
        return "broken", Rejection(url or where, f"broken WARC record: unreadable body ({type(exc).__name__}: "
                                   f"{str(exc)[:120]})", 0)
    if not declared_type and sniff(body[:4096]) != "html":
        return "other", None
    try:
        doc = document_from_response(
            body, url=url, fetched=warc_date(headers.get_header("WARC-Date")), content_type=content_type, path=name,
            limits=limits, meta={"warc_record": n, "warc_record_id": headers.get_header("WARC-Record-ID")})
    except InputError as exc:
        return "broken", Rejection(url or where, f"HTTP body of a WARC record: {exc}", len(body))
    return "html", doc


def _drain(record: Any) -> None:
    raw = record.raw_stream
    while raw.read(_BLOCK):
        pass


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _resync(stream: _Inflated, records: ArchiveIterator) -> bool:
    """After a broken record: give back what warcio had buffered, then skip to the next line ``WARC/1.x``."""
    reader = getattr(records, "reader", None)
    buff = getattr(reader, "buff", None)
    if buff is not None:
        stream.unread(buff.read())
    carry = b""
    while True:
        block = stream.read(_BLOCK)
        if not block:
            return False
        data = carry + block
        m = _WARC_LINE.search(data)
        if m:
            stream.unread(data[m.start(1):])
            return True
        carry = data[-16:]
