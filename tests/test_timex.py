"""Time expressions: recognition, normalisation against the publication date and tense, bad input, the timeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pressespiegel.analyse.timex import infer_published, tag
from pressespiegel.model import Timex
from pressespiegel.stories.timeline import by_date, calendar_value, sort_key, story_timeline

ROOT = Path(__file__).resolve().parents[1]


def found(text: str, reference: str | None = "2026-12-10") -> list[tuple[str, str, str]]:
    out = tag(text, reference)
    for t in out:
        assert text[t.start:t.end] == t.text
    return [(t.text, t.type, t.value) for t in out]


@pytest.mark.parametrize(("text", "expected"), [
    # weekdays: the tense of the sentence decides (2026-12-10 is a Thursday)
    ("Am Dienstag hatte der Rat das Budget beschlossen.", ("Dienstag", "DATE", "2026-12-08")),
    ("Am Dienstag wird der Rat über das Budget entscheiden.", ("Dienstag", "DATE", "2026-12-15")),
    ("Für Montag ist eine kontrollierte Sprengung geplant.", ("Montag", "DATE", "2026-12-14")),
    ("Die Polizei war vergangenen Freitag im Einsatz.", ("vergangenen Freitag", "DATE", "2026-12-04")),
    ("Am Dienstagmorgen blieb die Straße gesperrt.", ("Dienstagmorgen", "TIME", "2026-12-08TMO")),
    ("In der Nacht zum Montag brach der Deich.", ("der Nacht zum Montag", "TIME", "2026-12-07TNI")),
    # a day without a year: "20. Januar" written in December about the future is next January
    ("Die Regierung soll am 20. Januar vereidigt werden.", ("20. Januar", "DATE", "2027-01-20")),
    ("Am 3. November hatte die Polizei den Fall übernommen.", ("3. November", "DATE", "2026-11-03")),
    ("Der Vertrag wurde am Donnerstag, 5. Dezember 1994, unterzeichnet.",
     ("Donnerstag, 5. Dezember 1994", "DATE", "1994-12-05")),
    ("Die Firma war 1994 gegründet worden.", ("1994", "DATE", "1994")),
    ("Die Preise stiegen im Juli 2024 deutlich.", ("Juli 2024", "DATE", "2024-07")),
    ("Das Amt öffnet am 7. Jänner wieder.", ("7. Jänner", "DATE", "2027-01-07")),
    ("Die Arbeiten beginnen Anfang März.", ("Anfang März", "DATE", "2027-03")),
    ("Das Werk schließt Ende 2027.", ("Ende 2027", "DATE", "2027")),
    ("Die Messe läuft am 03.12.2026 an.", ("03.12.2026", "DATE", "2026-12-03")),
    ("Heuer gab es weniger Schnee.", ("Heuer", "DATE", "2026")),
    ("Das Gesetz gilt seit 2019/2020.", ("2019/2020", "DATE", "2019")),
    ("Im Herbst 2011 begann der Umbau.", ("Herbst 2011", "DATE", "2011-FA")),
    ("Im dritten Quartal stieg der Umsatz.", ("dritten Quartal", "DATE", "2026-Q3")),
    ("Die Häuser stammen aus den 1960er-Jahren.", ("den 1960er-Jahren", "DATE", "196")),
    ("Das Kloster entstand im 12. Jahrhundert.", ("12. Jahrhundert", "DATE", "11")),
    ("Ostern 2025 war früh.", ("Ostern 2025", "DATE", "2025-04-20")),
    ("Das Spiel ist nächste Woche.", ("nächste Woche", "DATE", "2026-W51")),
    ("Gestern hatte es geschneit.", ("Gestern", "DATE", "2026-12-09")),
    ("Er kommt morgen zurück.", ("morgen", "DATE", "2026-12-11")),
    ("Heute Abend spielt die Kapelle.", ("Heute Abend", "TIME", "2026-12-10TEV")),
    # clock times
    ("Der Zug fuhr um 18:57 Uhr ab.", ("18:57 Uhr", "TIME", "2026-12-10T18:57")),
    ("Am Freitag, 11. Dezember, beginnt das Konzert um 20.30 Uhr.", ("20.30 Uhr", "TIME", "2026-12-11T20:30")),
    # durations: "vor/in N …" follow KRAUTS (the duration, without "vor"/"in")
    ("Der Verein besteht seit drei Jahren.", ("drei Jahren", "DURATION", "P3Y")),
    ("Vor eineinhalb Wochen kam es zum Unfall.", ("eineinhalb Wochen", "DURATION", "P10D")),
    ("In etwas mehr als einem Monat ist Wahl.", ("etwas mehr als einem Monat", "DURATION", "P1M")),
    ("Der Streik dauert 48 Stunden.", ("48 Stunden", "DURATION", "PT48H")),
    ("Nach 1.000 Tagen im Amt zog er Bilanz.", ("1.000 Tagen", "DURATION", "P1000D")),
    ("Die Verhandlungen dauerten mehrere Monate.", ("mehrere Monate", "DURATION", "PXM")),
    ("Mit einem sechsstündigen Warnstreik legte die Gewerkschaft alles lahm.", ("sechsstündigen", "DURATION", "PT6H")),
    ("In den vergangenen Monaten stieg die Zahl.", ("den vergangenen Monaten", "DURATION", "PXM")),
    # frequencies and vague references
    ("Der Markt findet jeden Dienstag statt.", ("jeden Dienstag", "SET", "XXXX-WXX-2")),
    ("Der Bus fährt zweimal täglich.", ("zweimal täglich", "SET", "P1D")),
    ("Das Ticket kostet 68 Euro im Monat.", ("im Monat", "SET", "P1M")),
    ("Jetzt muss das Land handeln.", ("Jetzt", "DATE", "PRESENT_REF")),
    ("Damals war alles anders.", ("Damals", "DATE", "PAST_REF")),
])
def test_expressions(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "Der Witz mit dem 31. Februar kam gut an.",  # impossible date
    "Das Spiel endete 3:1.",  # a score
    "Das Ticket kostet 19.90 Euro.",  # a price
    "Rund 2000 Menschen kamen, davon 1500 Kinder.",  # counts, not years
    "Im Jahr 12345 und am 99.99.9999.",  # no such years and dates
    "Der 52-Jährige sagte, § 12 gelte 24/7.",  # an age, a paragraph, "24/7"
    "Jugendliche ab 16 Jahren dürfen wählen.",  # an age limit
    "",
])
def test_no_false_dates(text: str) -> None:
    assert found(text) == []


def test_bad_and_huge_input_is_handled() -> None:
    assert tag("x" * 300_000 + " am 3. Mai 2020 " + "\n" * 1000, "2026-01-01")[0].value == "2020-05-03"
    dense = tag("Dienstag 12 Uhr 2020 " * 2000, "2026-01-01")  # every word a trigger: linear, not quadratic
    assert len(dense) >= 4000
    assert found("Am Dienstag um 8 Uhr.", None) == [("8 Uhr", "TIME", "XXXX-XX-XXT08:00")]  # no reference date


def test_publication_date_from_the_date_line() -> None:
    text = "Brand in Lagerhalle\nHamburg, 3. Dezember 2024 – Am Dienstagabend brannte eine Halle nieder."
    assert infer_published(text) == ("2024-12-03", "date in the text: '3. Dezember 2024'")
    assert infer_published("Brand in Lagerhalle\nAm Dienstagabend brannte eine Halle.") is None


def test_timeline_dates_sentences_in_calendar_order() -> None:
    first = "Der Deich brach am Montag. Vor zwei Jahren war er saniert worden. Am Freitag kommt der Minister."
    copy = "Der Deich brach am Montag. Ein Sprecher bestätigte das."  # an agency copy repeats a sentence
    entries = story_timeline([(1, first, "2026-11-04", tag(first, "2026-11-04")),
                              (2, copy, "2026-11-04", tag(copy, "2026-11-04"))])
    assert [(e.date, e.document_id) for e in entries] == [("2024", 1), ("2026-11-02", 1), ("2026-11-06", 1)]
    assert all(first[e.start:e.end] == e.sentence for e in entries)


def test_calendar_values() -> None:
    text = "Er kam vor zwei Wochen an."
    duration = Timex(start=11, end=22, text="zwei Wochen", type="DURATION", value="P2W")
    assert calendar_value(duration, text, "2026-11-18") == "2026-W45"
    assert calendar_value(Timex(0, 5, "jetzt", "DATE", "PRESENT_REF"), "jetzt", "2026-11-18") is None
    assert sort_key("2026-W45") == "2026-11-02" and sort_key("2026-FA") == "2026-09-01" and sort_key("2026") == "2026-01-01"
    assert sort_key("2026-W45-WE") == "2026-11-07"
    lived = "So etwas habe ich in 30 Jahren Kommunalpolitik nicht erlebt."  # a span of time, not a date ahead
    assert calendar_value(Timex(20, 30, "30 Jahren", "DURATION", "P30Y"), lived, "2026-11-02") is None


def test_timeline_by_date_keeps_the_whole_span() -> None:
    text = " ".join(f"Am {d}. November {'hatte' if d < 20 else 'wird'} der Rat getagt und beraten." for d in range(1, 30))
    entries = story_timeline([(1, text, "2026-11-20", tag(text, "2026-11-20"))])
    grouped = by_date(entries, per_date=2, limit=10)
    assert sum(len(e) for _, e in grouped) <= 10
    assert len(grouped) == 10 and grouped[0][0] == "2026-11-01" and grouped[-1][0] == "2026-11-29"


def test_example_corpus_gold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Value F1 (overlapping span, equal value) against the hand-made gold of the example corpus."""
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import analyze

    gold = {d["source"]: d for d in json.loads((ROOT / "tests/gold/timex_examples.json").read_text("utf-8"))["documents"]}
    tp = n_pred = n_gold = 0
    monkeypatch.chdir(ROOT)  # the gold names the files as `pressespiegel analyze examples` does
    for doc in analyze(["examples"], Settings()):
        if doc.source not in gold:
            continue
        expected = gold[doc.source]["timexes"]
        n_pred, n_gold = n_pred + len(doc.timexes), n_gold + len(expected)
        for g in expected:
            tp += any(p.start < g["end"] and g["start"] < p.end and p.value == g["value"] for p in doc.timexes)
    f1 = 2 * tp / (n_pred + n_gold)
    assert n_gold > 500 and f1 >= 0.85, f1
