"""Quotations: direct and indirect speech, speakers, and hostile input."""

from __future__ import annotations

import time

import pytest

from pressespiegel import analyse
from pressespiegel.analyse import quotes
from pressespiegel.model import Document, Entity, Nominal


def doc(text: str, people: tuple[str, ...] = (), nominals: tuple[tuple[str, str], ...] = ()) -> Document:
    """A document with the given person names (and nominal mentions → person) marked as entities, so that these
    tests do not depend on the tagger."""
    d = Document(source="t", content_hash="h", kind="text", text=text, published="2026-11-20")
    for name in people:
        pos = 0
        while (start := text.find(name, pos)) >= 0:
            full = next((p for p in people if p.endswith(" " + name)), name)
            d.entities.append(Entity(start, start + len(name), name, "PER", full))
            pos = start + len(name)
    d.entities.sort(key=lambda e: e.start)
    for phrase, person in nominals:
        start = text.index(phrase)
        d.nominals.append(Nominal(start, start + len(phrase), phrase, person))
    return d


def found(d: Document) -> list[tuple[str, str, str | None]]:
    return [(q.kind, q.text, q.speaker) for q in quotes.extract(d)]


def test_direct_speech_in_every_quotation_style():
    for open_, close in (("„", "“"), ("»", "«"), ('"', '"'), ("«", "»"), ("“", "”")):
        d = doc(f"{open_}Wir werden jeden Zentimeter verteidigen{close}, sagte Mark Rutte am Dienstag.",
                ("Mark Rutte",))
        assert found(d) == [("direct", "Wir werden jeden Zentimeter verteidigen", "Mark Rutte")], open_


def test_interrupted_colon_nested_and_continued_quotes():
    text = ("„Wir sind bereit. Wir werden ‚jeden Zentimeter‘ verteidigen“, sagte der Niederländer. „Niemand sollte "
            "daran zweifeln.“\nAnna Berg sagte: „Das ist ein guter Tag für die Stadt.“")
    d = doc(text, ("Mark Rutte", "Anna Berg"), (("Niederländer", "Mark Rutte"),))
    got = quotes.extract(d)
    assert [(q.text, q.speaker) for q in got] == [
        ("Wir sind bereit. Wir werden ‚jeden Zentimeter‘ verteidigen", "Mark Rutte"),
        ("Niemand sollte daran zweifeln.", "Mark Rutte"),
        ("Das ist ein guter Tag für die Stadt.", "Anna Berg")]
    assert text[got[0].speaker_start:got[0].speaker_end] == "Niederländer" and got[0].cue == "sagte"
    assert all(text[q.start:q.end] == q.text for q in got)


def test_headline_quote_and_unclosed_mark():
    text = "Rutte: Die Ukraine braucht mehr Hilfe\nDer Bürgermeister sagte: „Das lassen wir uns nicht gefallen\nAm Abend"
    d = doc(text, ("Rutte",))
    got = found(d)
    assert ("direct", "Die Ukraine braucht mehr Hilfe", "Rutte") in got
    assert any(q[1] == "Das lassen wir uns nicht gefallen" for q in got)  # ends with its paragraph


def test_titles_and_scare_quotes_are_not_speech():
    d = doc("Das Stück „Der Besuch der alten Dame“ läuft weiter. Die Gruppe „Black Lantern“ bekannte sich.")
    assert found(d) == []


def test_indirect_speech():
    text = ("Dmitri Peskow sagte, die Vorwürfe seien haltlos. Man werde sich davon nicht beeindrucken lassen. "
            "Laut Anna Berg gibt es keine Pläne für ein Treffen. Die Lage sei ernst, erklärte Mark Rutte. "
            "Wie die Polizei mitteilte, wurde niemand verletzt. Rutte räumte ein, dass Fehler gemacht worden seien. "
            "Nach Angaben der Feuerwehr brannte das Haus vollständig aus. Dem Bericht zufolge fehlen 300 Soldaten.")
    d = doc(text, ("Dmitri Peskow", "Anna Berg", "Mark Rutte", "Rutte"))
    got = found(d)
    assert ("indirect", "die Vorwürfe seien haltlos", "Dmitri Peskow") in got
    assert ("indirect", "Man werde sich davon nicht beeindrucken lassen", "Dmitri Peskow") in got  # continuation
    assert ("indirect", "gibt es keine Pläne für ein Treffen", "Anna Berg") in got
    assert ("indirect", "Die Lage sei ernst", "Mark Rutte") in got
    assert ("indirect", "wurde niemand verletzt", "die Polizei") in got
    assert ("indirect", "dass Fehler gemacht worden seien", "Mark Rutte") in got
    assert any(q[1] == "brannte das Haus vollständig aus" and "Feuerwehr" in (q[2] or "") for q in got)
    assert any(q[1] == "fehlen 300 Soldaten" and q[2] for q in got)


def test_pronoun_speaker_is_the_last_speaker():
    d = doc("Anna Berg kritisierte die Pläne. „Das ist nicht zu Ende gedacht“, sagte sie.", ("Anna Berg",))
    assert found(d)[-1] == ("direct", "Das ist nicht zu Ende gedacht", "Anna Berg")


def test_unknown_speaker_is_null():
    d = doc("„Das war der schönste Abend meines Lebens, ganz ohne Zweifel und mit allem Drum und Dran.“\n")
    assert found(d) == [("direct", "Das war der schönste Abend meines Lebens, ganz ohne Zweifel und mit allem Drum "
                                   "und Dran.", None)]


@pytest.mark.parametrize("text", [
    "„" + "Das ist ein Satz ohne Ende. " * 2000,  # a mark that never closes
    "„" * 5000 + "“" * 5000,
    "„Eins ‚zwei »drei «vier» drei« zwei‘ eins“, sagte sie. " * 300,  # nesting three levels deep, repeated
    "\n".join(f"Leser{i}: „Toll!“ „Super“ \"ja\" »nein« ‚vielleicht‘" for i in range(2000)),  # a comment section
])
def test_hostile_quotation_marks_neither_crash_nor_run_away(text):
    d = Document(source="t", content_hash="h", kind="text", text=text)
    t0 = time.process_time()
    got = quotes.extract(d)
    assert time.process_time() - t0 < 20
    assert all(q.end - q.start <= quotes.MAX_QUOTE for q in got)
    assert all(d.text[q.start:q.end] == q.text for q in got)


def test_the_quotes_stage_runs_after_entities():
    d = Document(source="t", content_hash="h", kind="text", published="2026-11-20",
                 text="„Wir werden jeden Zentimeter verteidigen“, sagte NATO-Generalsekretär Mark Rutte in Brüssel.")
    analyse.annotate(d)
    assert [(q.kind, q.speaker) for q in d.quotes] == [("direct", "Mark Rutte")]
    assert d.to_contract()["quotes"][0]["cue"] == "sagte"


