"""Entity variants: tokens for the tagger, canonical names within a document, name keys across documents."""

from __future__ import annotations

from pressespiegel.analyse.entities import _Mention, canonical_names, name_key, person_surnames
from pressespiegel.analyse.tokens import tokenize


def test_tokens_follow_germeval() -> None:
    text = "NATO-Generalsekretär Mark Rutte sagte am 3. Dezember in Brüssel: „Dr. Ina Roth kam um 18:57 Uhr.“"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["NATO-Generalsekretär", "Mark", "Rutte", "sagte", "am", "3.", "Dezember",
                                        "in", "Brüssel", ":", "„", "Dr.", "Ina", "Roth", "kam", "um", "18:57", "Uhr",
                                        ".", "“"]
    assert all(text[t.start:t.end] == t.text for t in tokens)
    assert [t.text for t in tokenize("Im Jahr 2024. Dann 1.000 Menschen.")][2:4] == ["2024", "."]


def _mentions(*items: tuple[str, str]) -> list[_Mention]:
    return [_Mention(i, i + len(text), label, text) for i, (text, label) in enumerate(items)]


def test_canonical_names_within_a_document() -> None:
    mentions = _mentions(("Mark Rutte", "PER"), ("Rutte", "PER"), ("Russland", "LOC"), ("Russlands", "LOC"),
                         ("NATO", "ORG"), ("Nato", "ORG"), ("NATO", "ORG"), ("Paris", "LOC"))
    assert canonical_names(mentions) == ["Mark Rutte", "Mark Rutte", "Russland", "Russland", "NATO", "NATO", "NATO",
                                         "Paris"]


def test_a_surname_of_two_people_stays_as_written() -> None:
    mentions = _mentions(("Anna Berger", "PER"), ("Paul Berger", "PER"), ("Berger", "PER"), ("Berger", "LOC"))
    assert canonical_names(mentions) == ["Anna Berger", "Paul Berger", "Berger", "Berger"]


def test_name_keys_meet_across_spellings() -> None:
    assert len({name_key(n) for n in ("Selenskyj", "Selenskij", "Zelensky", "Zelenskyy", "Zelenski", "Зеленський",
                                      "Зеленский")}) == 1
    assert name_key("Володимир Зеленський") == name_key("Wolodymyr Selenskyj")
    assert name_key("Київ") == name_key("Kyjiw") and name_key("Дмитрий Песков") == name_key("Dmitri Peskow")
    assert len({name_key(n) for n in ("Kiew", "Kyjiw", "Kyiv", "Kiev")}) == 1
    assert name_key("Wolodymyr Selenskyj") == name_key("Volodymyr Zelensky")
    assert name_key("NATO") == name_key("Nato") and name_key("Müller") == name_key("Mueller")
    assert len({name_key(n) for n in ("Rutte", "Merz", "Macron", "Kiew", "Köln")}) == 5  # distinct names stay apart


def test_main_entities_of_a_story() -> None:
    from pressespiegel.review.report import main_entities

    articles = [[("Wolodymyr Selenskyj", "PER"), ("Kiew", "LOC"), ("Euro", "OTH")],
                [("Volodymyr Zelensky", "PER"), ("Kyjiw", "LOC"), ("Birte Sönksen", "PER")],
                [("Selenskyj", "PER"), ("Sönksen", "PER"), ("Kiew", "LOC")]]
    by_name = {name: (label, n) for name, label, n in main_entities(articles)}
    # spellings and transliterations count once; a surname alone counts for the one full name ending in it
    assert by_name == {"Kiew": ("LOC", 3), "Wolodymyr Selenskyj": ("PER", 3), "Birte Sönksen": ("PER", 2)}


def test_a_lone_surname_is_the_persons_unless_used_as_a_place() -> None:
    text = "Landrat Heiner Kassel sprach. Kassel kündigte Hilfe an. Er wohnt in Bonn."
    mentions = [_Mention(8, 21, "PER", "Heiner Kassel"), _Mention(30, 36, "LOC", "Kassel"), _Mention(67, 71, "LOC", "Bonn")]
    assert [m.label for m in person_surnames(text, mentions)] == ["PER", "PER", "LOC"]
    city = "Landrat Heiner Kassel fuhr nach Kassel."
    mentions = [_Mention(8, 21, "PER", "Heiner Kassel"), _Mention(32, 38, "LOC", "Kassel")]
    assert [m.label for m in person_surnames(city, mentions)] == ["PER", "LOC"]


