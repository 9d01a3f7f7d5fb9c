"""Extract: raw document → clean article text, title, metadata and reader comments.

HTML goes through ``html`` (trafilatura plus our comment-widget parser); plain text through ``textdump`` (line
labels body / boilerplate / comment) unless the caller says the text is already clean.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ..model import Document, LineLabel, RawDocument
from ..urls import domain_of
from . import comments, metadata, textdump
from . import html as html_extract


def clear_caches() -> None:
    """Forget the per-line rule results cached across documents (benchmarks measure cold runs)."""
    for module in (textdump, comments):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


class ExtractionError(Exception):
    """The input holds no article text; the message is the one-line reason."""


def extract(raw: RawDocument, *, clean: bool = False, published: str | None = None) -> Document:
    """Build the ``Document`` for a raw input; ``published`` is the fallback reference date."""
    doc = Document(source=raw.source, content_hash=raw.content_hash, kind=raw.kind, url=raw.url, path=raw.path,
                   size_bytes=raw.size_bytes, encoding=raw.encoding, fetched_at=raw.fetched_at)
    if raw.is_html:
        _from_html(raw, doc)
    else:
        _from_text(raw, doc, clean)
    if raw.title:
        doc.title, doc.evidence["title"] = raw.title, "input field"
    if raw.meta.get("author"):
        doc.agencies = doc.agencies or metadata.agencies([str(raw.meta["author"])])
    if raw.title or raw.is_html:
        doc.text = _with_headline(doc.title, doc.text)
    if not doc.text.strip():
        raise ExtractionError("no article text found")
    if raw.outlet:
        doc.outlet, doc.evidence["outlet"] = _outlet_domain(raw.outlet), "input field"
    elif doc.outlet is None and doc.url:
        doc.outlet, doc.evidence["outlet"] = domain_of(doc.url), f"url {doc.url}"
    if raw.published:
        doc.published, doc.evidence["published"] = raw.published, "input field"
    elif doc.published is None and (dated := _file_name_date(raw.path)):
        doc.published, doc.evidence["published"] = dated, f"file name {Path(raw.path or '').name}"
    elif doc.published is None and published:
        doc.published, doc.evidence["published"] = published, "reference date given by the user"
    return doc


_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?!\d)")


def _file_name_date(path: str | None) -> str | None:
    """A publication date written in the file name ("rheinkurier_2026-11-02_deichbruch.txt", "20261102-…")."""
    if not path or path == "-":
        return None
    m = _FILE_DATE.search(Path(path).name)
    if m is None:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _from_html(raw: RawDocument, doc: Document) -> None:
    article = html_extract.extract(raw.content, raw.url)
    if article is None:
        raise ExtractionError("no article text found in the HTML (empty, script-only or nested too deeply)")
    doc.text = article.text
    doc.title = article.title
    doc.comments = article.comments
    doc.url = doc.url or article.url
    if article.title:
        doc.evidence["title"] = "page metadata"
    if article.published:
        doc.published, doc.evidence["published"] = article.published[:10], "page metadata"
    outlet = metadata.outlet_from_sitename(article.sitename) or domain_of(doc.url)
    if outlet:
        doc.outlet, doc.evidence["outlet"] = outlet, f"page metadata ({article.sitename or doc.url})"
    author = [article.author.replace(";", "/")] if article.author else []  # trafilatura joins authors with ";"
    doc.agencies = metadata.agencies(doc.text.split("\n")[:6] + author)


def _from_text(raw: RawDocument, doc: Document, clean: bool) -> None:
    seg = None
    if clean:
        lines = raw.content.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        doc.lines = [LineLabel(i + 1, "body") for i, line in enumerate(lines) if line.strip()]
        body, boilerplate = [re.sub(r"\s+", " ", line).strip() for line in lines if line.strip()], []
    else:
        seg = textdump.segment(raw.content)
        doc.lines, doc.comments = seg.labels, seg.comments
        body, boilerplate = seg.body, seg.boilerplate
    headline = seg.headline if seg is not None else None
    if headline is None and body and textdump.headline_like(body[0]) and len(body) > 1:
        headline = body[0]
    if headline:
        kicker, doc.title = metadata.split_kicker(headline)
        doc.evidence["title"] = "headline line"
        if kicker and headline in body:  # copy-paste glued the kicker to the headline: two lines of text again
            body = [f"{kicker}\n{doc.title}" if line == headline else line for line in body]
    doc.text = "\n".join(body)
    found_date = metadata.page_date(boilerplate + body[:8])  # the date line may sit under the headline
    if found_date:
        doc.published, doc.evidence["published"] = found_date[0], f"page: {found_date[1]}"
    found_outlet = metadata.outlet_from_text(boilerplate) or metadata.dateline_outlet(body[:6])
    if found_outlet is None and (named := metadata.outlet_name_from_text(boilerplate)):
        # only a name on the page: a known outlet's domain, else the name itself
        found_outlet = (metadata.outlet_from_sitename(named[0]) or named[0], named[1])
    if found_outlet:
        doc.outlet, doc.evidence["outlet"] = found_outlet[0], f"page: {found_outlet[1][:80]}"
    doc.agencies = metadata.agencies(body[:10] + boilerplate)


def _with_headline(title: str | None, text: str) -> str:
    """The contract's `text` starts with the headline; pages and feeds keep it apart from the body."""
    if not title:
        return text
    top = [line.strip() for line in text.split("\n")[:3]]
    if any(title.strip() == line or title.strip() in line for line in top):
        return text
    return f"{title.strip()}\n{text}" if text else title.strip()


def _outlet_domain(outlet: str) -> str:
    """An outlet given as a URL or a known name is reported as its domain; other names stay as given."""
    return domain_of(outlet) if "://" in outlet else (metadata.outlet_from_sitename(outlet) or outlet.strip())
