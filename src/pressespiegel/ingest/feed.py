"""RSS and Atom reader: each item is a document.

XML with entity declarations is refused before any parser sees it (entity-expansion bombs); the well-formedness
check runs on defusedxml, which forbids entities as well, and feedparser then maps the many feed dialects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..config import Limits
from ..model import RawDocument, Rejection
from ..urls import domain_of
from .jsonl import normalise_date
from .sources import InputError

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)


def read(data: bytes, name: str, limits: Limits) -> Iterator[RawDocument | Rejection]:
    if _ENTITY_DECL.search(data):
        raise InputError("XML entity declarations are refused (possible entity-expansion bomb)")
    try:
        fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
        well_formed = True
    except DefusedXmlException as exc:
        raise InputError(f"unsafe XML refused: {type(exc).__name__}") from None
    except (ParseError, ValueError):
        well_formed = False  # feedparser's lenient parser may still recover the items
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    entries = parsed.entries
    if not entries:
        why = "malformed XML" if not well_formed else "no items"
        raise InputError(f"not a readable RSS/Atom feed ({why})")
    channel_link = parsed.feed.get("link") or ""
    outlet = domain_of(channel_link)
    for n, e in enumerate(entries[: limits.max_items_per_container], 1):
        body = _content(e)
        link = e.get("link")
        source = link or e.get("id") or f"{name}#item{n}"
        if not body.strip():
            yield Rejection(source, "feed item without content", 0)
            continue
        yield RawDocument(
            source=source, path=name, kind="feed", content=body, is_html=True, url=link,
            title=(e.get("title") or "").strip() or None, published=_date(e),
            outlet=domain_of(link) or outlet, size_bytes=len(body.encode("utf-8")),
            meta={"item": n, "author": e.get("author"), "feed": parsed.feed.get("title")},
        )


def _content(e: dict) -> str:
    contents = [c.get("value", "") for c in e.get("content", []) if c.get("value")]
    best = max(contents, key=len) if contents else ""
    summary = e.get("summary", "") or ""
    return best if len(best) >= len(summary) else summary


def _date(e: dict) -> str | None:
    """Publication date in the feed's own time zone (converting to UTC would move late-evening items a day)."""
    for key in ("published", "updated", "created"):
        raw = e.get(key)
        if not raw:
            continue
        try:
            return parsedate_to_datetime(raw).date().isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        iso = normalise_date(raw)
        if iso:
            return iso
    return None
