"""Time expressions: German DATE, TIME, DURATION and SET expressions, normalised to TIMEX3 values.

The patterns and the vocabulary live in ``timex_de.toml``; this module compiles them, picks the longest match where
matches overlap, and normalises each match with one small function per kind of expression. Values are resolved
against the publication date and the tense of the sentence: "am Dienstag" in a past-tense sentence is the Tuesday
before, in a future one the Tuesday after; "20. Januar" written in December about the future is next January.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable

from ..model import Document, Timex
from .sentences import sentences

ASSIGNS = ("timexes",)


@dataclass(frozen=True)
class _Rule:
    name: str
    type: str
    normalise: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class _Vocabulary:
    words: dict[str, dict[str, object]]
    rules: tuple[_Rule, ...]
    triggers: dict[str, tuple[int, ...]]  # lower-cased word → the rules it can start
    digit_rules: tuple[int, ...]  # the rules that a token with a digit can start
    small_rules: tuple[int, ...]  # … a one- or two-digit number ("3.", "18 Uhr")
    year_rules: tuple[int, ...]  # … a four-digit number that can be a year
    contains: tuple[tuple[str, tuple[int, ...]], ...]  # a part of a compound ("stündig") → the rules it can start


def _alternation(words: dict[str, object]) -> str:
    """A regex alternation of the words, longest first (so "Jänner" is not cut to "Jän"), spaces as \\s+."""
    keys = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + ")"


@lru_cache(maxsize=1)
def vocabulary() -> _Vocabulary:
    data = tomllib.loads(resources.files(__package__).joinpath("timex_de.toml").read_text(encoding="utf-8"))
    words = {name: {k.lower(): v for k, v in table.items()} for name, table in data["words"].items()}
    fills = {name: _alternation(table) for name, table in words.items()}
    pieces: dict[str, str] = {}
    for name, piece in data["pieces"].items():
        pieces[name] = piece.format(**fills)
    fills.update(pieces)
    rules = tuple(_Rule(r["name"], r["type"], r["normalise"], re.compile(r["pattern"].format(**fills), re.I))
                  for r in data["rule"])
    triggers: dict[str, set[int]] = {}
    contains: dict[str, set[int]] = {}
    digit_rules, small_rules, year_rules = [], [], []
    for index, r in enumerate(data["rule"]):
        for trigger in r["triggers"]:
            if trigger in ("#digit", "#small", "#year"):
                {"#digit": digit_rules, "#small": small_rules, "#year": year_rules}[trigger].append(index)
            elif trigger.startswith("#contains:"):
                contains.setdefault(trigger.removeprefix("#contains:"), set()).add(index)
            for word in _trigger_words(trigger, words):
                triggers.setdefault(word, set()).add(index)
    return _Vocabulary(words, rules, {k: tuple(sorted(v)) for k, v in triggers.items()}, tuple(digit_rules),
                       tuple(sorted(set(digit_rules + small_rules))), tuple(sorted(set(digit_rules + year_rules))),
                       tuple((k, tuple(sorted(v))) for k, v in contains.items()))


def _trigger_words(trigger: str, words: dict[str, dict[str, object]]) -> list[str]:
    """"{month}" → every month word; "{weekday}+{daypart}" → "dienstagabend", …; a multi-word entry ("in zukunft")
    is triggered by its last word; "#digit" by any token with a digit (handled by the caller)."""
    if trigger.startswith("#"):
        return []
    parts = [list(words[p[1:-1]]) if p.startswith("{") else [p] for p in trigger.split("+")]
    combined = [""]
    for options in parts:
        combined = [c + o for c in combined for o in options]
    return [w.split()[-1] for w in combined]


# --- tense -----------------------------------------------------------------------------------------------------

_FUTURE = frozenset("""wird werden wirst werde würde würden soll sollen sollte sollten will wollen möchte möchten plant
planen geplant beabsichtigt vorgesehen künftig morgen übermorgen erwartet voraussichtlich demnächst bald
ankündigt kündigte kündigten solle wolle gibt findet finden beginnt beginnen startet öffnet eröffnet
läuft tagt tagen angesetzt anstehen stattfinden statt plane planen beabsichtige frühestens spätestens""".split())
_FUTURE_PREFIXES = ("kommend", "nächst", "bevorstehend", "anstehend")
_PAST = frozenset("""hat haben hatte hatten hätte hätten war waren wäre wurde wurden worden gewesen gestern vorgestern
damals zuletzt bereits gab gaben kam kamen ging gingen fand fanden stand standen starb starben begann begannen traf
trafen zog zogen lag lagen fiel fielen brach brachen geriet gerieten verlor verloren gewann gewannen stieg stiegen
sank sanken erhielt erhielten trat traten ließ ließen blieb blieben sprach sprachen hielt hielten schrieb schrieben
rief riefen lief liefen fuhr fuhren flog flogen sah sahen saß saßen nahm nahmen brachte brachten dachte dachten
wusste wussten entschied entschieden beschloss beschlossen verließ verließen bekam bekamen gelang wies stellte
stellten ereignete passierte musste mussten konnte konnten durfte durften wollte wollten""".split())
_PAST_PREFIXES = ("vergangen",)
# Weak preterites end in -te/-ten ("sagte", "erklärten", "meldete"); these words only look like them
_NOT_WEAK_PAST = frozenset("""bitte mitte rechte rente welte quote seite beste letzte nächste erste zweite dritte achte
weite breite heute leute gute meiste große späte arte liste daten rechten beiden ersten letzten weiten breiten
gäste kosten monate monaten woche minute minuten konten posten texte karte karten
arbeiten gelten halten warten bitten raten leiten achten richten fürchten beobachten vertreten treten betreten
eintreten antreten bieten anbieten verbieten gestalten erhalten enthalten unterhalten bewerten erwarten starten
bedeuten leisten testen beraten verraten schalten streiten reiten gleiten berichten verrichten verhalten
behalten festhalten abhalten einhalten aufhalten teilen""".split())
# reporting verbs say when something was said, not when it happens: only next to the expression are they its tense
_REPORTING = frozenset("""sagte sagten teilte teilten erklärte erklärten betonte betonten meldete meldeten berichtete
berichteten bestätigte bestätigten schrieb schrieben ergänzte ergänzten warnte warnten forderte forderten hieß
sprach sprachen verwies verwiesen räumte räumten""".split())
_REPORTING_REACH = 25
_WORD = re.compile(r"\w+")
_BEFORE_NOUN = re.compile(r"\s+[A-ZÄÖÜ]")


def _tense(sentence: str, at: int) -> int:
    """-1 past, +1 future, 0 unknown: the tense cue nearest to position ``at`` of the sentence decides."""
    best, best_distance = 0, 10**9
    for m in _WORD.finditer(sentence):
        word = m.group().lower()
        if word in _REPORTING and min(abs(m.start() - at), abs(m.end() - at)) > _REPORTING_REACH:
            continue
        if word in _FUTURE or word.startswith(_FUTURE_PREFIXES):
            sign = 1
        elif word in _PAST or word.startswith(_PAST_PREFIXES) or (
                len(word) >= 5 and word.endswith(("te", "ten")) and word not in _NOT_WEAK_PAST and word.isalpha()
                and m.group()[0].islower()  # nouns ("Privathaushalte") are capitalised
                and not _BEFORE_NOUN.match(sentence, m.end())):  # "die kontrollierte Sprengung" is no verb
            sign = -1
        else:
            continue
        distance = min(abs(m.start() - at), abs(m.end() - at))
        if distance < best_distance:
            best, best_distance = sign, distance
    return best


# --- calendar helpers ------------------------------------------------------------------------------------------

def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    y, m = divmod(total, 12)
    return day.replace(year=y, month=m + 1, day=min(day.day, 28))


def _week(day: dt.date) -> str:
    y, w, _ = day.isocalendar()
    return f"{y}-W{w:02d}"


def _easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _in_year_by_tense(candidate: Callable[[int], dt.date | None], ref: dt.date, tense: int) -> dt.date | None:
    """A day without a year: this year's, or last year's when the sentence looks back and this year's is still to
    come, or next year's when it looks ahead and this year's is past; without a tense, the nearest."""
    this = candidate(ref.year)
    if this is None:
        return None
    if tense < 0 and this > ref:
        return candidate(ref.year - 1) or this
    if tense > 0 and this < ref:
        return candidate(ref.year + 1) or this
    if tense == 0:
        options = [d for d in (candidate(ref.year - 1), this, candidate(ref.year + 1)) if d is not None]
        return min(options, key=lambda d: (abs((d - ref).days), d > ref))
    return this


_TENSE_REACH = 250
_PREPOSITION_TENSE = {"für": 1, "ab": 1, "bis": 1, "zum": 1, "seit": -1}


@dataclass
class _Context:
    ref: dt.date | None  # the publication date
    sentence: str
    at: int  # position of the match in the sentence
    anchor: dt.date | None  # the last day named before ("am Tag darauf", "der Woche darauf")
    clock_anchor: dt.date | None = None  # the last day named before in the same sentence ("um 8 Uhr", "am Abend")

    @property
    def tense(self) -> int:
        # cues further away than a long clause say nothing about this expression (and a text without sentence
        # ends must not make every match scan all of it)
        lo = max(0, self.at - _TENSE_REACH)
        preposition = self.preposition
        if preposition < 0:  # "seit" looks back whatever the verb
            return preposition
        return _tense(self.sentence[lo:self.at + _TENSE_REACH], self.at - lo) or preposition

    @property
    def preposition(self) -> int:
        """"ab dem 1. Dezember", "für Freitag", "bis Mitte März" look ahead; "seit Montag" looks back."""
        before = self.sentence[max(0, self.at - 12):self.at].lower().split()
        before = [w for w in before if w not in ("dem", "den", "der", "am")]
        return _PREPOSITION_TENSE.get(before[-1] if before else "", 0)


def _num(text: str | None) -> float | None:
    if text is None:
        return None
    t = text.lower().strip()
    words = vocabulary().words["number"]
    if t in words:
        return float(words[t])  # type: ignore[arg-type]
    try:
        return float(t.replace(".", "").replace(",", "."))
    except ValueError:
        return None


def _month(g: dict[str, str | None]) -> int | None:
    if g.get("mn"):
        return int(g["mn"])  # type: ignore[arg-type]
    if g.get("m"):
        return int(vocabulary().words["month"][g["m"].lower().rstrip(".")])  # type: ignore[union-attr,arg-type]
    return None


def _year(text: str, ref: dt.date | None) -> int:
    y = int(text)
    if len(text) == 2:  # "3.12.24"
        pivot = (ref.year if ref else 2030) % 100 + 10
        y += 2000 if y <= pivot else 1900
    return y


def _rel(g: dict[str, str | None]) -> int | None:
    rel = g.get("rel")
    if not rel:
        return None
    return int(vocabulary().words["relative"].get(rel.lower().split()[-1], 0))  # type: ignore[arg-type]


# --- normalisers: groups of the match + context → TIMEX3 value (or None: not a time expression after all) -----------

def _n_day_month_year(g: dict, c: _Context) -> str | None:
    month, day = _month(g), int(g["d"])
    if month is None:
        return None
    if g.get("y"):
        found = _date(_year(g["y"], c.ref), month, day)
        return found.isoformat() if found else None
    if c.ref is None:
        return f"XXXX-{month:02d}-{day:02d}" if _date(2024, month, day) else None
    found = _in_year_by_tense(lambda y: _date(y, month, day), c.ref, c.tense)
    return found.isoformat() if found else None


def _n_month_year(g: dict, c: _Context) -> str | None:
    month = _month(g)
    if month is None:
        return None
    if g.get("y"):
        return f"{int(g['y'])}-{month:02d}"
    if c.ref is None:
        return f"XXXX-{month:02d}"
    rel = _rel(g)
    if g.get("rel") and "jahres" in c.sentence[c.at:c.at + 60].lower():  # "Juli dieses/nächsten Jahres"
        return f"{c.ref.year + (rel or 0)}-{month:02d}"
    tense = {-1: -1, 1: 1}.get(rel, c.tense) if rel is not None else c.tense
    found = _in_year_by_tense(lambda y: dt.date(y, month, 15), c.ref, tense)
    return f"{found.year}-{month:02d}" if found else None


def _n_year(g: dict, c: _Context) -> str | None:
    y = int(g["y"])
    return str(y)


def _n_this_year(g: dict, c: _Context) -> str | None:
    return str(c.ref.year) if c.ref else "XXXX"


def _n_decade(g: dict, c: _Context) -> str | None:
    if g.get("w"):
        tens = {"zwanziger": 2, "dreißiger": 3, "vierziger": 4, "fünfziger": 5, "sechziger": 6, "siebziger": 7,
                "achtziger": 8, "neunziger": 9}[g["w"].lower()]
        return f"19{tens}"
    century = g.get("c") or "19"
    return f"{century}{g['dd']}"


def _n_century(g: dict, c: _Context) -> str | None:
    return f"{int(g['n']) - 1:02d}"


def _n_season(g: dict, c: _Context) -> str | None:
    code = vocabulary().words["season"][g["s"].lower()]
    if g.get("y"):
        return f"{g['y']}-{code}"
    if c.ref is None:
        return f"XXXX-{code}"
    rel = _rel(g)
    middle = {"SP": 4, "SU": 7, "FA": 10, "WI": 1}[code]  # type: ignore[index]
    if rel is not None:
        this = c.ref.year
        season_now = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(
            c.ref.month, "FA")
        if rel == 0:
            return f"{this}-{code}"
        year = this + rel if season_now == code or rel < 0 and middle > c.ref.month or rel > 0 and middle < c.ref.month \
            else this
        return f"{year}-{code}"
    found = _in_year_by_tense(lambda y: dt.date(y, middle, 15), c.ref, c.tense)
    return f"{found.year}-{code}" if found else None


def _n_quarter(g: dict, c: _Context) -> str | None:
    q = g["q"].lower().rstrip(".")
    n = {"ersten": 1, "zweiten": 2, "dritten": 3, "vierten": 4}.get(q) or (int(q) if q.isdigit() else None)
    if g.get("y"):
        year = int(g["y"])
    elif c.ref is None:
        year = None
    else:
        year = c.ref.year
        if n is None:  # "im letzten Quartal": the one before the current
            current = (c.ref.month - 1) // 3 + 1
            n, year = (current - 1, year) if current > 1 else (4, year - 1)
        elif c.tense < 0 and (c.ref.month - 1) // 3 + 1 < n:
            year -= 1
    if n is None:
        return None
    return f"{year if year is not None else 'XXXX'}-Q{n}"


def _n_half_year(g: dict, c: _Context) -> str | None:
    n = 1 if g["h"].lower().startswith(("erst", "1")) else 2
    year = g.get("y") or (c.ref.year if c.ref else "XXXX")
    return f"{year}-H{n}"


def _n_calendar_week(g: dict, c: _Context) -> str | None:
    year = g.get("y") or (c.ref.isocalendar()[0] if c.ref else "XXXX")
    return f"{year}-W{int(g['n']):02d}"


def _n_holiday(g: dict, c: _Context) -> str | None:
    rule = str(vocabulary().words["holiday"][re.sub(r"\s+", " ", g["h"].lower())])

    def on(year: int) -> dt.date | None:
        if rule.startswith("easter"):
            return _easter(year) + dt.timedelta(days=int(rule[6:]))
        month, day = map(int, rule.split("-"))
        return _date(year, month, day)

    if g.get("y"):
        found = on(int(g["y"]))
    elif c.ref is None:
        return f"XXXX-{rule}" if not rule.startswith("easter") else None
    else:
        found = _in_year_by_tense(on, c.ref, c.tense)
    return found.isoformat() if found else None


_DEICTIC = {"heute": 0, "gestern": -1, "vorgestern": -2, "morgen": 1, "übermorgen": 2}


def _n_deictic(g: dict, c: _Context) -> str | None:
    if c.ref is None:
        return None
    day = c.ref + dt.timedelta(days=_DEICTIC[g["w"].lower()])
    if g.get("p"):
        return f"{day.isoformat()}T{vocabulary().words['daypart'][g['p'].lower()]}"
    return day.isoformat()


def _n_weekday(g: dict, c: _Context) -> str | None:
    if c.ref is None:
        return None
    wd = int(vocabulary().words["weekday"][g["wd"].lower()])  # type: ignore[arg-type]
    rel = _rel(g)
    back = (c.ref.isoweekday() - wd) % 7  # days back to the last such weekday (0: today)
    ahead = (wd - c.ref.isoweekday()) % 7
    if rel is not None and rel < 0:
        day = c.ref - dt.timedelta(days=back or 7)
    elif rel is not None and rel > 0:
        day = c.ref + dt.timedelta(days=ahead or 7)
    elif rel == 0:
        day = c.ref + dt.timedelta(days=ahead)
    else:  # "für Freitag", "ab Montag" look ahead, "seit Montag" back; else the tense, else the nearer day
        tense = c.preposition or c.tense or (1 if ahead < back else -1)
        day = c.ref + dt.timedelta(days=ahead) if tense > 0 else c.ref - dt.timedelta(days=back)
    if g.get("p"):
        return f"{day.isoformat()}T{vocabulary().words['daypart'][g['p'].lower()]}"
    return day.isoformat()


_UNIT = {"tag": "D", "tages": "D", "woche": "W", "wochen": "W", "monat": "M", "monats": "M", "jahr": "Y",
         "jahres": "Y", "wochenende": "WE", "wochenendes": "WE", "jahrzehnt": "DE", "jahrzehnts": "DE",
         "jahrhundert": "CE", "jahrhunderts": "CE"}


def _at_granularity(day: dt.date, unit: str) -> str:
    return {"D": day.isoformat(), "W": _week(day), "WE": f"{_week(day)}-WE", "M": f"{day.year}-{day.month:02d}",
            "Y": str(day.year), "DE": str(day.year)[:3], "CE": str(day.year)[:2]}[unit]


def _shift(day: dt.date, unit: str, n: float) -> dt.date:
    if unit == "D":
        return day + dt.timedelta(days=round(n))
    if unit in ("W", "WE"):
        return day + dt.timedelta(days=round(7 * n))
    if unit == "M":
        return _add_months(day, round(n))
    if unit == "Y":
        return _add_months(day, round(12 * n))
    if unit == "DE":
        return _add_months(day, round(120 * n))
    return _add_months(day, round(1200 * n))


def offset_value(reference: dt.date, duration: str, sign: int) -> str | None:
    """The period a whole-number duration before (sign -1) or after (+1) a day falls in, at the duration's
    granularity: P2Y before 2026-11-18 → "2024", P2W → "2026-W45", P3D → "2026-11-15"."""
    m = re.fullmatch(r"P(\d+)([DWMY])", duration)
    if m is None:
        return None
    return _at_granularity(_shift(reference, m[2], sign * int(m[1])), m[2])


def _n_relative_unit(g: dict, c: _Context) -> str | None:
    if g.get("u2"):  # "Jahresende", "Monatsanfang", "Wochenende", "Jahresbeginn 2026"
        unit = {"jahres": "Y", "monats": "M", "wochen": "WE"}.get(g["u2"].lower())
        if unit == "Y" and g.get("y"):
            return g["y"]
    else:
        unit = _UNIT.get((g.get("u") or "").lower())
    if unit is None:
        return None
    base = c.ref
    rel = _rel(g)
    if g.get("dir"):  # "des Vorjahres", "im Folgejahr"
        rel = -1 if g["dir"].lower() == "vor" else 1
    if g.get("after"):  # "der Woche darauf": after the day last mentioned
        base, rel = c.anchor or c.ref, 1
    if base is None:
        return None
    if rel is None:  # "Ende des Jahres", "zum Jahresende": the current one
        rel = 0
        if unit == "WE" and base.isoweekday() <= 3 and (c.tense < 0 or "nach" in c.sentence[max(0, c.at - 10):c.at]):
            rel = -1  # "nach dem Wochenende", "am Wochenende waren …" written on a Monday: the weekend just gone
    return _at_granularity(_shift(base, unit, rel), unit)


def _n_night(g: dict, c: _Context) -> str | None:
    """"die vergangene Nacht" (the one that ended on the publication day), "die kommende Nacht" (tonight)."""
    if c.ref is None:
        return None
    return f"{c.ref.isoformat()}TNI"


def _n_relative_day(g: dict, c: _Context) -> str | None:
    base = c.anchor or c.ref
    if base is None:
        return None
    day = (base + dt.timedelta(days=-1 if g.get("before") else 1)).isoformat()
    return f"{day}TEV" if (g.get("before") or "").lower() == "vorabend" else day


_AGO_UNIT = {"tag": "D", "tagen": "D", "woche": "W", "wochen": "W", "monat": "M", "monaten": "M", "jahr": "Y",
             "jahren": "Y", "jahrzehnten": "DE", "jahrhunderten": "CE", "stunde": "D", "stunden": "D",
             "minuten": "D", "tage": "D", "monate": "M", "jahre": "Y"}


def _n_ago(g: dict, c: _Context, sign: int = -1) -> str | None:
    n = _num(g["n"])
    if c.ref is None or n is None:
        return None
    word = g["u"].lower()
    unit = _AGO_UNIT[word]
    if word.startswith(("stunde", "minute")):
        return c.ref.isoformat()
    return _at_granularity(_shift(c.ref, unit, sign * n), unit)


def _n_ahead(g: dict, c: _Context) -> str | None:
    return _n_ago(g, c, sign=1)


def _clock_day(c: _Context) -> str:
    day = c.clock_anchor or c.ref
    return day.isoformat() if day else "XXXX-XX-XX"


def _n_clock(g: dict, c: _Context) -> str | None:
    h = int(g["h"])
    minute = int(g.get("min") or g.get("min2") or 0)
    if h > 24 or (h == 24 and minute):
        return None
    return f"{_clock_day(c)}T{h:02d}:{minute:02d}"


def _n_clock_words(g: dict, c: _Context) -> str | None:
    """"acht Uhr" → 08:00, "halb acht" → 07:30, "Viertel nach fünf" → 05:15, "Viertel vor/Dreiviertel zehn" → 09:45."""
    word = g.get("hw") or g.get("hw2") or g.get("hw3")
    n = _num(word)
    if n is None or not n.is_integer() or not 0 <= n <= 24:
        return None
    h, minute = int(n), 0
    if g.get("half") or g.get("half3"):
        h, minute = h - 1, 30
    elif (g.get("qdir") or g.get("qdir3") or "").lower() == "nach":
        minute = 15
    elif g.get("qdir") or g.get("qdir3") or g.get("three"):
        h, minute = h - 1, 45
    return f"{_clock_day(c)}T{h % 24:02d}:{minute:02d}"


def _n_day_part(g: dict, c: _Context) -> str | None:
    return f"{_clock_day(c)}T{vocabulary().words['daypart'][g['p'].lower()]}"


_DURATION_UNIT = {"sekunde": "S", "minute": "TM", "stunde": "H", "tag": "D", "woche": "W", "wochenende": "WE",
                  "monat": "M", "jahr": "Y", "jährig": "Y", "jahrzehnt": "DE", "jahrhundert": "CE", "stündig": "H",
                  "tägig": "D", "wöchig": "W", "monatig": "M"}


def _duration_unit(word: str) -> str | None:
    w = word.lower()
    for stem in sorted(_DURATION_UNIT, key=len, reverse=True):
        if w.startswith(stem):
            return _DURATION_UNIT[stem]
    return None


def _duration_value(n: float | str, unit: str) -> str:
    if isinstance(n, float) and not n.is_integer():  # "eineinhalb Jahre" → P18M: TIMEX3 has no fractions
        smaller = {"Y": ("M", 12), "M": ("W", 4), "W": ("D", 7), "D": ("H", 24), "H": ("TM", 60), "TM": ("S", 60),
                   "DE": ("Y", 10), "CE": ("Y", 100)}.get(unit)
        if smaller:
            n, unit = int(n * smaller[1]), smaller[0]
    if isinstance(n, float):
        n = int(n)
    if unit in ("H", "S"):
        return f"PT{n}{unit}"
    if unit == "TM":
        return f"PT{n}M"
    return f"P{n}{unit}"


def _n_duration(g: dict, c: _Context) -> str | None:
    n = _num(g["n"])
    unit = _duration_unit(g["u"])
    if n is None or unit is None or n <= 0 or n > 10000:
        return None
    return _duration_value(n, unit)


def _n_duration_vague(g: dict, c: _Context) -> str | None:
    unit = _duration_unit(g["u"])
    if unit is None:
        return None
    return _duration_value("X", unit)


def _n_duration_adverb(g: dict, c: _Context) -> str | None:
    unit = _duration_unit(g["u"].rstrip("e") if not g["u"].lower().startswith("minute") else "minute")
    return _duration_value("X", unit) if unit else None


def _n_duration_fraction(g: dict, c: _Context) -> str | None:
    if g.get("q"):
        return "PT45M" if g["q"].lower().startswith("drei") else "PT15M"
    return {"stunde": "PT30M", "jahr": "P6M", "jahres": "P6M", "tag": "PT12H", "tages": "PT12H",
            "jahrhundert": "P50Y"}.get(g["u"].lower())


def _n_holiday_compound(g: dict, c: _Context) -> str | None:
    """"Silvesternacht" → the night of 31 December; "Osterwochenende" → the weekend of Easter."""
    holiday = {"silvester": "silvester", "neujahrs": "neujahr", "oster": "ostern", "pfingst": "pfingsten",
               "weihnachts": "weihnachten"}[g["h"].lower()]
    day = _n_holiday({"h": holiday}, c)
    if day is None or not _DAY_VALUE.match(day):
        return None
    part = g["part"].lower()
    if part == "wochenende":
        d = dt.date.fromisoformat(day)
        return f"{_week(d - dt.timedelta(days=1) if d.isoweekday() == 7 else d)}-WE"
    return f"{day}T{'NI' if part == 'nacht' else 'EV'}"


def _n_set_day_part(g: dict, c: _Context) -> str | None:
    return f"XXXX-XX-XXT{vocabulary().words['daypart'][(g.get('p') or g.get('p2')).lower()]}"


def _n_set_adverb(g: dict, c: _Context) -> str | None:
    return str(vocabulary().words["set_adverb"][g["w"].lower()])


def _n_set_weekday(g: dict, c: _Context) -> str | None:
    if g.get("wda"):
        return f"XXXX-WXX-{vocabulary().words['weekdays_adverb'][g['wda'].lower()]}"
    return f"XXXX-WXX-{vocabulary().words['weekday'][g['wd'].lower()]}"


def _n_set_every(g: dict, c: _Context) -> str | None:
    if g.get("s"):  # "jedes Frühjahr"
        return f"XXXX-{vocabulary().words['season'][g['s'].lower()]}"
    unit = _duration_unit(g.get("u") or g.get("u2") or "")
    if (g.get("u2") or "").lower() == "quartal":
        return "P3M"
    if unit is None:
        return None
    n = _num(g.get("n")) or 1
    return _duration_value(float(n), unit)


def _n_vague(g: dict, c: _Context) -> str | None:
    if g.get("ex"):
        return "PAST_REF"
    if g.get("w"):
        return str(vocabulary().words["vague"][re.sub(r"\s+", " ", g["w"].lower())])
    return "PRESENT_REF"


_NORMALISERS: dict[str, Callable[[dict, _Context], str | None]] = {
    name.removeprefix("_n_"): fn for name, fn in globals().items() if name.startswith("_n_")}


# --- the tagger --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\w+")
_YEARLIKE = re.compile(r"^(1\d|20)\d\d$")
_MARGIN = 60  # characters around a trigger word in which its rules are tried (prefixes such as "den vergangenen")


def _candidates(text: str) -> list[tuple[int, int, int, re.Match[str]]]:
    """Every rule's matches as (start, end, rule index, match), the span narrowed to group `t` (`t2`, `t3`) where
    present.

    Running fifty patterns over the whole text is slow; instead one pass over the words finds the trigger words
    (a month, a unit, a digit …), and each rule runs only in the windows around its own triggers."""
    voc = vocabulary()
    by_group: dict[tuple[int, ...], list[list[int]]] = {}  # the windows of the tokens that start the same rules
    for m in _TOKEN.finditer(text):
        token = m.group()
        lower = token.lower()
        rules = voc.triggers.get(lower)
        if token.isdigit():
            shape = voc.small_rules if len(token) <= 2 else voc.year_rules if _YEARLIKE.match(token) else voc.digit_rules
            rules = shape + rules if rules else shape
        elif not token.isalpha() and any(ch.isdigit() for ch in token):
            rules = voc.digit_rules + rules if rules else voc.digit_rules
        if len(token) > 3:
            for part, more in voc.contains:
                if part in lower:
                    rules = tuple(sorted(set(rules or ()) | set(more)))
        if not rules:
            continue
        lo, hi = m.start() - _MARGIN, m.end() + _MARGIN
        spans = by_group.setdefault(rules, [])
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = hi
        else:
            spans.append([max(0, lo), hi])
    windows: dict[int, list[list[int]]] = {}
    for rules, spans in by_group.items():
        for index in rules:
            windows.setdefault(index, []).extend(spans)
    for index, spans in windows.items():  # one rule's windows from several groups: sorted and merged
        spans.sort()
        merged = [spans[0]]
        for lo, hi in spans[1:]:
            if lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        windows[index] = merged
    found = []
    for index, spans in windows.items():
        rule = voc.rules[index]
        narrow = [name for name in ("t", "t2", "t3") if name in rule.regex.groupindex]
        for lo, hi in spans:
            for m in rule.regex.finditer(text, lo, min(hi, len(text))):
                part = next((name for name in narrow if m.group(name)), None)
                start, end = m.span(part) if part else m.span()
                if end > start:
                    found.append((start, end, index, m))
    return found


def _non_overlapping(found: list[tuple[int, int, int, re.Match[str]]]) -> list[tuple[int, int, int, re.Match[str]]]:
    """Longest first, then the earlier rule; a match that overlaps a chosen one is dropped."""
    chosen: list[tuple[int, int, int, re.Match[str]]] = []
    taken = bytearray(max((x[1] for x in found), default=0))
    for item in sorted(found, key=lambda x: (-(x[1] - x[0]), x[2], x[0])):
        if any(taken[item[0]:item[1]]):
            continue
        chosen.append(item)
        taken[item[0]:item[1]] = b"\x01" * (item[1] - item[0])
    return sorted(chosen, key=lambda x: x[0])


def _parse_ref(reference: str | None) -> dt.date | None:
    if not reference:
        return None
    try:
        return dt.date.fromisoformat(reference[:10])
    except ValueError:
        return None


_DAY_VALUE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def tag(text: str, reference: str | None = None) -> list[Timex]:
    """Time expressions in ``text``; ``reference`` (YYYY-MM-DD, the publication date) anchors relative ones."""
    ref = _parse_ref(reference)
    rules = vocabulary().rules
    spans = sentences(text)
    out: list[Timex] = []
    anchor: dt.date | None = None  # the last day named
    days_in: dict[int, set[dt.date]] = {}  # sentence index → the days named in it
    si = 0
    for start, end, index, m in _non_overlapping(_candidates(text)):
        while si < len(spans) - 1 and spans[si][1] <= start:
            si += 1
        s_start, s_end = spans[si] if spans else (0, len(text))
        rule = rules[index]
        context = _Context(ref=ref, sentence=text[s_start:s_end], at=start - s_start, anchor=anchor,
                           clock_anchor=_clock_anchor(days_in, si, anchor))
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        value = _NORMALISERS[rule.normalise](groups, context)
        if value is None:
            continue
        kind = rule.type
        if kind == "DATE" and "T" in value and not value.endswith("_REF"):
            kind = "TIME"
        day = _DAY_VALUE.match(value[:10])
        if day and kind in ("DATE", "TIME") and rule.normalise not in ("clock", "day_part"):
            anchor = _date(int(day[1]), int(day[2]), int(day[3])) or anchor
            if anchor:
                days_in.setdefault(si, set()).add(anchor)
        out.append(Timex(start=start, end=end, text=text[start:end], type=kind, value=value))  # type: ignore[arg-type]
    return out


def _clock_anchor(days_in: dict[int, set[dt.date]], si: int, anchor: dt.date | None) -> dt.date | None:
    """The day a clock time belongs to: the last day named in its sentence; else the one day the sentence before
    named ("Am Samstag ist Umzug. Beginn ist um 11 Uhr."), not when it named several (a listing of events)."""
    if si in days_in:
        return anchor
    before = days_in.get(si - 1, set())
    return next(iter(before)) if len(before) == 1 else None


_HEAD_CHARS = 400  # the headline, the date line and the start of the lead
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def infer_published(text: str) -> tuple[str, str] | None:
    """A publication date for a text whose page gave none: the latest full date (day, month and year) written in
    its head — a date line ("Berlin, 3. Dezember 2024 –") or the lead. Returns (date, evidence)."""
    found = [t for t in tag(text[:_HEAD_CHARS]) if t.type in ("DATE", "TIME") and _FULL_DATE.match(t.value)]
    if not found:
        return None
    best = max(found, key=lambda t: t.value[:10])
    return best.value[:10], f"date in the text: {best.text!r}"


def annotate(doc: Document) -> Document:
    if doc.published is None and (inferred := infer_published(doc.text)):
        doc.published, doc.evidence["published"] = inferred
    doc.timexes = tag(doc.text, doc.published)
    return doc
