"""An article's text as HTML with its entities, dates, figures and quotes marked and linked.

The text is hostile input: every piece of it goes through ``markupsafe.escape``; only the tags made here are markup.
Quotes are the outer layer; entities, dates and figures the inner one (an inner span that crosses a quote's edge or
overlaps a span of higher rank — entity, then date, then figure — is left unmarked).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote as urlquote

from markupsafe import Markup, escape

from ..model import Timex
from ..stories.timeline import calendar_value

LABELS = {"PER": "Person", "ORG": "Organisation", "LOC": "Ort", "OTH": "Sonstiges"}


def entity_href(entity_id: str) -> str:
    return "/entities/" + urlquote(entity_id, safe="")


@dataclass
class Span:
    start: int
    end: int
    rank: int  # 0 entity, 1 date, 2 figure; quotes are outer spans
    open: Markup
    close: Markup


@dataclass
class Rendered:
    kicker: list[Markup] = field(default_factory=list)
    headline: Markup | None = None
    body: list[Markup] = field(default_factory=list)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _inner(article: dict, story_id: int | None) -> list[Span]:
    text = article["text"]
    spans: list[Span] = []
    for e in article.get("entities", []):
        kind = LABELS.get(e["label"], e["label"])
        tip = escape(f"{kind}: {e['canonical'] or e['text']}" + (f" ({e['role']})" if e.get("role") else ""))
        cls = f"ent {e['label'].lower()}"
        if e.get("entity_id"):
            spans.append(Span(e["start"], e["end"], 0, Markup(f'<a class="{cls}" href="{escape(entity_href(e["entity_id"]))}" '
                                                                 f'title="{tip}">'), Markup("</a>")))
        else:
            spans.append(Span(e["start"], e["end"], 0, Markup(f'<span class="{cls}" title="{tip}">'),
                              Markup("</span>")))
    for t in article.get("timexes", []):
        value = calendar_value(Timex(start=t["start"], end=t["end"], text=t["text"], type=t["type"], value=t["value"]),
                               text, article.get("published"))
        tip = escape(f"Zeitangabe: {t['value']}")
        if value and story_id is not None:
            href = escape(f"/stories/{story_id}#t-{value}")
            spans.append(Span(t["start"], t["end"], 1, Markup(f'<a class="tx" href="{href}" title="{tip} – in der '
                                                                 f'Zeitleiste des Themas">'), Markup("</a>")))
        else:
            spans.append(Span(t["start"], t["end"], 1, Markup(f'<span class="tx" title="{tip}">'), Markup("</span>")))
    for f in article.get("figures", []):
        tip = escape(f"Zahl: {f['value']:g} {f['unit']}")
        spans.append(Span(f["start"], f["end"], 2, Markup(f'<span class="fig" id="f-{int(f["start"])}" title="{tip}">'),
                          Markup("</span>")))
    placed: list[Span] = []
    for span in sorted(spans, key=lambda x: (x.rank, x.start, -x.end)):
        if 0 <= span.start < span.end <= len(text) and all(span.end <= p.start or span.start >= p.end for p in placed):
            placed.append(span)
    return sorted(placed, key=lambda x: x.start)


def render(article: dict, story_id: int | None, quote_ref: Callable[[dict, int], Markup] | None = None) -> Rendered:
    """The article's text split into kicker, headline (the title's line, when the text has it) and body paragraphs;
    ``quote_ref(quote, number)`` gives the marker set after each quote."""
    text: str = article["text"]
    quotes = sorted((q for q in article.get("quotes", []) if 0 <= q["start"] < q["end"] <= len(text)),
                    key=lambda q: (q["start"], -q["end"]))
    outer: list[tuple[int, dict]] = []
    for n, q in enumerate(quotes, 1):
        if not outer or q["start"] >= outer[-1][1]["end"]:
            outer.append((n, q))
    inner = [s for s in _inner(article, story_id)
             if not any(s.start < q["start"] < s.end or s.start < q["end"] < s.end for _, q in outer)]

    def plain(a: int, b: int) -> Markup:
        out, pos = [], a
        for s in inner:
            if s.start >= a and s.end <= b:
                out += [escape(text[pos:s.start]), s.open, escape(text[s.start:s.end]), s.close]
                pos = s.end
        out.append(escape(text[pos:b]))
        return Markup("").join(out)

    def paragraph(a: int, b: int) -> Markup:
        out, pos = [], a
        for n, q in outer:
            qs, qe = max(q["start"], a), min(q["end"], b)
            if qs >= qe:
                continue
            out += [plain(pos, qs), Markup(f'<span class="quote {"direct" if q["kind"] == "direct" else "indirect"}" '
                                           f'id="q-{int(q["start"])}">'), plain(qs, qe), Markup("</span>")]
            if quote_ref is not None and qe == q["end"]:
                out.append(quote_ref(q, n))
            pos = qe
        out.append(plain(pos, b))
        return Markup("").join(out)

    paras = _paragraphs(text)
    title = (article.get("title") or "").strip()
    top = next((i for i, (a, b) in enumerate(paras[:3]) if title and title in text[a:b]), None)
    out = Rendered()
    for i, (a, b) in enumerate(paras):
        if top is not None and i < top:
            out.kicker.append(paragraph(a, b))
        elif top is not None and i == top:
            glued = text.index(title, a)  # a kicker glued to the headline ("Hochwasser im KreisDeich gebrochen")
            if glued > a:
                out.kicker.append(paragraph(a, glued))
            out.headline = paragraph(glued, b)
        else:
            out.body.append(paragraph(a, b))
    return out


def quote_numbers(quotes: Sequence[dict]) -> list[tuple[int, dict]]:
    """The quotes of an article numbered in text order, as ``render`` numbers them."""
    return list(enumerate(sorted(quotes, key=lambda q: (q["start"], -q["end"])), 1))