def test_places_take_their_unit_and_prefix_and_institutions_their_place() -> None:
    from pressespiegel.analyse.entities import places

    text = "Im Landkreis Westbörde und in St. Gunther ermittelt das Amtsgericht Weilstein, die Feuerwehr Rehbach hilft."
    found = places(text, [_Mention(text.index(w), text.index(w) + len(w), label, w) for w, label in (
        ("Westbörde", "LOC"), ("Gunther", "PER"), ("Weilstein", "LOC"), ("Rehbach", "LOC"))])
    assert [(m.text, m.label) for m in found] == [("Landkreis Westbörde", "LOC"), ("St. Gunther", "LOC"),
                                                 ("Amtsgericht Weilstein", "ORG"), ("Feuerwehr Rehbach", "ORG")]
    assert all(text[m.start:m.end] == m.text for m in found)
    text = "Die Bäckereikette Backhaus Reinert schließt, doch Riedtal lehnt ab, bei Groß Hallerbek nicht."
    found = places(text, [_Mention(text.index(w), text.index(w) + len(w), "PER", w)
                          for w in ("Backhaus Reinert", "Riedtal", "Groß Hallerbek")])
    assert [(m.text, m.label) for m in found] == [("Backhaus Reinert", "ORG"), ("Riedtal", "LOC"),
                                                 ("Groß Hallerbek", "LOC")]
    text = "Auenbach RK | Das Wasser geht zurück."
    assert [m.text for m in places(text, [_Mention(0, 11, "LOC", "Auenbach RK")])] == ["Auenbach"]


def test_adjectives_of_feminine_names_in_the_nominative_and_acronyms_spelled() -> None:
    text = "sagte er der Deutschen Presse-Agentur. In der Europäischen Union und bei den Vereinten Nationen."
    mentions = [_Mention(text.index(w), text.index(w) + len(w), "ORG", w)
                for w in ("Deutschen Presse-Agentur", "Europäischen Union", "Vereinten Nationen")]
    assert canonical_names(mentions, None, text) == ["Deutsche Presse-Agentur", "Europäische Union",
                                                     "Vereinten Nationen"]
    assert name_key("THW") != name_key("TW") and name_key("NATO") == name_key("Nato")


def test_adjectives_after_a_definite_article_take_the_strong_ending() -> None:
    """"der Deutsche Wetterdienst" is the "Deutscher Wetterdienst"; a feminine name keeps its -e."""
    text = ("Der Deutsche Wetterdienst warnt. Das Deutsche Rote Kreuz hilft, die Deutsche Bahn fährt nicht, "
            "und der Internationale Währungsfonds schweigt.")
    names = ("Deutsche Wetterdienst", "Deutsche Rote Kreuz", "Deutsche Bahn", "Internationale Währungsfonds")
    mentions = [_Mention(text.index(w), text.index(w) + len(w), "ORG", w) for w in names]
    assert canonical_names(mentions, None, text) == ["Deutscher Wetterdienst", "Deutsches Rotes Kreuz",
                                                     "Deutsche Bahn", "Internationaler Währungsfonds"]


def test_other_latin_languages_keep_only_what_the_tagger_is_sure_of():
    """The German tagger on English text: places the gazetteer knows, people with two names and acronyms only —
    not the capitalised words English writes everywhere."""
    from pressespiegel import analyse
    from pressespiegel.model import Document

    text = ("Flood defences hold in Northbridge\n\nMayor Declan Brightwater met residents in London on Tuesday. The "
            "Council said the Flood Barrier would reopen on Friday. Brightwater thanked the NHS and the Environment "
            "Agency for their help. Residents of Kensington were told to stay at home.")
    doc = analyse.annotate_all([Document(source="t", content_hash="h", kind="text", text=text)])[0]
    assert doc.language == "en"
    found = {(e.text, e.label) for e in doc.entities}
    assert ("Kensington", "LOC") in found
    assert not {t for t, _ in found} & {"Council", "Mayor", "Residents", "Tuesday", "Friday", "Flood Barrier", "The"}
    for e in doc.entities:
        assert e.label == "LOC" or len(e.text.split()) >= 2 or e.text.isupper() or e.label == "PER"
