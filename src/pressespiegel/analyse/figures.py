"""Figures: the quantities an article reports — "rund 2.400 Menschen", "1,4 Milliarden Franken", "54,3 Prozent",
"zwölf Windräder" — with their value, the thing counted and how exact the text says it is.

A figure is a number (digits in German notation, "2,5 Millionen", or a number word from ``timex_de.toml`` from
"zwei" up) followed by the thing it counts: a unit ("Prozent", "Euro", "Franken", "Kilometer") or a noun
("Menschen", "Arbeitsplätze", "Flugabwehrsysteme"). A qualifier before it ("rund", "mehr als", "bis zu") says
whether the value is exact. Dates, clock times, years and other time expressions (the ``timex`` stage's spans) are
not figures, nor are numbers without a counted thing ("Platz 3", "Artikel 5").
Comparing the figures of several outlets on one story is ``stories.compare``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Document, Figure

ASSIGNS = ("figures",)

QUALIFIERS = {"rund": "about", "etwa": "about", "ca.": "about", "circa": "about", "zirka": "about",
              "ungefähr": "about", "annähernd": "about", "gut": "about", "knapp": "under", "fast": "under",
              "beinahe": "under", "nahezu": "under", "mehr als": "over", "über": "over", "mindestens": "over",
              "weniger als": "under", "unter": "under", "bis zu": "up_to", "höchstens": "up_to"}
SCALES = {"tausend": 1e3, "millionen": 1e6, "million": 1e6, "mio.": 1e6, "mio": 1e6, "milliarden": 1e9,
          "milliarde": 1e9, "mrd.": 1e9, "mrd": 1e9}
UNITS = {"%": "Prozent", "€": "Euro", "eur": "Euro", "chf": "Franken", "fr.": "Franken", "$": "Dollar",
         "km": "Kilometer", "m": "Meter", "kg": "Kilogramm", "t": "Tonnen", "ha": "Hektar"}
# nouns after a number that do not name a counted thing
_NOT_COUNTED = frozenset("""Uhr Jahr Jahre Jahren Jahres Monat Monate Monaten Woche Wochen Tag Tage Tagen Stunde Stunden
Minute Minuten Sekunden Januar Jänner Februar Feber März April Mai Juni Juli August September Oktober November
Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Mal Male Platz Artikel Paragraf Absatz Seite
Nummer Nr Punkte Spieltag Spieltagen Runde Liga Minute Grad Kalenderwoche KW Jahrhundert Jahrhunderts
Prozentpunkte Uhrzeit Folge Staffel Ausgabe""".split())


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    from .timex import vocabulary

    words = sorted((w for w, v in vocabulary().words["number"].items() if isinstance(v, int) and v >= 2),
                   key=len, reverse=True)
    qualifiers = "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    scales = "|".join(re.escape(s) for s in sorted(SCALES, key=len, reverse=True))
    units = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
    # a figure starts at a word's start: every other position fails at once, and "über" in "gegenüber" is no
    # qualifier
    return re.compile(
        rf"(?<!\w)(?:(?P<qual>(?i:{qualifiers}))\s+)?"
        rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:,\d+)?|(?i:{'|'.join(map(re.escape, words))}))"
        rf"(?![\w.,]\d)\s*(?:(?P<scale>(?i:{scales}))(?!\w)\s*)?"
        rf"(?:(?P<unit>(?i:{units}))(?![\w])|(?P<noun>(?:[a-zäöü]\w*e[nrs]?\s+)?[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*))")


def find(text: str, skip: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Figures of ``text``, leaving out those that overlap a span of ``skip`` (time expressions)."""
    from .timex import _num

    out = []
    skip = sorted(skip or [])
    for m in _pattern().finditer(text):
        start, end = m.span()
        if any(a < end and start < b for a, b in skip):
            continue
        value = _num(m.group("num"))
        if value is None:
            continue
        if m.group("noun"):
            noun = m.group("noun").split()[-1]
            if noun in _NOT_COUNTED or (not m.group("scale") and m.group("num").isdigit()
                                        and len(m.group("num")) == 4 and 1900 <= value <= 2100):
                continue  # "2027 Mitarbeiter" is more likely a year before a noun than a count
            unit = m.group("noun")
        else:
            unit = UNITS.get(m.group("unit").lower(), m.group("unit")) if m.group("unit") else ""
        if not unit:
            continue
        scale = SCALES.get((m.group("scale") or "").lower(), 1)
        qualifier = QUALIFIERS.get((m.group("qual") or "").lower())
        out.append(Figure(start=start, end=end, text=text[start:end], value=value * scale, unit=unit,
                          qualifier=qualifier))
    return out


def annotate(doc: Document) -> Document:
    doc.figures = find(doc.text, [(t.start, t.end) for t in doc.timexes])
    return doc
