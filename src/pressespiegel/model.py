"""The shared document model: what every stage reads and writes.

A ``RawDocument`` is what a reader found in an input (one file, one feed item, one JSON line) before extraction.
A ``Document`` is the extracted, analysed article. Spans (``Entity``, ``Quote``, ``Timex``) carry character offsets
into ``Document.text`` so that every fact links back to the exact source span.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, Literal

Kind = Literal["text", "html", "jsonl", "feed"]
LineKind = Literal["body", "boilerplate", "comment"]


def content_hash(*parts: str | None) -> str:
    """SHA-256 over NFC-normalised content with unified newlines: the identity of a document.

    The same article re-encoded (UTF-8 vs cp1252) or with Windows newlines hashes the same, so ingesting it twice
    stores it once.
    """
    h = hashlib.sha256()
    for part in parts:
        text = unicodedata.normalize("NFC", (part or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
        h.update(text.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def utcnow() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class RawDocument:
    """One document as a reader found it, with its provenance."""

    source: str  # contract `source`: path, URL, JSON Lines id, or `path#line`
    kind: Kind  # which reader produced it
    content: str  # decoded text or HTML
    is_html: bool = False
    path: str | None = None  # the file it came from ("-" for stdin)
    url: str | None = None
    title: str | None = None
    published: str | None = None  # YYYY-MM-DD given by the container (feed, JSON Lines)
    outlet: str | None = None
    encoding: str | None = None
    size_bytes: int = 0
    fetched_at: str | None = None  # when the page was fetched, if the input says so
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return content_hash(self.title if self.kind in ("jsonl", "feed") else None, self.content)


@dataclass
class Rejection:
    """An input that could not become a document: named with a one-line reason and kept as a quarantine record."""

    source: str
    reason: str
    size_bytes: int = 0
    fingerprint: str | None = None  # hash of the offending bytes, so a re-run does not record it twice
    detail: str | None = None  # a traceback for unexpected failures, shown with --debug only

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass
class LineLabel:
    line: int  # 1-based, counting blank lines (as `nl -ba`)
    kind: LineKind


@dataclass
class Comment:
    author: str | None = None
    reply_to: int | None = None  # index of the comment replied to, in the document's comment list
    posted: str | None = None  # as written on the page, or ISO date-time where the page has one
    text: str = ""


@dataclass
class Entity:
    start: int
    end: int
    text: str
    label: Literal["PER", "ORG", "LOC", "OTH"]
    canonical: str
    id: str | None = None  # the real-world entity across documents (analyse.linking): "geonames:703448", "per:…"
    role: str | None = None  # a person's role as the text gives it: "NATO-Generalsekretär"
    geonames_id: int | None = None
    kb_id: str | None = None  # id in the knowledge base the user supplied


@dataclass
class Nominal:
    """A mention of a person by a noun phrase ("der Niederländer", "der Kreml-Sprecher", "die 57-Jährige") with the
    person it refers to."""

    start: int
    end: int
    text: str
    canonical: str | None = None
    entity_id: str | None = None


@dataclass
class Quote:
    start: int
    end: int
    text: str
    kind: Literal["direct", "indirect"]
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None


@dataclass
class Figure:
    """A quantity the text reports: "rund 2.400 Menschen" → value 2400, unit "Menschen", qualifier "about"."""

    start: int
    end: int
    text: str
    value: float
    unit: str  # the unit or the thing counted, as written ("Prozent", "Euro", "Arbeitsplätze")
    qualifier: str | None = None  # about, over, under, up_to; None when the text gives the value as exact


@dataclass
class Timex:
    start: int
    end: int
    text: str
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str


@dataclass
class Document:
    """An extracted article with its provenance and analysis; the unit every later stage works on."""

    source: str
    content_hash: str
    kind: Kind
    text: str = ""
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    language: str = "und"
    url: str | None = None
    path: str | None = None
    ingested_at: str = field(default_factory=utcnow)
    fetched_at: str | None = None
    size_bytes: int = 0
    encoding: str | None = None
    agencies: list[str] = field(default_factory=list)
    lines: list[LineLabel] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    nominals: list[Nominal] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)  # where title/outlet/published came from
    id: int | None = None
    story_id: int | None = None
    duplicate_of: int | None = None

    def to_contract(self) -> dict[str, Any]:
        """The JSON object `pressespiegel analyze` prints (GUIDE section 2); fields are only ever added."""
        return {
            "source": self.source,
            "title": self.title,
            "outlet": self.outlet,
            "published": self.published,
            "language": self.language,
            "text": self.text,
            "lines": [plain(x) for x in self.lines],
            "comments": [plain(x) for x in self.comments],
            "entities": [plain(x) for x in self.entities],
            "nominals": [plain(x) for x in self.nominals],
            "quotes": [plain(x) for x in self.quotes],
            "timexes": [plain(x) for x in self.timexes],
            "figures": [plain(x) for x in self.figures],
            "url": self.url,
            "agencies": list(self.agencies),
            "content_hash": self.content_hash,
        }


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def plain(item: Any) -> dict[str, Any]:
    """A span, comment or line label as a dict. Their fields are plain values (text, numbers, None): no deep copy
    (``dataclasses.asdict``, several times slower) is needed."""
    return {name: getattr(item, name) for name in _field_names(type(item))}


@dataclass
class Story:
    """A group of articles about one event."""

    id: int
    title: str
    document_ids: list[int]
    first_published: str | None = None
    last_published: str | None = None
    outlets: list[str] = field(default_factory=list)
