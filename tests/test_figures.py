"""Figures (analyse.figures) and figure conflicts between outlets (stories.compare)."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from pressespiegel.analyse.figures import find
from pressespiegel.model import Document
from pressespiegel.stories.compare import conflicts, unit_key


def test_figures_with_values_units_and_qualifiers():
    text = ("Rund 2.400 Menschen mussten ihre Häuser verlassen, 300 Einsatzkräfte halfen. Der Tunnel hätte 1,4 "
            "Milliarden Franken gekostet, 54,3 Prozent stimmten mit Nein. Zwölf Windräder sollen entstehen. Mehr als "
            "10.000 Soldaten und 19 Flugabwehrsysteme. Das Ticket kostet 68 Euro, bisher 49 €.")
    got = [(f.text, f.value, f.unit, f.qualifier) for f in find(text)]
    assert got == [("Rund 2.400 Menschen", 2400, "Menschen", "about"), ("300 Einsatzkräfte", 300, "Einsatzkräfte", None),
                   ("1,4 Milliarden Franken", 1.4e9, "Franken", None), ("54,3 Prozent", 54.3, "Prozent", None),
                   ("Zwölf Windräder", 12, "Windräder", None), ("Mehr als 10.000 Soldaten", 10000, "Soldaten", "over"),
                   ("19 Flugabwehrsysteme", 19, "Flugabwehrsysteme", None), ("68 Euro", 68, "Euro", None),
                   ("49 €", 49, "Euro", None)]
    assert all(text[f.start:f.end] == f.text for f in find(text))


def test_a_qualifier_is_a_word_of_its_own_not_the_end_of_one():
    found = find("Die Quote stieg auf 21 Prozent gegenüber 20 Prozent im Vorjahr; darunter drei Attentäter. "
                 "Mehr als 300 Euro, knapp 40 Millionen Euro.")
    got = {f.text: f.qualifier for f in found}
    assert got["20 Prozent"] is None and got["drei Attentäter"] is None  # not "über", "unter" of the word before
    assert got["Mehr als 300 Euro"] == "over" and got["knapp 40 Millionen Euro"] == "under"


def test_dates_times_ages_and_ranks_are_not_figures():
    text = "Am 3. November um 14 Uhr, im Jahr 2027 und nach zwei Jahren kam die 52-Jährige auf Platz 3 (Artikel 5)."
    assert find(text) == []


def test_the_stage_skips_time_expressions():
    from pressespiegel import analyse

    d = analyse.annotate(Document(source="t", content_hash="h", kind="text", published="2026-11-20",
                                  text="Seit drei Wochen warten 2.400 Menschen auf Hilfe."))
    assert [f.text for f in d.figures] == ["2.400 Menschen"]
    assert d.to_contract()["figures"][0]["value"] == 2400


def test_outlets_that_report_one_quantity_differently_conflict():
    sides = [(1, "rheinkurier.de", "Rund 2.400 Menschen mussten gehen. 1.200 Arbeitsplätze fallen weg."),
             (2, "weserblatt.de", "2.500 Menschen wurden evakuiert, 1.250 Arbeitsplätzen droht das Aus, 2 Tote."),
             (3, "abendpost-md.de", "Es waren 300 Menschen am Morgen und 2.400 Menschen am Abend.")]
    figures = [(doc, outlet, asdict(f)) for doc, outlet, text in sides for f in find(text)]
    got = {c.unit: [(s.outlet, s.text) for s in c.sides] for c in conflicts(figures)}
    assert got == {"Arbeitsplätze": [("rheinkurier.de", "1.200 Arbeitsplätze"),
                                     ("weserblatt.de", "1.250 Arbeitsplätzen")],
                   "Menschen": [("rheinkurier.de", "Rund 2.400 Menschen"), ("weserblatt.de", "2.500 Menschen")]}
    assert unit_key("Arbeitsplätzen") == unit_key("Arbeitsplätze")


@pytest.mark.parametrize("text", ["1" * 5000, "1.000.000.000.000.000 " * 500 + "Menschen", "Zwei " * 3000,
                                  "12,5,3,4 Prozent " * 1000, ""])
def test_hostile_numbers(text):
    got = find(text)
    assert all(text[f.start:f.end] == f.text for f in got)
