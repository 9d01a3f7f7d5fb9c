"""Outlets compared within a story: where they report the same quantity differently (figure conflicts), and which
outlet reports which quote, figure, entity and date (the coverage table, ``story_coverage``).

Two outlets conflict on a figure when each reports exactly one value for the same counted thing ("2.400 Menschen"
here, "2.500 Menschen" there; "rund 1.200 Arbeitsplätze" and "1.250 Arbeitsplätze") and the values differ by no more
than ``MAX_RATIO`` (further apart, they are most likely different quantities: "2 Tote" and "300 Menschen"). An
outlet that reports several values for one thing is left out for that thing: which of them would be the one to
compare is not known. Every side keeps its source span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store import Store

MAX_RATIO = 1.5


@dataclass(frozen=True)
class Side:
    document_id: int
    outlet: str
    start: int
    end: int
    text: str
    value: float
    qualifier: str | None


@dataclass
class Conflict:
    unit: str  # the counted thing as one outlet writes it
    sides: list[Side]  # one per outlet, smallest value first

    @property
    def values(self) -> list[float]:
        return [s.value for s in self.sides]


def unit_key(unit: str) -> str:
    """The counted thing, case and inflection aside: "Arbeitsplätzen" and "Arbeitsplätze" meet."""
    word = unit.split()[-1].lower()
    return word[:-1] if word.endswith("en") and len(word) > 5 and word[:-1].endswith(("ze", "te", "de", "ge")) \
        else word


def conflicts(figures: Iterable[tuple[int, str, dict]]) -> list[Conflict]:
    """Conflicts among ``(document_id, outlet, figure)`` triples of one story; a figure is a mapping with start,
    end, text, value, unit and qualifier (a stored row or ``dataclasses.asdict`` of a ``Figure``)."""
    by_unit: dict[str, dict[str, list[Side]]] = {}
    names: dict[str, str] = {}
    for doc_id, outlet, f in figures:
        key = unit_key(f["unit"])
        names.setdefault(key, f["unit"].split()[-1])
        by_unit.setdefault(key, {}).setdefault(outlet, []).append(
            Side(doc_id, outlet, f["start"], f["end"], f["text"], float(f["value"]), f["qualifier"]))
    out = []
    for key, per_outlet in sorted(by_unit.items()):
        single = [sides[0] for sides in per_outlet.values() if len({s.value for s in sides}) == 1]
        values = {s.value for s in single}
        if len(single) < 2 or len(values) < 2:
            continue
        low, high = min(values), max(values)
        if low <= 0 or high / low > MAX_RATIO:
            continue
        out.append(Conflict(unit=names[key], sides=sorted(single, key=lambda s: (s.value, s.outlet))))
    return out


def story_conflicts(articles: Iterable, figures: Iterable[dict]) -> dict[int | None, list[Conflict]]:
    """Conflicts of every story: ``articles`` are rows with id, story_id, duplicate_of, outlet and source (copies
    are left out: an agency text carried twice is one report), ``figures`` stored figure rows."""
    by_document: dict[int, list[dict]] = {}
    for f in figures:
        by_document.setdefault(f["document_id"], []).append(f)
    groups: dict[int | None, list[tuple[int, str, dict]]] = {}
    for a in articles:
        if a.duplicate_of is None:
            for f in by_document.get(a.id, []):
                groups.setdefault(a.story_id, []).append((a.id, a.outlet or a.source, f))
    return {story: found for story, items in groups.items() if (found := conflicts(items))}


# -- coverage: which outlet reports which quote, figure and fact ---------------------------------------------------

FACT_KINDS = ("quote", "figure", "entity", "date")
MIN_QUOTE_CHARS = 12  # shorter quotes ("Ja.", "fahrlässig") are not worth a row


@dataclass(frozen=True)
class Evidence:
    """Where one article reports a fact: its span (a quote, a figure, an entity mention, a dated sentence)."""

    document_id: int
    outlet: str
    start: int
    end: int
    text: str


@dataclass
class Fact:
    """A quote (statement), figure, entity or date of a story, and every place an article of the story reports it.

    ``key`` identifies it within the story: ``statement:<id>`` (quotes of one statement across articles, see
    stories.statements), ``figure:<counted thing>:<value>``, ``entity:<linked entity id>``, ``date:<calendar
    value>``; ``detail`` is the speaker, the counted thing, the entity label (PER, ORG, LOC) or the calendar value."""

    kind: str
    key: str
    label: str
    detail: str | None
    evidence: list[Evidence]
    direct: bool = False  # a quote labelled with direct speech (the words as said)

    @property
    def outlets(self) -> list[str]:
        return sorted({e.outlet for e in self.evidence})


@dataclass
class Coverage:
    """The coverage table of a story: its outlets (most articles first) and its facts (most outlets first)."""

    story_id: int
    outlets: list[str]
    articles: dict[str, list[int]]  # outlet → its article ids
    facts: list[Fact]

    def only(self) -> dict[str, list[Fact]]:
        """Facts only one outlet reports, by outlet (empty when the story has a single outlet)."""
        if len(self.outlets) < 2:
            return {}
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            if len(f.outlets) == 1:
                out.setdefault(f.outlets[0], []).append(f)
        return out

    def to_dict(self) -> dict:
        """Plain data (JSON-ready): every fact with its outlets and evidence, and the single-outlet facts."""
        return {"story_id": self.story_id, "outlets": self.outlets, "articles": self.articles,
                "facts": [{"kind": f.kind, "key": f.key, "label": f.label, "detail": f.detail, "direct": f.direct,
                           "outlets": f.outlets, "evidence": [asdict(e) for e in f.evidence]} for f in self.facts],
                "only": {outlet: [f.key for f in facts] for outlet, facts in self.only().items()}}


def coverage(story_id: int, articles: Iterable, rows: dict[str, Iterable[dict]]) -> Coverage:
    """The coverage table of a story from plain rows: ``articles`` with id, outlet (or source), published and text;
    ``rows`` the stored rows of their ``quotes``, ``figures``, ``entities`` and ``timexes`` (any may be missing).
    Agency copies count for the outlet that carried them: that outlet reports what the copy says."""
    from ..analyse.entities import name_key
    from ..model import Timex
    from .timeline import entries

    arts = {a.id: a for a in articles}
    outlet = {i: a.outlet or a.source for i, a in arts.items()}
    facts: dict[str, Fact] = {}

    def add(kind: str, key: str, label: str, detail: str | None, doc: int, start: int, end: int, text: str) -> None:
        fact = facts.setdefault(key, Fact(kind, key, label, detail, []))
        fact.evidence.append(Evidence(doc, outlet[doc], start, end, text))

    for q in rows.get("quotes", ()):
        if q["document_id"] in arts and len(q["text"] or "") >= MIN_QUOTE_CHARS:
            key = f"statement:{q['statement_id'] if q.get('statement_id') is not None else q['id']}"
            add("quote", key, q["text"], q["speaker"], q["document_id"], q["start"], q["end"], q["text"])
            if q["kind"] == "direct" and not facts[key].direct:
                facts[key].label, facts[key].direct = q["text"], True
            if q["speaker"] and not facts[key].detail:
                facts[key].detail = q["speaker"]
    for f in rows.get("figures", ()):
        if f["document_id"] in arts:
            unit = unit_key(f["unit"])
            add("figure", f"figure:{unit}:{float(f['value']):g}", f["text"], f["unit"].split()[-1], f["document_id"],
                f["start"], f["end"], f["text"])
    for e in rows.get("entities", ()):
        if e["document_id"] in arts and e["label"] != "OTH":
            name = e["canonical"] or e["text"]
            add("entity", f"entity:{e['entity_id'] or e['label'] + ':' + name_key(name)}", name, e["label"],
                e["document_id"], e["start"], e["end"], e["text"])
    timexes: dict[int, list[Timex]] = {}
    for t in rows.get("timexes", ()):
        if t["document_id"] in arts:
            timexes.setdefault(t["document_id"], []).append(
                Timex(start=t["start"], end=t["end"], text=t["text"], type=t["type"], value=t["value"]))
    for doc, found in timexes.items():
        a = arts[doc]
        for entry in entries(a.text, found, a.published, doc):
            if len(entry.date) > 4:  # a year alone says little
                add("date", f"date:{entry.date}", entry.date, entry.date, doc, entry.start, entry.end, entry.sentence)
    by_outlet: dict[str, list[int]] = {}
    for i in sorted(arts):
        by_outlet.setdefault(outlet[i], []).append(i)
    ranked = sorted(facts.values(), key=lambda f: (-len(f.outlets), FACT_KINDS.index(f.kind), -len(f.evidence),
                                                   f.label.lower()))
    return Coverage(story_id=story_id, outlets=sorted(by_outlet, key=lambda o: (-len(by_outlet[o]), o)),
                    articles=by_outlet, facts=ranked)


def story_coverage(store: Store, story_id: int) -> Coverage | None:
    """The coverage table of a stored story (None when there is no such story): which outlet reports which quote,
    figure, entity and date, with the span of each report, and the facts only one outlet reports (``only``)."""
    articles = list(store.articles(with_text=True, story_id=story_id))
    if not articles:
        return None
    ids = [a.id for a in articles]
    return coverage(story_id, articles, {t: list(store.rows_of(t, ids))
                                         for t in ("quotes", "figures", "entities", "timexes")})