def test_the_report_counts_one_statement_in_several_outlets_once():
    from pressespiegel.review.report import story_quotes
    from pressespiegel.store import ArticleRow

    def row(n: int, outlet: str) -> ArticleRow:
        return ArticleRow(id=n, source=f"s{n}", kind="text", url=None, path=None, title=None, outlet=outlet,
                          published=None, language="de", content_hash=str(n), ingested_at="", story_id=1,
                          duplicate_of=None, text="")

    said = "Wir werden jeden Zentimeter verteidigen"
    q = {"speaker": "Mark Rutte", "kind": "direct"}
    got = story_quotes([(row(1, "rheinkurier.de"), [{**q, "text": said}]),
                        (row(2, "weserblatt.de"), [{**q, "text": said + "."}, {**q, "text": "Ein anderer Satz, lang."}]),
                        (row(3, "weserblatt.de"), [{"speaker": "Anna Berg", "kind": "indirect", "text": "kurz"}])])
    assert [(x.speaker, x.outlets) for x in got] == [("Mark Rutte", ["rheinkurier.de", "weserblatt.de"]),
                                                      ("Mark Rutte", ["weserblatt.de"])]


def test_statements_match_the_same_quote_across_articles_not_across_speakers():
    from pressespiegel.stories.statements import QuoteRef, cluster

    got = cluster([
        QuoteRef(1, "Die Lage ist ernst, wir werden jeden Zentimeter verteidigen", "Mark Rutte", "2026-11-18"),
        QuoteRef(2, "die Lage sei ernst und man werde jeden Zentimeter verteidigen", "Rutte", "2026-11-19"),
        QuoteRef(3, "Wir werden jeden Zentimeter verteidigen", None, "2026-11-19"),
        QuoteRef(4, "Die Lage ist ernst, wir werden jeden Zentimeter verteidigen", "Olaf Scholz", "2026-11-18"),
        QuoteRef(5, "Das Wetter wird morgen besser, sagen die Meteorologen", None, "2026-11-18"),
        QuoteRef(6, "Die Lage ist ernst, wir werden jeden Zentimeter verteidigen", "Mark Rutte", "2026-01-18"),
        QuoteRef(7, "Ja.", "Mark Rutte", "2026-11-18"),
    ])
    assert got[1] == got[2] == got[3] == 1  # indirect, cut and verbatim: one statement, named by the earliest
    assert got[4] == 4 and got[5] == 5 and got[6] == 6 and got[7] == 7  # other speaker, other words, months apart


def test_statements_are_stored_and_exported(tmp_path):
    import json

    from pressespiegel import pipeline
    from pressespiegel.config import Settings
    from pressespiegel.export import rows
    from pressespiegel.store import open_store

    for n, (outlet, day) in enumerate((("rheinkurier.de", "18"), ("weserblatt.de", "19"))):
        (tmp_path / f"{n}.jsonl").write_text(json.dumps({
            "id": str(n), "title": f"Gipfel {n}", "outlet": outlet, "published": f"2026-11-{day}",
            "text": "Die Nato berät in Brüssel. „Wir werden jeden Zentimeter des Bündnisgebiets verteidigen“, sagte "
                    f"NATO-Generalsekretär Mark Rutte. Meldung Nummer {n} mit eigenem Text."}, ensure_ascii=False),
            encoding="utf-8")
    with open_store(str(tmp_path / "s.db")) as store:
        pipeline.run([str(tmp_path)], store, Settings())
        statements = [r for r in rows(store, "statements") if len(r["quote_ids"]) > 1]
        assert len(statements) == 1
        assert statements[0]["outlets"] == ["rheinkurier.de", "weserblatt.de"]
        assert statements[0]["first_outlet"] == "rheinkurier.de" and statements[0]["speaker"] == "Mark Rutte"


def test_a_quoted_phrase_as_the_object_of_a_reporting_verb_is_a_quote() -> None:
    text = ("Landrätin Petra Kühn nannte den Beschluss „überzogen und kurzsichtig“. Der Verein „Freunde der Aue“ "
            "lud zum Fest. Als „verpasste Chance“ bezeichnete Jonas Weber die Abstimmung.")
    found = quotes.extract(doc(text, people=("Petra Kühn", "Jonas Weber")))
    # a short phrase inside a sentence: the sentence reports what was said (it holds the quoted words)
    assert [(q.text, q.speaker, q.kind) for q in found] == [
        ("Landrätin Petra Kühn nannte den Beschluss „überzogen und kurzsichtig“", "Petra Kühn", "indirect"),
        ("Als „verpasste Chance“ bezeichnete Jonas Weber die Abstimmung", "Jonas Weber", "indirect")]


def test_an_object_opening_the_clause_does_not_speak() -> None:
    text = ("Landrat Heiner Kassel besuchte den Deich. Den Einsatz der Helfer nannte er „vorbildlich“. "
            "Wie „Auenbacher Bote“ berichtet, sei der Schaden groß.")
    found = quotes.extract(doc(text, people=("Heiner Kassel",)))
    assert [(q.text, q.speaker) for q in found] == [("Den Einsatz der Helfer nannte er „vorbildlich“", "Heiner Kassel"),
                                                   ("sei der Schaden groß", "Auenbacher Bote")]


def test_a_verb_that_ends_the_sentence_reports_only_in_a_wie_clause() -> None:
    text = ("Die Halle bleibt bis Freitag gesperrt, wie die Stadtverwaltung am Montag mitteilte. Die Pläne wurden "
            "im Rat scharf kritisiert. Die Vergabe wird die letzte sein, wie der Verband bekanntgab.")
    found = quotes.extract(doc(text))
    assert [(q.text, q.speaker, q.cue) for q in found] == [
        ("Die Halle bleibt bis Freitag gesperrt", "die Stadtverwaltung", "mitteilte"),
        ("Die Vergabe wird die letzte sein", "der Verband", "bekanntgab")]  # "kritisiert." reports nothing


def test_a_role_and_name_opening_a_konjunktiv_sentence_speak() -> None:
    text = ("Der Stadtrat tagte am Montag. Fraktionssprecher André Scholl lehnt den Verkauf der Wohnungen ab, "
            "dies sei ein Fehler.")
    found = quotes.extract(doc(text, people=("André Scholl",)))
    assert [(q.text, q.speaker) for q in found] == [("dies sei ein Fehler", "André Scholl")]  # the reported clause
    assert text[found[0].speaker_start:found[0].speaker_end] == "Fraktionssprecher André Scholl"


