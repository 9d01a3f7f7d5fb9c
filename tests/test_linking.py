"""Entity linking across documents: gazetteer, knowledge base, registry ids, roles and nominal mentions."""

from __future__ import annotations

import json

import pytest

from pressespiegel.analyse import entities
from pressespiegel.analyse.linking import Gazetteer, KnowledgeBase, Registry
from pressespiegel.config import load_settings
from pressespiegel.model import Document, Entity


def doc(text: str, *mentions: tuple[str, str, str]) -> Document:
    """A document whose entities are given as (surface text, label, canonical); offsets are found in the text."""
    d = Document(source="t", content_hash=str(hash(text)), kind="text", text=text)
    pos = 0
    for surface, label, canonical in mentions:
        start = text.index(surface, pos)
        d.entities.append(Entity(start, start + len(surface), surface, label, canonical))
        pos = start + 1
    return d


def test_gazetteer_knows_exonyms_transliterations_and_inflections():
    g = Gazetteer.shipped()
    for name in ("Kiew", "Kyjiw", "Kyiv", "Kiev", "Kiews"):
        place = g.lookup(name)
        assert place is not None and place.geonames_id == 703448 and place.name == "Kiew", name
    for name in ("USA", "Vereinigte Staaten", "Vereinigten Staaten"):
        assert g.lookup(name).geonames_id == 6252001
    assert g.lookup("Russische Föderation").name == "Russland"
    assert g.lookup("Frankfurt").geonames_id == 2925533  # the one on the Main, not on the Oder
    assert g.lookup("Wien").name == "Wien" and g.lookup("Vienna").geonames_id == 2761369
    assert g.lookup("Europa").kind == "continent"
    assert g.lookup("Lindenau-Oberkogl") is None


def test_registry_merges_spellings_across_documents_and_keeps_ids_stable():
    r = Registry()
    d1 = doc("Wolodymyr Selenskyj sprach in Kyjiw mit der Nato.", ("Wolodymyr Selenskyj", "PER", "Wolodymyr Selenskyj"),
             ("Kyjiw", "LOC", "Kyjiw"), ("Nato", "ORG", "Nato"))
    d2 = doc("Zelensky met NATO officials in Kyiv.", ("Zelensky", "PER", "Zelensky"), ("NATO", "ORG", "NATO"),
             ("Kyiv", "LOC", "Kyiv"))
    d3 = doc("Selenskij reiste aus Kiew ab.", ("Selenskij", "PER", "Selenskij"), ("Kiew", "LOC", "Kiew"))
    for d in (d1, d2, d3):
        r.link(d)
    people = {e.id for d in (d1, d2, d3) for e in d.entities if e.label == "PER"}
    assert len(people) == 1
    assert {e.canonical for d in (d1, d2, d3) for e in d.entities if e.label == "PER"} == {"Wolodymyr Selenskyj"}
    kyiv = {(e.id, e.canonical, e.geonames_id) for d in (d1, d2, d3) for e in d.entities if e.label == "LOC"}
    assert kyiv == {("geonames:703448", "Kiew", 703448)}
    assert {e.id for d in (d1, d2) for e in d.entities if e.label == "ORG"} == {"org:nato"}
    # the same entity gets the same id in a fresh registry (ids come from what was linked, not from order)
    again = doc("Wolodymyr Selenskyj sprach.", ("Wolodymyr Selenskyj", "PER", "Wolodymyr Selenskyj"))
    Registry().link(again)
    assert again.entities[0].id == d1.entities[0].id


def test_registry_never_merges_a_person_with_a_place_or_two_people_of_one_surname():
    r = Registry()
    person = doc("Landrat Heiner Kassel sprach.", ("Heiner Kassel", "PER", "Heiner Kassel"))
    place = doc("In Kassel regnete es.", ("Kassel", "LOC", "Kassel"))
    r.link(person)
    r.link(place)
    assert person.entities[0].id != place.entities[0].id
    assert place.entities[0].geonames_id is not None
    # two people named Scholz: a lone "Scholz" goes to the one whose documents share this one's entities
    a = doc("Olaf Scholz und die SPD in Berlin.", ("Olaf Scholz", "PER", "Olaf Scholz"), ("SPD", "ORG", "SPD"),
            ("Berlin", "LOC", "Berlin"))
    b = doc("Bernd Scholz trainiert den FC Auenbach.", ("Bernd Scholz", "PER", "Bernd Scholz"),
            ("FC Auenbach", "ORG", "FC Auenbach"))
    r.link(a)
    r.link(b)
    assert a.entities[0].id != b.entities[0].id
    c = doc("Scholz verteidigte die SPD.", ("Scholz", "PER", "Scholz"), ("SPD", "ORG", "SPD"))
    r.link(c)
    assert c.entities[0].id == a.entities[0].id and c.entities[0].canonical == "Olaf Scholz"
    d = doc("Scholz schwieg.", ("Scholz", "PER", "Scholz"))  # no context: neither of the two
    r.link(d)
    assert d.entities[0].id not in (a.entities[0].id, b.entities[0].id)


