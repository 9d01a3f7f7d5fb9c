"""Outlets compared within a story: where they report the same quantity differently (figure conflicts).

Two outlets conflict on a figure when each reports exactly one value for the same counted thing ("2.400 Menschen"
here, "2.500 Menschen" there; "rund 1.200 Arbeitsplätze" and "1.250 Arbeitsplätze") and the values differ by no more
than ``MAX_RATIO`` (further apart, they are most likely different quantities: "2 Tote" and "300 Menschen"). An
outlet that reports several values for one thing is left out for that thing: which of them would be the one to
compare is not known. Every side keeps its source span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