def test_quoted_phrases_take_the_speaker_of_their_own_clause() -> None:
    text = ("Das Spiel endete 1:1. Jonas Weber, der wegen wiederholten Fouls Gelb-Rot sah, nannte den Platzverweis "
            "„überzogen“, Trainer Paul Lenz bezeichnete acht Karten in einem Spiel als „übertrieben“. Der Verband "
            "hatte den Bericht umgehend als „falsch“ zurückgewiesen.")
    found = quotes.extract(doc(text, people=("Jonas Weber", "Paul Lenz")))
    assert [(q.text[:24], q.speaker, q.cue) for q in found] == [
        ("Jonas Weber, der wegen w", "Jonas Weber", "nannte"), ("übertrieben", "Paul Lenz", "bezeichnete"),
        ("Der Verband hatte den Be", "Der Verband", "zurückgewiesen")]  # "wiederholten Fouls": an adjective


def test_a_short_phrase_before_a_colon_speaks_when_the_tagger_missed_the_name() -> None:
    text = "Der Fall ist geklärt. Kripo-Chef Zierbach: „Mit diesem Ansatz setzen wir ein deutliches Signal.“"
    found = quotes.extract(doc(text))
    assert [(q.speaker, q.kind) for q in found] == [("Kripo-Chef Zierbach", "direct")]


def test_reported_speech_without_a_clause_needs_a_speaker_that_can_speak() -> None:
    text = ("Der Rat tagte am Montag. Jonas Weber kritisierte den Beschluss des Rates. Die Kälte erklärt den hohen "
            "Verbrauch im Januar.")
    found = quotes.extract(doc(text, people=("Jonas Weber",)))
    assert [(q.speaker, q.cue) for q in found] == [("Jonas Weber", "kritisierte")]  # "Die Kälte" does not speak


def test_a_quote_standing_alone_goes_on_with_the_speaker_before_it() -> None:
    text = ("„Wir haben die Angebote der Länder geprüft“, wird Verkehrsministerin Ilka Sommerfeld zitiert. Die "
            "Entscheidung wolle sie dem Kabinett überlassen. „Tatsächlich geht es jetzt um jeden Kilometer Schiene "
            "im Norden.“ Der Bahnhof in Wessing bleibt bis Mai geschlossen. Die Sanierung kostet 40 Millionen Euro. "
            "Im Sommer rollen die ersten Züge. „Danach wird alles besser, ganz bestimmt und für alle.“")
    found = quotes.extract(doc(text, people=("Ilka Sommerfeld",)))
    by_text = {q.text[:12]: q for q in found}
    assert by_text["Wir haben di"].speaker == "Ilka Sommerfeld" and by_text["Wir haben di"].cue == "zitiert"
    assert by_text["Tatsächlich "].speaker == "Ilka Sommerfeld"  # two sentences on, no verb of its own
    assert by_text["Danach wird "].speaker is None  # four sentences after the last quotation: unknown, not a guess


def test_a_pronoun_speaks_for_the_person_named_last_not_an_older_speaker() -> None:
    text = ("„Wir brauchen die Zusage jetzt“, erklärte das Ministerium in Lutsara. Generalsekretär Olaf Brenner "
            "sagte jedoch, dass die Abkommen ein erster Schritt seien. „Das geschieht Schritt für Schritt“, sagte er.")
    found = quotes.extract(doc(text, people=("Olaf Brenner",)))
    last = found[-1]
    assert last.kind == "direct" and text[last.speaker_start:last.speaker_end] == "er"
    assert last.speaker == "Olaf Brenner"


def test_so_inside_the_sentence_names_the_speaker_after_it() -> None:
    text = "Der Bürgermeister sei, so Lena Harwig, für die Verzögerung beim Hallenbad verantwortlich."
    found = quotes.extract(doc(text, people=("Lena Harwig",)))
    assert [(q.kind, q.speaker) for q in found] == [("indirect", "Lena Harwig")]
    assert found[0].text.startswith("Der Bürgermeister sei")


def test_the_subject_of_a_relative_clause_speaks() -> None:
    text = ("Am Abend kam auch die Stadträtin Greta Lohse, die dem Bauamt vorwarf, dass es die Pläne zu spät vorgelegt "
            "haben. Der Verein verlor, nachdem Tom Ibsen erklärt hatte, er werde den Vorsitz abgeben.")
    found = quotes.extract(doc(text, people=("Greta Lohse", "Tom Ibsen")))
    first, second = found
    assert text[first.speaker_start:first.speaker_end] == "die" and first.speaker == "Greta Lohse"
    assert second.speaker == "Tom Ibsen" and second.text.startswith("er werde")


def test_the_passive_names_only_its_agent() -> None:
    text = ("Nach dem Unfall wurde betont, die Brücke sei sicher. Später wurde von den Anwohnern die Sorge "
            "geäußert, der Verkehr werde zunehmen. Sinkende Preise seien nicht zu erwarten, hieß es. Die Lage sei "
            "ernst, hieß es vom Sprecher der Feuerwehr.")
    found = quotes.extract(doc(text))
    spoken = {q.text[:12]: (q.speaker, text[q.speaker_start:q.speaker_end] if q.speaker_start is not None else None)
              for q in found}
    assert spoken["die Brücke s"] == (None, None)  # nobody named
    assert spoken["der Verkehr "][1] == "den Anwohnern"
    assert spoken["Sinkende Pre"] == (None, None)
    assert spoken["Die Lage sei"][1].startswith("Sprecher der Feuerwehr")


def test_wird_x_zitiert_is_said_by_x() -> None:
    text = "„Wir bauen die Brücke neu“, wird Bürgermeisterin Anke Vogt zitiert."
    found = quotes.extract(doc(text, people=("Anke Vogt",)))
    assert [(q.kind, q.speaker) for q in found] == [("direct", "Anke Vogt")]