def test_a_surname_seen_before_its_full_name_is_merged_into_the_person():
    r = Registry()
    early = doc("Sönksen gewann die Wahl.", ("Sönksen", "PER", "Sönksen"))
    r.link(early)
    lone_id = early.entities[0].id
    late = doc("Birte Sönksen gewann die Wahl in Kleinhafen.", ("Birte Sönksen", "PER", "Birte Sönksen"))
    r.link(late)
    records, merged = r.take_dirty()
    assert merged == {lone_id: late.entities[0].id}
    assert [x.canonical for x in records] == ["Birte Sönksen"] and "Sönksen" in records[0].aliases
    again = doc("Sönksen dankte.", ("Sönksen", "PER", "Sönksen"))
    r.link(again)
    assert again.entities[0].id == late.entities[0].id


def test_knowledge_base_links_by_alias_and_description(tmp_path):
    path = tmp_path / "kb.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "Q1", "label": "Mark Rutte", "aliases": ["Rutte"], "type": "person",
         "description": "niederländischer Politiker, NATO-Generalsekretär"},
        {"id": "Q2", "label": "Hanna Berg", "aliases": ["Berg"], "type": "PER", "description": "Schwimmerin aus Auenbach"},
        {"id": "Q3", "label": "Jonas Berg", "aliases": ["Berg"], "type": "PER", "description": "Bürgermeister von Lindenau"},
        {"id": "Q4", "label": "Kyjiw", "aliases": ["Kiew"], "type": "place"},
    ]) + "\n", encoding="utf-8")
    kb = KnowledgeBase.load(path)
    r = Registry(kb=kb)
    d = doc("Rutte traf in Kiew den Bürgermeister Berg aus Lindenau.", ("Rutte", "PER", "Rutte"),
            ("Kiew", "LOC", "Kiew"), ("Berg", "PER", "Berg"), ("Lindenau", "LOC", "Lindenau"))
    r.link(d)
    got = {e.text: (e.id, e.canonical, e.kb_id) for e in d.entities}
    assert got["Rutte"] == ("kb:Q1", "Mark Rutte", "Q1")
    assert got["Berg"] == ("kb:Q3", "Jonas Berg", "Q3")  # the description names Lindenau and Bürgermeister
    assert got["Kiew"][0] == "kb:Q4" and d.entities[1].geonames_id == 703448
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "Q1", "label": "x"}\n{"label": "no id"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        KnowledgeBase.load(bad)


def test_settings_file_names_the_knowledge_base(tmp_path):
    (tmp_path / "s.toml").write_text('[linking]\nkb = "kb.jsonl"\n', encoding="utf-8")
    assert load_settings(tmp_path / "s.toml").kb == str(tmp_path / "kb.jsonl")
    (tmp_path / "t.toml").write_text('[linking]\nkbase = "kb.jsonl"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="kbase"):
        load_settings(tmp_path / "t.toml")


def test_roles_and_nominal_mentions():
    text = ("Der niederländische NATO-Generalsekretär Mark Rutte warnte in Brüssel. Dmitri Peskow, der Sprecher des Kremls, widersprach. "
            "„Wir sind bereit“, sagte der Niederländer. Der Kreml-Sprecher schwieg "
            "danach. Die 57-Jährige Ministerin Anna Berg kam nicht.")
    d = doc(text, ("Mark Rutte", "PER", "Mark Rutte"), ("Brüssel", "LOC", "Brüssel"),
            ("Dmitri Peskow", "PER", "Dmitri Peskow"), ("Anna Berg", "PER", "Anna Berg"))
    entities.roles(d.text, d.entities)
    assert [e.role for e in d.entities] == ["niederländische NATO-Generalsekretär", None, "Sprecher des Kremls", "Ministerin"]
    found = {n.text: n.canonical for n in entities.nominals(d.text, d.entities)}
    assert found["Kreml-Sprecher"] == "Dmitri Peskow"  # the role's noun
    assert found["Niederländer"] == "Mark Rutte"  # the nationality written near the person
    assert "57-Jährige Ministerin" not in found  # followed by the name: a role, not a nominal mention


def test_a_head_named_after_the_role_noun_is_meant_not_the_last_person_named():
    """"sagte die Chefin der Agentur" before the text introduces "Agenturpräsidentin Lea Wendt": no one named before
    holds such an office, so the head named shortly after is meant (not the mayor named last); an age noun
    ("der 61-Jährige") still names the last person."""
    text = ("Bürgermeister Jonas Feld hatte die Pläne begrüßt. Die Förderung werde verdoppelt, sagte die Chefin der "
            "Agentur am Montag. Agenturpräsidentin Lea Wendt legte die Zahlen vor. Tim Rau widersprach, sagte der "
            "61-Jährige.")
    d = doc(text, ("Jonas Feld", "PER", "Jonas Feld"), ("Lea Wendt", "PER", "Lea Wendt"), ("Tim Rau", "PER", "Tim Rau"))
    entities.roles(d.text, d.entities)
    found = {n.text: n.canonical for n in entities.nominals(d.text, d.entities)}
    assert found["Chefin"] == "Lea Wendt"
    assert found["61-Jährige"] == "Tim Rau"


def test_pipeline_links_entities_into_the_store(tmp_path):
    from pressespiegel import pipeline
    from pressespiegel.config import Settings
    from pressespiegel.store import open_store

    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Gipfel in Kyjiw\n\nDer ukrainische Präsident Wolodymyr Selenskyj empfing am Montag in Kyjiw "
                 "Gäste aus den Vereinigten Staaten. Selenskyj sprach von einem guten Tag.\n", encoding="utf-8")
    b.write_text("Besuch in Kiew\n\nIn Kiew traf Selenskyj am Dienstag Vertreter der USA. Die Gespräche dauerten "
                 "drei Stunden.\n", encoding="utf-8")
    with open_store(str(tmp_path / "p.db")) as store:
        pipeline.run([str(a), str(b)], store, Settings())
        docs = [store.document(i) for i in (1, 2)]
        ids = {e.text: e.id for d in docs for e in d.entities}
        assert ids.get("Kyjiw") == ids.get("Kiew") == "geonames:703448"
        assert ids.get("Vereinigten Staaten") == ids.get("USA") == "geonames:6252001"
        selenskyj = {e.id for d in docs for e in d.entities if e.text in ("Selenskyj", "Wolodymyr Selenskyj")}
        assert len(selenskyj) == 1
        records = {r.id: r for r in store.entity_records()}
        assert records["geonames:703448"].documents == 2 and {"Kiew", "Kyjiw"} <= records["geonames:703448"].aliases
        assert docs[0].entities[0].role is None or isinstance(docs[0].entities[0].role, str)
        n = len(records)
        pipeline.run([str(a), str(b)], store, Settings())  # a re-run adds nothing
        assert len(store.entity_records()) == n
        # a surname stored before its full name arrives is repointed to the person
        c = tmp_path / "c.txt"
        e = tmp_path / "e.txt"
        c.write_text("Wahl in Kleinhafen\n\n„Ich bin überwältigt“, sagte Sönksen am Sonntagabend in Kleinhafen. "
                     "Herausforderer Drews gratulierte Sönksen.\n", encoding="utf-8")
        e.write_text("Neue Bürgermeisterin\n\nDie parteilose Kandidatin Birte Sönksen hat die Stichwahl in Kleinhafen "
                     "gewonnen, teilte die Stadt mit.\n", encoding="utf-8")
        pipeline.run([str(c)], store, Settings())
        pipeline.run([str(e)], store, Settings())
        rows = [x for x in store.rows("entities") if x["text"] in ("Sönksen", "Birte Sönksen")]
        assert len(rows) >= 2 and len({x["entity_id"] for x in rows}) == 1
        assert {x["canonical"] for x in rows} == {"Birte Sönksen"}


def test_one_reading_per_document_acronyms_and_nominative_names():
    M = entities._Mention
    text = ("Matthias Oberländer leitet das Klinikum. Oberländer rechnet mit Tagen. Der Verband der Zugbegleiter und "
            "Lokführer (VZL) streikt; die VZL fordert mehr Geld. Eine Studie des Instituts für Meeresökologie (IfM) "
            "zeigt es. Oberländer Straße und in Kassel: Heiner Kassel lebt in Kassel. Sie zahlten 68 Euro.")
    found = [M(0, 19, "PER", "Matthias Oberländer")]
    start = text.index("Instituts")
    found.append(M(start, start + len("Instituts für Meeresökologie"), "ORG", "Instituts für Meeresökologie"))
    start = text.index("Heiner Kassel")
    found.append(M(start, start + 13, "PER", "Heiner Kassel"))
    mentions, aliases = entities.acronyms(text, entities.propagate(text, found))
    names = entities.canonical_names(mentions, aliases, text)
    got = [(m.text, m.label, n) for m, n in zip(mentions, names)]
    assert ("Oberländer", "PER", "Matthias Oberländer") in got  # the surname alone, the same person
    assert sum(1 for m in mentions if m.text == "Oberländer") == 1  # not "Oberländer Straße"
    assert ("Verband der Zugbegleiter und Lokführer", "ORG", "Verband der Zugbegleiter und Lokführer") in got
    assert got.count(("VZL", "ORG", "Verband der Zugbegleiter und Lokführer")) == 2
    assert ("IfM", "ORG", "Institut für Meeresökologie") in got  # genitive → nominative
    assert not any(m.text == "Kassel" for m in mentions)  # "in Kassel" is the town, not the person
    assert entities._nominative("Kreises") == "Kreis" and entities._nominative("Bundestages") == "Bundestag"


@pytest.mark.parametrize("text", [
    "DIE REGIERUNG IN BERLIN HAT AM MONTAG NEUE REGELN BESCHLOSSEN. " * 40,
    "die regierung in berlin hat am montag neue regeln beschlossen. " * 40,
    "| 2019 | 1.234 | 5.678 | 12 % | 0,5 |\n" * 200,
    "😀 🎉 🚀 Президент России 👍 встретился в Москве 🔥 Ελλάδα 中国 " * 50,
    "Anna " + "X" * 20000 + " sagte " + "Überlänge" * 3000,
])
def test_bad_text_gives_no_flood_of_linked_entities(text):
    """Whole-document annotation and linking (one reading per name, acronyms, nominal mentions) on hostile text:
    no crash, a handful of distinct entities, and entity mentions for at most one word in eight."""
    d = Document(source="bad", content_hash="b", kind="text", text=text)
    entities.annotate(d)
    Registry().link(d)
    assert len({e.id for e in d.entities}) <= 5, sorted({e.text for e in d.entities})
    assert len(d.entities) <= max(5, len(text.split()) // 8), [e.text for e in d.entities][:20]
    assert all(d.text[e.start:e.end] == e.text for e in d.entities)


def test_a_document_that_fails_in_a_batch_is_rejected_alone(tmp_path, monkeypatch):
    """Documents are analysed in batches; when one of them makes a stage fail, it becomes a rejection and the
    others of its batch are analysed and stored as usual."""
    from pressespiegel import pipeline
    from pressespiegel.analyse import figures
    from pressespiegel.config import Settings
    from pressespiegel.model import Rejection
    from pressespiegel.store import open_store

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(5):
        (inputs / f"{n}.txt").write_text(f"Meldung {n}\n\nIn Lindenau stimmten {n + 10} Räte für den Plan, "
                                           f"sagte Bürgermeisterin Anna Berg am Montag. Nummer {n}.\n",
                                           encoding="utf-8")
    real = figures.annotate

    def flaky(doc):
        if "Nummer 3" in doc.text:
            raise RuntimeError("boom")
        return real(doc)

    monkeypatch.setattr(figures, "annotate", flaky)
    results = list(pipeline.analyze([str(inputs)], Settings()))
    assert [isinstance(r, Rejection) for r in results] == [False, False, False, True, False]
    assert "boom" in results[3].reason and all(r.figures for r in results if not isinstance(r, Rejection))
    with open_store(str(tmp_path / "s.db")) as store:
        summary = pipeline.run([str(inputs)], store, Settings())
        assert (summary.stored, summary.rejected) == (4, 1)


def test_registry_reloads_records_of_a_shared_surname_as_they_were():
    """Two people of one surname and a mention of the surname alone (which of them is unknown): a registry loaded
    from those records (a second run on the store), in any order, keeps all three and does not crash."""
    import itertools

    r = Registry()
    for text, name in (("Birte Sönksen sprach.", "Birte Sönksen"), ("Jan Sönksen widersprach.", "Jan Sönksen"),
                       ("Sönksen schwieg.", "Sönksen")):
        r.link(doc(text, (name, "PER", name)))
    records, _ = r.take_dirty()
    assert sorted(x.canonical for x in records) == ["Birte Sönksen", "Jan Sönksen", "Sönksen"]
    for order in itertools.permutations(records):
        again = Registry(list(order))
        assert sorted(again.records) == sorted(x.id for x in records) and not again.dirty
