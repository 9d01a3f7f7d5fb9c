"""Hard inputs for extraction (issue 3): no crash, a sensible answer, nothing invented."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from pressespiegel.extract import ExtractionError, extract
from pressespiegel.extract.comments import assemble, header, is_time, is_widget
from pressespiegel.ingest.decode import decode
from pressespiegel.model import RawDocument

HELDOUT = ROOT / "tests" / "heldout"


def _doc(text: str):
    return extract(RawDocument(source="t.txt", kind="text", content=text))


def test_a_line_of_100000_characters():
    doc = _doc("Überschrift des Tages\n" + ("Ein sehr langer Absatz ohne Ende, " * 3000) + "\nKommentare\nAntworten")
    assert len(doc.text) > 90_000 and doc.title == "Überschrift des Tages"


def test_no_newlines_at_all():
    text = ("Die Stadt hat am Montag beschlossen, das Hallenbad zu sanieren. " * 40).strip()
    doc = _doc(text)
    assert doc.text == text and [x.kind for x in doc.lines] == ["body"]


def test_only_comments_is_reported_not_invented():
    text = "12 Kommentare\nLisa_K · vor 3 Std.\nEndlich mal gute Nachrichten.\nAntworten · Melden\n" \
           "Tom_B · vor 2 Std.\n@Lisa_K: Finde ich auch.\n"
    with pytest.raises(ExtractionError):
        _doc(text)  # no article body: a rejection with a reason, never comments passed off as the article


def test_only_boilerplate_is_reported():
    with pytest.raises(ExtractionError):
        _doc("Startseite\nPolitik | Wirtschaft | Sport\nNewsletter\nImpressum · Datenschutz · Kontakt\n© 2026 Testblatt\n")


@pytest.mark.parametrize("lang,text", [
    ("en", "City council votes to close the old bridge\nThe city council voted on Tuesday to close the old river "
           "bridge for at least two years, citing cracks found during an inspection in October."),
    ("pl", "Most na rzece zamknięty na dwa lata\nRada miasta zdecydowała we wtorek o zamknięciu starego mostu na "
           "co najmniej dwa lata, powołując się na pęknięcia wykryte podczas październikowej kontroli."),
])
def test_other_languages_are_labelled_and_kept(lang, text):
    from pressespiegel.analyse import annotate

    doc = annotate(_doc(text))
    assert doc.language == lang and doc.text == text


def test_mixed_encodings_are_repaired():
    data = "Die Bürgermeisterin sagte: „Wir müssen handeln.“ ".encode() + "Straße in Köln".encode("cp1252")
    text, enc = decode(data)
    assert "Bürgermeisterin" in text and "Straße in Köln" in text and enc == "utf-8+cp1252"


def test_comment_line_vocabulary():
    assert is_time("vor 3 Std.") and is_time("Do 19. Nov 2026, 15:02") and is_time("2 hours ago")
    assert not is_time("Die Stadt hat 2 Tage gebraucht")
    assert is_widget("▲ 12 ▼ • Reply • Share ›") and is_widget("Antworten   Melden   24 Daumen hoch")
    assert not is_widget("Antworten Sie bitte nicht auf Spam.")
    h = header("#2 · Rainer_Ostflanke · 12.11.2026, 19:17")
    assert (h.author, h.posted) == ("Rainer_Ostflanke", "12.11.2026, 19:17")
    h = header("Antwort auf HeinzDieter_58 · 09.11.2026, 09:40 Uhr")
    assert h.reply_name == "HeinzDieter_58" and h.posted == "09.11.2026, 09:40 Uhr"


def test_facebook_style_thread():
    lines = ["Heike Sommerfeld", "Die arme Frau.", "Gefällt mir · Antworten · 3 Std.", "Jannik Oberg",
             "Abwarten, bevor man urteilt.", "Gefällt mir · Antworten · 2 Std.", "↳ Heike Sommerfeld",
             "Jannik Oberg drei Wochen abwarten?", "Gefällt mir · Antworten · 2 Std."]
    out = assemble(list(enumerate(lines)))
    assert [(c.author, c.posted, c.reply_to) for c in out] == [
        ("Heike Sommerfeld", "3 Std.", None), ("Jannik Oberg", "2 Std.", None), ("Heike Sommerfeld", "2 Std.", 1)]


def test_reply_addressing_names_a_lost_author():
    lines = ["  • Erster Kommentar ohne Namen, aber mit Inhalt.", "    • @Nobodys Hero:", "      Das sehe ich anders."]
    out = assemble(list(enumerate(lines)))
    assert out[0].author == "Nobodys Hero" and out[1].reply_to == 0


@pytest.mark.skipif(not HELDOUT.exists(), reason="no held-out dumps")
def test_heldout_dumps_are_segmented_well():
    """A floor on the held-out layouts (other authors' sites): line accuracy and comment authors."""
    right = total = authors = gold_comments = 0
    for gold_path in sorted(HELDOUT.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        doc = _doc((HELDOUT / gold["file"]).read_text(encoding="utf-8"))
        predicted = {x.line: x.kind for x in doc.lines}
        right += sum(predicted[x["line"]] == x["kind"] for x in gold["lines"])
        total += len(gold["lines"])
        names = [c.author for c in doc.comments]
        for c in gold["comments"]:
            gold_comments += 1
            authors += c["author"] in names
    assert right / total >= 0.96
    assert authors / gold_comments >= 0.93