def test_the_subject_of_a_main_clause_before_reported_speech_speaks() -> None:
    # the verb ("begegnet … mit dem Argument") is no reporting verb; the clause after the comma is in the Konjunktiv
    text = ("Die Gewerkschaft begegnet der Kritik mit dem Argument, die Löhne seien ohnehin zu niedrig. Der Verein "
            "hatte seinen Rückzug damit begründet, dass der Platz zu klein sei.")
    found = quotes.extract(doc(text))
    assert [(q.text[:14], text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("die Löhne seie", "Die Gewerkschaft"), ("dass der Platz", "Der Verein")]


def test_a_sentence_quoted_after_a_colon_is_speech_of_the_speaker_before() -> None:
    text = ("„Wir bleiben zuversichtlich“, sagte Bürgermeisterin Anke Vogt. Ihre Zuversicht gründet sich auf die "
            "Erfahrung der letzten Jahre: „Am Ende hat der Kreis noch jedes Mal bezahlt.“")
    found = quotes.extract(doc(text, people=("Anke Vogt",)))
    assert [(q.kind, q.text[:6], q.speaker) for q in found] == [
        ("direct", "Wir bl", "Anke Vogt"), ("direct", "Am End", "Anke Vogt")]


def test_a_konjunktiv_sentence_continues_the_quotation_before_it_not_a_later_one() -> None:
    text = ("„Die Kasse ist leer“, sagte Kämmerer Paul Jost. Das Geld reiche nicht bis zum Sommer. Der Rat tagt am "
            "Montag. Die Schulen schließen. Die Eltern protestieren. „Wir haben genug“, sagte Elternsprecherin Mia "
            "Lind.")
    found = quotes.extract(doc(text, people=("Paul Jost", "Mia Lind")))
    assert [(q.kind, q.text[:12], q.speaker) for q in found] == [
        ("direct", "Die Kasse is", "Paul Jost"), ("indirect", "Das Geld rei", "Paul Jost"),
        ("direct", "Wir haben ge", "Mia Lind")]


def test_an_infinitive_clause_after_a_verb_of_asking_or_deciding_is_reported() -> None:
    text = ("Die Feuerwehr forderte die Anwohner auf, Fenster und Türen geschlossen zu halten. Der Gemeinderat "
            "beschloss am Abend, das Freibad im Sommer wieder zu öffnen. Der Trainer fuhr, um die Spieler zu "
            "schonen, allein voraus.")
    found = quotes.extract(doc(text))
    assert [(q.text[:14], q.cue) for q in found] == [("Fenster und Tü", "forderte"), ("das Freibad im", "beschloss")]


def test_so_before_a_reporting_verb_and_an_apposition_before_the_particle() -> None:
    text = ("Die Brücke sei nicht mehr zu retten, so bestätigt das Bauamt. Die Kosten steigen weiter, wie Jan Berg, "
            "der Sprecher der Stadt, mitteilte. Das Freibad bleibt bis Juni geschlossen. Dies teilte Jan Berg, der "
            "Sprecher der Stadt, am Montag mit.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.text, q.cue) for q in found] == [
        ("Die Brücke sei nicht mehr zu retten", "bestätigt"), ("Die Kosten steigen weiter", "mitteilte"),
        ("Das Freibad bleibt bis Juni geschlossen", "teilte")]
    assert [q.speaker for q in found][1:] == ["Jan Berg", "Jan Berg"]


def test_a_name_after_a_preposition_does_not_speak() -> None:
    text = ("Gemeinsam mit Bürgermeister Otto Kern forderte Lisa Brandt, dass die Brücke saniert werde. Anwohner "
            "haben gegenüber Journalistin Eva Roth erklärt, dass der Lärm unerträglich sei.")
    found = quotes.extract(doc(text, people=("Otto Kern", "Lisa Brandt", "Eva Roth")))
    assert found[0].speaker == "Lisa Brandt"
    assert found[1].speaker != "Eva Roth"


def test_institutions_speak() -> None:
    text = "Am Freitag hat die Universität erklärt, sie werde den Fall prüfen."
    found = quotes.extract(doc(text))
    assert [(q.text, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("sie werde den Fall prüfen", "die Universität")]


def test_a_reporting_verb_without_a_clause_reports_only_as_the_verb_of_the_main_clause() -> None:
    text = ("Lisa Brandt sprach von einem großen Erfolg für die Stadt. Die Gruppen, die zu der Kundgebung aufgerufen "
            "hatten, zogen am Abend ab. Lisa Brandt sprach sich gegen neue Parkplätze aus. Der Verein wollte eigentlich "
            "das Doppelte verlangen. Otto Kern war vom Amtsgericht verurteilt worden.")
    found = quotes.extract(doc(text, people=("Lisa Brandt", "Otto Kern")))
    assert [(q.text, q.speaker) for q in found] == [
        ("Lisa Brandt sprach von einem großen Erfolg für die Stadt", "Lisa Brandt")]


def test_demnach_stands_for_the_source_named_before() -> None:
    text = "Der Bericht des Bauamts liegt seit Montag vor. Demnach ist die Brücke nicht mehr zu retten."
    found = quotes.extract(doc(text))
    assert [(q.text, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("ist die Brücke nicht mehr zu retten", "Demnach")]


def test_a_speaker_before_a_dass_clause_and_verbs_in_ern_and_eln() -> None:
    text = ("Viele Anwohner halten es für unwahrscheinlich, dass die Brücke im Sommer fertig wird. Die Händler "
            "bezweifeln, dass der Markt wieder öffnet. Der Sturm führte dazu, dass die Schule geschlossen blieb.")
    found = quotes.extract(doc(text))
    assert [(q.text, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("dass die Brücke im Sommer fertig wird", "Viele Anwohner"),
        ("dass der Markt wieder öffnet", "Die Händler")]


def test_the_subject_stands_before_the_finite_verb_or_right_after_it() -> None:
    text = ("Bürgermeisterin Lisa Brandt hatte Otto Kern gebeten, im Amt zu bleiben. Am Montag hat Jan Berg Otto Kern "
            "aufgefordert, den Bericht vorzulegen. Damals dachte niemand, dass die Brücke so lange halte. Bei einem "
            "Treffen der Minister in Berlin sagte Eva Roth, dass die Stadt zu ihrem Wort stehe.")
    found = quotes.extract(doc(text, people=("Lisa Brandt", "Otto Kern", "Jan Berg", "Eva Roth")))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == [
        "Bürgermeisterin Lisa Brandt", "Jan Berg", "niemand", "Eva Roth"]


def test_es_sei_and_a_konjunktiv_ii_go_on_with_the_report_before() -> None:
    text = ("Lisa Brandt sagte, die Brücke sei marode. Es sei höchste Zeit für einen Neubau. Die Bürger hätten lange "
            "genug gewartet. Die Brücke wurde 1950 gebaut. Die Stadt hätte damals mehr Geld gebraucht.")
    found = quotes.extract(doc(text, people=("Lisa Brandt",)))
    assert [(q.text, q.speaker) for q in found] == [
        ("die Brücke sei marode", "Lisa Brandt"),
        ("Es sei höchste Zeit für einen Neubau. Die Bürger hätten lange genug gewartet", "Lisa Brandt")]


def test_a_konjunktiv_sentence_names_the_first_subject_that_can_speak_not_a_role_or_a_verb() -> None:
    text = ("Der Winter war lang. Noch am Freitag hatte Präsident Jan Berg versichert, die Brücke werde gebaut. "
            "Er werde allerdings als Abgeordneter im Rat bleiben. So hätten Anwohner den Bau lange verzögert.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.text[:20], text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("die Brücke werde geb", "Jan Berg"), ("Er werde allerdings ", "Jan Berg")]
    assert found[1].text.endswith("So hätten Anwohner den Bau lange verzögert")  # one run of reported speech


def test_more_attributions_laut_nach_wonach() -> None:
    text = ("Laut diesem Zeugen hat es keinen Streit gegeben. Nach einem internen Dokument fehlen der Stadt zwei "
            "Millionen Euro. Seiner Meinung nach ist die Brücke zu teuer. Es gibt Gerüchte, wonach der Markt schließt. "
            "Nach dem Spiel gingen alle nach Hause.")
    found = quotes.extract(doc(text))
    assert [(q.text, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("hat es keinen Streit gegeben", "diesem Zeugen"),
        ("fehlen der Stadt zwei Millionen Euro", "einem internen Dokument"),
        ("ist die Brücke zu teuer", "Seiner Meinung"),
        ("der Markt schließt", "Gerüchte")]


def test_a_colon_names_the_subject_of_its_clause_and_a_quoted_name_is_no_speech() -> None:
    text = ("Lisa Brandt zeigte sich besorgt, dass die Fehden der Familien weitergehen: „Das hat es hier noch nie "
            "gegeben.“ Jan Berg von der „Aktion Saubere Stadt“ sagte, die Straßen seien sauber.")
    found = quotes.extract(doc(text, people=("Lisa Brandt", "Jan Berg")))
    assert [(q.kind, q.text, q.speaker) for q in found] == [
        ("direct", "Das hat es hier noch nie gegeben.", "Lisa Brandt"),
        ("indirect", "die Straßen seien sauber", "Jan Berg")]


def test_a_quoted_word_after_als_is_what_was_called_even_in_a_relative_clause() -> None:
    text = ("Der Vorsitzende Jan Berg, der den Wahlsieg als „Fest“ bezeichnete, ordnete eine Prüfung an. Die Schwaden, "
            "die als „nebelartig“ bezeichnet wurden, rochen nach Rauch.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.text, q.speaker) for q in found] == [("der den Wahlsieg als „Fest“ bezeichnete", "Jan Berg"),
                                                   ("nebelartig", None)]


def test_heisst_es_names_the_source_in_a_capitalised_phrase_and_es_can_speak() -> None:
    text = ("Bei der Agentur Nordpress hieß es, dass zwei Züge betroffen seien. In der Mitteilung des Vereins heißt es "
            "weiter, dass der Markt ausfalle. Das Gericht tagte lange. Es weist den Vorwurf zurück, man habe verzögert.")
    found = quotes.extract(doc(text))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == [
        "der Agentur Nordpress", "der Mitteilung des Vereins", "Es"]


def test_a_prepositional_phrase_or_a_relative_clause_before_the_verb_does_not_speak() -> None:
    text = ("Bezüglich des Startortes meldet die Nachrichtenagentur, die Maschine sei in Hamm gestartet. Jan Berg, "
            "der am Montag beim Landrat Otto Kern war, sagte, dass alles ruhig sei.")
    found = quotes.extract(doc(text, people=("Jan Berg", "Otto Kern")))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["die Nachrichtenagentur", "Jan Berg"]


def test_a_phrase_quoted_inside_a_sentence_without_a_quotation_is_direct_speech() -> None:
    text = ("Staatsanwalt Jan Berg hält den Angeklagten für „gefährlich und unberechenbar“. Die Kammer prüft Angriffe "
            "auf „den Bestand des Staates“. Die Band spielte „Wind of Change“. Man habe „lange und offen“ gesprochen. "
            "Es ist klar, dass Cannabis „in den meisten Fällen nicht schadet“.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.kind, q.text) for q in found if q.kind == "direct"] == [
        ("direct", "gefährlich und unberechenbar"), ("direct", "den Bestand des Staates")]


def test_a_speaker_noun_before_the_verb_speaks_not_the_name_after_it() -> None:
    text = ("Ein Sprecher der Feuerwehr sagte Radio Nord, die Brücke sei gesperrt. Der Grund für die Sperrung, so "
            "vermutet die Zeitung, dürfte ein Riss sein.")
    found = quotes.extract(doc(text, people=("Radio Nord",)))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["Ein Sprecher der Feuerwehr", "die Zeitung"]


def test_verlautbaren_is_a_verb_of_saying() -> None:
    text = "Die Ursache sei noch unklar, verlautbarte Jan Berg, der Direktor der Reederei."
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.text, q.speaker) for q in found] == [("Die Ursache sei noch unklar", "Jan Berg")]


def test_a_quoted_phrase_without_a_verb_of_saying_is_spoken_by_the_subject() -> None:
    text = "Ursprünglich wollte Jan Berg „ein Konzept mit sechs Stadien vorlegen“, am Ende waren es zwölf."
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.kind, q.text, q.speaker) for q in found] == [
        ("direct", "ein Konzept mit sechs Stadien vorlegen", "Jan Berg")]


def test_heissen_and_sich_nennen_name_and_do_not_report() -> None:
    text = ("Der neue Trainer heißt Jan Berg und kommt aus Kiel. Ab Mai nennt sich der Verein „Nordstern“ und spielt "
            "in Kiel. Die Stadt sei pleite, wie es in dem Bericht vom 3. Mai heißt.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [q.text[:20] for q in found] == ["Die Stadt sei pleite"]


def test_a_subject_with_an_apposition_or_party_speaks_not_the_object_after_the_verb() -> None:
    text = ("Die frühere Landrätin, Heike Brandt (SPD), warnte die CDU vor einem „teuren Wahlkampf“. "
            "Otto Kern, Sprecher der Stadtwerke, warf der Verwaltung vor, die Preise verschwiegen zu haben.")
    d = doc(text, people=("Heike Brandt", "Otto Kern"))
    d.entities += [Entity(text.index("CDU"), text.index("CDU") + 3, "CDU", "ORG", "CDU"),
                   Entity(text.index("SPD"), text.index("SPD") + 3, "SPD", "ORG", "SPD")]
    d.entities.sort(key=lambda e: e.start)
    speakers = [text[q.speaker_start:q.speaker_end] for q in quotes.extract(d)]
    assert speakers and "CDU" not in speakers and "Verwaltung" not in " ".join(speakers)
    assert any("Otto Kern" in s for s in speakers)


def test_er_right_after_the_verb_is_its_subject() -> None:
    text = "Die Arbeit der neuen Koalition lobte er mit den Worten: „Hier wird endlich gehandelt.“"
    d = doc(text, people=("Jan Berg",))
    d.text = "Jan Berg war zu Gast. " + text
    d.entities = [Entity(0, 8, "Jan Berg", "PER", "Jan Berg")]
    assert [(q.kind, q.speaker) for q in quotes.extract(d)] == [("direct", "Jan Berg")]


def test_quoted_names_and_lower_case_outlets_speak() -> None:
    text = ("„Die Stadt hat zu lange gewartet“, schreibt der „Elbtaler Bote“. Wie „heise online“ berichtet, sperrten "
            "die Behörden den Zugang. Die taz vermutet, dass der Zugriff längst üblich ist.")
    assert [text[q.speaker_start:q.speaker_end] for q in quotes.extract(doc(text))] == [
        "Elbtaler Bote", "heise online", "Die taz"]


def test_a_place_opening_the_clause_speaks_and_man_names_nobody() -> None:
    text = ("Das Weiße Haus verlangte einen Rückzug der Regierungstruppen. "
            "Aus Berlin kämen zu strenge Weisungen, so glaubt man in Athen.")
    d = doc(text)
    for name in ("Weiße Haus", "Berlin", "Athen"):
        d.entities.append(Entity(text.index(name), text.index(name) + len(name), name, "LOC", name))
    d.entities.sort(key=lambda e: e.start)
    assert [(q.text[:12], q.speaker) for q in quotes.extract(d)] == [
        ("Das Weiße Ha", "Weiße Haus"), ("Aus Berlin k", None)]


def test_a_lone_quote_after_a_sentence_about_a_person_and_konjunktiv_after_a_reporting_sentence() -> None:
    text = ("Die Ärztin Lena Hoff, eine der Unterzeichnerinnen, besuchte am Morgen die Station. "
            "„Ob wir es mögen oder nicht, die Stationen sind voll.“ "
            "Die Pläne wurden von Landrat Otto Kern als unrealistisch bezeichnet. "
            "Heutige Busse seien gar nicht in der Lage, so weit zu fahren.")
    found = quotes.extract(doc(text, people=("Lena Hoff", "Otto Kern")))
    assert [(q.text[:10], q.speaker) for q in found] == [("Ob wir es ", "Lena Hoff"), ("Heutige Bu", "Otto Kern")]


def test_plural_speakers_and_an_aside_before_the_dass_clause() -> None:
    text = ("Meteorologen rechnen mit „sehr ergiebigen Niederschlägen“. So sagte der Koordinator für den Katastrophen"
            "schutz, Jan Berg, gegenüber dem Sender, dass nur zwölf Boote im Einsatz seien.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert text[found[0].speaker_start:found[0].speaker_end] == "Meteorologen"
    # the speaker is the phrase before the aside (or the name in it), the message starts at the dass-clause
    phrase = text.index("der Koordinator"), text.index(", gegenüber")
    assert phrase[0] <= found[1].speaker_start and found[1].speaker_end <= phrase[1]
    assert found[1].text.startswith("dass nur zwölf")


def test_konjunktiv_after_a_sentence_whose_subject_follows_its_verb() -> None:
    # the sentence before opens with a long adverbial; its subject stands after the finite verb and speaks on
    text = ("„Wir brauchen mehr Kameras“, sagte Innenminister Otto Kern am Montag. Mit Kritik an einer Ausweitung der "
            "Videoüberwachung an öffentlichen Plätzen hält sich Lena Brandt dagegen zurück. So sei im Gesetzentwurf "
            "eine Formulierung gewählt worden, die der Gefahrenabwehr Rechnung trage.")
    found = quotes.extract(doc(text, people=("Otto Kern", "Lena Brandt")))
    assert [(q.text[:10], q.speaker) for q in found] == [("Wir brauch", "Otto Kern"), ("So sei im ", "Lena Brandt")]


def test_verlauten_a_domain_name_whose_words_and_a_name_in_an_apposition() -> None:
    text = ("„Ein Name wie dieser hilft der ganzen Region“, führte er gegenüber dem Onlinedienst raumfahrt.de aus. "
            "„Die Lage ist ernst“, ließ ein Sprecher der Stadtwerke kurz verlauten. Das Fazit von Sandra Boser nach "
            "fünf Jahren überrascht daher nicht: „Darauf können wir stolz sein.“ Der ältere Bruder der Ministerin, "
            "Georg Hahn, war seit langem eingeweiht. „Meine Schwester wünscht sich mehr Ruhe.“")
    found = quotes.extract(doc(text, people=("Sandra Boser", "Georg Hahn")))
    assert [(q.cue, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("führte", "er"), ("ließ", "ein Sprecher der Stadtwerke"), (None, "Sandra Boser"), (None, "Georg Hahn")]


def test_a_role_after_the_verb_coordinated_verbs_and_aus_x_hiess_es() -> None:
    text = ("Am Montag äußerte sich Bistumssprecher Karl Aumann dahingehend, das Gespräch sei gut verlaufen. "
            "Die Schulleiterin Petra Wendt lobte den Plan und versicherte, die Stadt werde helfen. "
            "Aus Paris hieß es, das Vorgehen sei ein Verstoß gegen das Abkommen.")
    d = doc(text, people=("Petra Wendt",))
    start = text.index("Paris")
    d.entities = sorted([*d.entities, Entity(start, start + 5, "Paris", "LOC", "Paris")], key=lambda e: e.start)
    # (the tagger is not run here: "Bistumssprecher Karl Aumann" is a name it missed)
    assert [text[q.speaker_start:q.speaker_end] for q in quotes.extract(d)] == [
        "Bistumssprecher Karl Aumann", "Die Schulleiterin Petra Wendt", "Paris"]


def test_the_clause_of_the_verb_speaks_after_und_and_after_a_clause_opening_the_sentence() -> None:
    text = ("Der Menschenrechtsrat stufte das Gesetz als verfassungswidrig ein, und das Kinderhilfswerk Unicef rief die "
            "Regierung auf, das Verbot nicht durchzusetzen. Warum die Wahl auf diesen Fall fiel, begründete das "
            "Sondertribunal damit, dass die Beweislage klar sei.")
    d = doc(text)
    start = text.index("Unicef")
    d.entities = [Entity(start, start + 6, "Unicef", "ORG", "Unicef")]
    found = quotes.extract(d)
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["das Kinderhilfswerk Unicef", "das Sondertribunal"]


def test_a_particle_before_its_verb_in_a_wie_clause() -> None:
    text = "Wie das Polizeipräsidium Nordpfalz bekannt gab, wird es rund um den Bahnhof mehr Kontrollen geben."
    found = quotes.extract(doc(text))
    assert [(q.cue, text[q.speaker_start:q.speaker_end], q.text[:10]) for q in found] == [
        ("gab", "das Polizeipräsidium", "wird es ru")]


def test_so_x_after_a_passive_and_the_verb_of_an_indem_clause() -> None:
    text = ("Die Stadt wird aufgefordert, die Grenze sofort zu öffnen, so Bürgermeisterin Lena Hoff im Regionalfernsehen. "
            "Otto Kern bestritt das jedoch, indem er sagte, eine Öffnung würde nichts ändern.")
    found = quotes.extract(doc(text, people=("Lena Hoff", "Otto Kern")))
    assert [(q.cue, q.speaker) for q in found] == [("aufgefordert", "Lena Hoff"), ("sagte", "Otto Kern")]


def test_the_phrase_before_a_reporting_verb_speaks_on_whatever_its_noun() -> None:
    text = ("Die Schutzgemeinschaft der Kapitalanleger forderte am Mittwoch den Rücktritt von Otto Kern, weil er den "
            "Konzern führte. Aufgrund dieser Funktion stehe er der Aufklärung im Wege.")
    found = quotes.extract(doc(text, people=("Otto Kern",)))
    assert [(q.text[:9], text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("Aufgrund ", "Die Schutzgemeinschaft der Kapitalanleger")]


def test_a_subject_with_an_apposition_before_the_verb_is_no_message() -> None:
    text = ("Die Haushaltspolitikerin der Grünen, Anja Hajduk, kritisierte die Pläne der Bundesregierung zum Thema "
            "Arbeitsmarkt. Hier seien die vorgesehenen Mittel viel zu knapp.")
    found = quotes.extract(doc(text, people=("Anja Hajduk",)))
    assert all(q.text != "Die Haushaltspolitikerin der Grünen, Anja Hajduk" for q in found)  # not the message
    last = found[-1]  # the Konjunktiv after it: the subject speaks, not "die Pläne der Bundesregierung"
    assert last.text.startswith("Hier seien") and last.speaker_end <= text.index(", kritisierte")


def test_konjunktiv_before_the_sentence_that_reports_it() -> None:
    text = ("Das Beben traf die Küste am Morgen. Auch seien dort mehrere Gebäude beschädigt worden. "
            "Die Sprecherin Lena Hoff berichtet vom Einsturz einer Kirche.")
    found = quotes.extract(doc(text, people=("Lena Hoff",)))
    assert [(q.text[:9], q.speaker) for q in found][0] == ("Auch seie", "Lena Hoff")


def test_demnach_after_a_sentence_that_names_a_document() -> None:
    text = "Das geht aus dem Urteil des Landgerichts hervor. Demnach ist die Stadt für den Schaden nicht verantwortlich."
    found = quotes.extract(doc(text))
    assert [(q.cue, text[q.speaker_start:q.speaker_end]) for q in found] == [("Demnach", "dem Urteil")]


def test_a_speaker_without_a_name_goes_on_in_the_konjunktiv() -> None:
    text = "Es weist den Vorwurf als abwegig zurück, man hätte immer weiter verhandelt. Dieser Vorwurf gehe zu weit."
    found = quotes.extract(doc(text))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["Es", "Es"]


def test_a_document_after_the_verb_and_angeregt() -> None:
    text = ("Aus diesem Grund forderte die Resolution, genaue Informationen über das Thema zu sammeln. Der Kandidat "
            "Jan Berg hat in einem Interview angeregt, die Stadt solle die Gebühren senken.")
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.cue, text[q.speaker_start:q.speaker_end]) for q in found] == [
        ("forderte", "Resolution"), ("angeregt", "Der Kandidat Jan Berg")]


def test_heisst_es_in_a_document_with_an_adverb_before_its_adjective() -> None:
    text = "„Ich bitte um Rücknahme meiner Ernennung“, heißt es in einer gestern verbreiteten Erklärung des Bischofs."
    found = quotes.extract(doc(text))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["einer gestern verbreiteten Erklärung des Bischofs"]


def test_zeigte_sich_after_direct_speech() -> None:
    text = "„Wir brauchen nur noch ein Unentschieden“, zeigte sich Trainer Jan Berg nach dem Spiel zufrieden."
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.kind, q.cue, q.speaker) for q in found] == [("direct", "zeigte sich", "Jan Berg")]


def test_a_quote_after_so_x_in_the_same_sentence() -> None:
    text = "„In absehbarer Zeit“, so Finanzvorstand Jan Berg, wird die Firma „ein neues Modell entwickeln“."
    found = quotes.extract(doc(text, people=("Jan Berg",)))
    assert [(q.cue, q.speaker) for q in found] == [("so", "Jan Berg"), ("so", "Jan Berg")]


def test_a_new_subject_after_a_comma_before_the_verb() -> None:
    text = ("Die Aktivisten der Opposition machen Anhänger der Regierung verantwortlich, die staatliche "
            "Nachrichtenagentur Sana dagegen spricht von einem Attentäter, der sich in die Luft gesprengt habe.")
    d = doc(text)
    start = text.index("Sana")
    d.entities = [Entity(start, start + 4, "Sana", "ORG", "Sana")]
    found = quotes.extract(d)
    assert found and text[found[-1].speaker_start:found[-1].speaker_end].startswith("die staatliche Nachrichtenagentur")


def test_laut_inside_a_noun_phrase_is_no_attribution() -> None:
    text = ("Zum Messer, mit seinen laut Gutachtern geringen Spuren, wies das Gericht darauf hin, dass die Proben "
            "schon beim Transport hätten leiden können.")
    found = quotes.extract(doc(text))
    assert [(q.cue, text[q.speaker_start:q.speaker_end]) for q in found] == [("wies", "das Gericht")]


def test_an_apposition_without_its_closing_comma() -> None:
    text = ("Der erst kürzlich ernannte Weihbischof der Diözese Lindau, Karl Maria Aumann hat Bischof Otto Kern "
            "gebeten, seine Ernennung zurückzunehmen.")
    d = doc(text, people=("Karl Maria Aumann", "Otto Kern"))
    start = text.index("Lindau")
    d.entities = sorted([*d.entities, Entity(start, start + 6, "Lindau", "LOC", "Lindau")], key=lambda e: e.start)
    assert [(q.cue, q.speaker) for q in quotes.extract(d)] == [("gebeten", "Karl Maria Aumann")]


def test_als_begruendung_heisst_es_after_a_sentence_with_a_subject() -> None:
    text = ("Die Stadtwerke sprechen sich gegen strengere Regeln aus. Als Begründung heißt es, die bestehenden Gesetze "
            "seien völlig ausreichend.")
    d = doc(text)
    d.entities = [Entity(4, 14, "Stadtwerke", "ORG", "Stadtwerke")]
    assert [(q.cue, q.speaker) for q in quotes.extract(d)][-1] == ("heißt", "Stadtwerke")


def test_das_as_an_article_before_the_reporting_verb() -> None:
    text = ("Das staatliche Fernsehen berichtete von „schweren Verlusten des Feindes“ bei der Eroberung der Stadt. "
            "Auf Weisung des Präsidenten sei der Stadtrat aufgelöst worden.")
    found = quotes.extract(doc(text))
    assert [text[q.speaker_start:q.speaker_end] for q in found] == ["Das staatliche Fernsehen"] * 2


def test_konjunktiv_then_hatte_x_gesagt() -> None:
    text = "Sie wisse, dass ihre Arbeit nicht frei von Fehlern sei, hatte Lena Hoff damals gesagt und auf ihren Betreuer verwiesen."
    found = quotes.extract(doc(text, people=("Lena Hoff",)))
    assert [(q.cue, q.speaker, q.text[:9]) for q in found] == [("gesagt", "Lena Hoff", "Sie wisse")]


def test_a_passive_agent_opening_the_sentence_before_speaks_on() -> None:
    text = "Das Feuer ist gelöscht. Von den Behörden wurde die Lage als ernst eingeschätzt. Es gebe noch Glutnester."
    found = quotes.extract(doc(text))
    assert [(q.text[:7], text[q.speaker_start:q.speaker_end]) for q in found] == [("Es gebe", "den Behörden")]


def test_findings_without_a_holder_are_the_reporting_verbs() -> None:
    text = ("Ein Sprecher der Polizei, Jens Ortlepp, sagte am Abend, nach neuesten Erkenntnissen habe ein Unbekannter "
            "die Anzeige aufgegeben.")
    found = quotes.extract(doc(text, people=("Jens Ortlepp",)))
    assert [(q.cue, text[q.speaker_start:q.speaker_end], q.text[:4]) for q in found] == [("sagte", "Ein Sprecher der Polizei", "nach")]


def test_a_waehrend_clause_before_the_verb_leaves_the_subject_after_it() -> None:
    text = ("Während Mara Lind erklärte, sie sei sehr aufgeregt, räumte Ines Hohl ein, lange davon geträumt zu haben, "
            "auf dieser Bühne zu stehen.")
    found = quotes.extract(doc(text, people=("Mara Lind", "Ines Hohl")))
    assert [(q.cue, q.speaker) for q in found][-1] == ("räumte", "Ines Hohl")


def test_a_second_reporting_clause_ends_the_first_message() -> None:
    text = ("Bürgermeister Olaf Renner sagte vor der Presse, der Damm sei sicher, doch Deichgräfin Uta Brenz erklärte, "
            "das nicht bestätigen zu können.")
    found = quotes.extract(doc(text, people=("Olaf Renner", "Uta Brenz")))
    assert [(q.speaker, q.text) for q in found] == [("Olaf Renner", "der Damm sei sicher"),
                                                    ("Uta Brenz", "das nicht bestätigen zu können")]


def test_a_phrase_the_tagger_missed_opens_the_clause_after_the_last_comma() -> None:
    text = "Der Mann wurde festgenommen, andere Quellen berichten, dass er an einen sicheren Ort gebracht wurde."
    found = quotes.extract(doc(text))
    assert [(q.cue, text[q.speaker_start:q.speaker_end]) for q in found] == [("berichten", "andere Quellen")]


def test_a_noun_of_saying_before_a_konjunktiv_clause() -> None:
    text = "Verteidiger Bruno Kessler vertritt die Ansicht, die Zeugin habe sich geirrt."
    found = quotes.extract(doc(text, people=("Bruno Kessler",)))
    assert [(q.cue, q.speaker, q.text) for q in found] == [("Ansicht", "Bruno Kessler", "die Zeugin habe sich geirrt")]
    # (not a noun before a relative clause: "… ein Hinweis, auf den niemand reagiert habe")
    text = "Die Morde seien ein Hinweis, auf den die Behörden nicht reagiert hätten."
    assert all(q.cue != "Hinweis" for q in quotes.extract(doc(text)))


def test_abstreiten_reports_and_its_subject_speaks_on() -> None:
    text = "Der Iran streitet dies ab. Sein Programm diene ausschließlich friedlichen Zwecken."
    d = doc(text)
    d.entities = [Entity(4, 8, "Iran", "LOC", "Iran")]
    assert [(q.text[:12], q.speaker) for q in quotes.extract(d)][-1] == ("Sein Program", "Iran")


def test_a_speaker_noun_that_ends_an_inverted_sentence_speaks_on() -> None:
    text = ("Händler sagten, die Nachfrage sei hoch. Auf den schwachen Dollar verweisen Analysten. Das Preisniveau sei "
            "jedoch zu hoch.")
    found = quotes.extract(doc(text))
    assert [(q.text[:14], text[q.speaker_start:q.speaker_end]) for q in found][-1] == ("Das Preisnivea", "Analysten")


def test_a_colon_opens_the_message_and_the_spokesperson_speaks_for_the_body() -> None:
    text = ("Der Wetterdienst Nordmark gibt vorsichtig Entwarnung: Bis zum Wochenende werde der Regen nachlassen, "
            "teilte ein Sprecher mit.")
    d = doc(text)
    d.entities = [Entity(4, 25, "Wetterdienst Nordmark", "ORG", "Wetterdienst Nordmark")]
    assert [(q.text, text[q.speaker_start:q.speaker_end], q.speaker) for q in quotes.extract(d)] == [
        ("Bis zum Wochenende werde der Regen nachlassen", "ein Sprecher", "Wetterdienst Nordmark")]


def test_participles_of_separable_strong_verbs_report() -> None:
    text = "Die Frauen hatten angegeben, dass der Vater sie geschlagen habe. Kritiker hatten ihm vorgeworfen, er wolle sich bereichern."
    assert [(q.cue, q.speaker) for q in quotes.extract(doc(text))] == [("angegeben", "Die Frauen"),
                                                                       ("vorgeworfen", "Kritiker")]


def test_hatte_es_geheissen_names_the_document_or_nobody() -> None:
    text = ("In den ersten Berichten hatte es geheißen, dass sechs Menschen verletzt wurden. Am Vormittag hatte es "
            "zunächst geheißen, die Opposition habe die Demonstration abgesagt.")
    assert [(q.cue, q.speaker) for q in quotes.extract(doc(text))] == [("geheißen", "den ersten Berichten"),
                                                                       ("geheißen", None)]


def test_a_leader_named_with_von_is_no_passive_agent() -> None:
    text = "Der Regierung unter der Führung von Ferdi Aksoy wird vorgeworfen, nach Protesten das Internet zu sperren."
    assert [(q.cue, q.speaker) for q in quotes.extract(doc(text, people=("Ferdi Aksoy",)))] == [("vorgeworfen", None)]


def test_an_apposition_after_the_subject_keeps_the_auxiliary_finite() -> None:
    text = ("Inzwischen hat sich Jens Bode, der frühere Landrat und Bruder des Ministers Otto Bode, für Kern "
            "ausgesprochen. Es sei notwendig, die Partei zu einen.")
    found = quotes.extract(doc(text, people=("Jens Bode", "Otto Bode", "Kern")))
    assert found[-1].speaker == "Jens Bode"


def test_weak_verbs_in_hn_take_no_extra_e() -> None:
    text = "Die Ärztin mahnte, man müsse vorsichtig bleiben. Der Arzt bezeichnete die Lage als ernst."
    assert [(q.cue, q.speaker) for q in quotes.extract(doc(text))][0] == ("mahnte", "Die Ärztin")
    assert {"mahnte", "gemahnt"} <= quotes._weak_forms("mahn")
    assert "bezeichnete" in quotes._weak_forms("bezeichn") and "rechnete" in quotes._weak_forms("rechn")


def test_more_reporting_verbs_and_no_impersonal_drohen() -> None:
    text = ("Neben den Zahlen prangert der Bericht Gewalt gegen Kinder an, die von allen Seiten ausgeübt würde. "
            "Die Ministerin widersprach, die Zahlen seien veraltet. Dem Verein droht der Zwangsabstieg.")
    assert [q.cue for q in quotes.extract(doc(text))] == ["prangert", "widersprach"]
