"""The storage interface on both backends: every test runs on SQLite and on PostgreSQL (the latter when
PRESSESPIEGEL_TEST_PG names a server; see tests/conftest.py and .ci/run)."""

from collections import Counter

import pytest
from sqlalchemy import inspect, text

from pressespiegel.analyse.linking import Record
from pressespiegel.model import Comment, Document, Entity, Figure, LineLabel, Nominal, Quote, Rejection, Timex
from pressespiegel.store import DocumentNotStored, StoryRow, open_store


def _doc(n: int, text: str = "Text") -> Document:
    return Document(source=f"s{n}.txt", content_hash=f"{n:064d}", kind="text", text=f"Titel {n}\n{text} {n}",
                    title=f"Titel {n}", outlet="rheinkurier.de", published=f"2026-11-0{n % 9 + 1}",
                    language="de", comments=[Comment(author="A", text="Erster"), Comment(reply_to=0, text="Zweiter")],
                    quotes=[Quote(0, 5, "Titel", "direct", "Heiner Kassel")])


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from pressespiegel.store.sql import _MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


@pytest.fixture
def store(db_target):
    with open_store(db_target) as s:
        yield s


def test_schema_is_created_and_versioned(store):
    assert store.schema_version() == _head()
    tables = set(inspect(store.engine).get_table_names())
    assert {"documents", "comments", "entities", "quotes", "timexes", "stories", "quarantine", "alembic_version",
            "entity_registry", "nominals", "figures"} <= tables
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert "documents_fts" in tables
        else:  # the search column and its GIN index
            assert "search_vector" in {c["name"] for c in inspect(conn).get_columns("documents")}
            index = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_documents_search'")).scalar()
            assert "gin" in index.lower() and "search_vector" in index


def test_a_store_of_the_first_schema_is_upgraded_with_its_data(db_target):
    """A store written before entity linking (revision 0001) opens, migrates to the newest revision and keeps its
    documents and entity mentions; new columns are empty."""
    from alembic import command
    from alembic.config import Config

    from pressespiegel.store.sql import _MIGRATIONS, engine_for

    engine = engine_for(db_target)
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql("INSERT INTO documents (id, content_hash, source, kind, language, text, lines, agencies, "
                             "evidence, size_bytes, ingested_at) VALUES (1, 'h', 's', 'text', 'de', 'Rutte sprach.', "
                             "'[]', '[]', '{}', 0, '2026-11-21')")
        conn.exec_driver_sql("INSERT INTO entities (document_id, position, start, \"end\", text, label, canonical) "
                             "VALUES (1, 0, 0, 5, 'Rutte', 'PER', 'Rutte')")
    engine.dispose()
    with open_store(db_target) as store:
        assert store.schema_version() == _head()
        doc = store.document(1)
        assert doc.entities[0].canonical == "Rutte" and doc.entities[0].id is None and doc.nominals == []
        assert store.entity_records() == []
        assert store.search("Rutte")[0][0] == 1  # the search index covers rows written before the upgrade


def test_reopening_migrates_nothing_and_keeps_data(db_target, store):
    store.add_document(_doc(1))
    with open_store(db_target) as again:
        assert again.counts()["documents"] == 1 and again.schema_version() == _head()


def test_documents_are_stored_once_by_content_hash(store):
    first = store.add_document(_doc(1))
    assert first is not None
    assert store.add_document(_doc(1)) is None
    assert store.has_document(_doc(1).content_hash) and not store.has_document("0" * 64)
    assert store.counts()["documents"] == 1 and store.counts()["comments"] == 2
    assert store.add_document(_doc(2)) not in (None, first)  # the store still writes after a refused duplicate


def test_document_roundtrip(store):
    doc = _doc(2)
    doc.lines = [LineLabel(1, "body"), LineLabel(3, "comment")]
    doc.agencies, doc.evidence, doc.fetched_at = ["dpa"], {"title": "headline line"}, "2026-03-10T08:15:00+00:00"
    doc.entities = [Entity(0, 5, "Titel", "PER", "Titel Zwei", id="per:abc", role="Sprecher", geonames_id=None)]
    doc.nominals = [Nominal(6, 10, "der Sprecher", "Titel Zwei", "per:abc")]
    doc.timexes = [Timex(0, 5, "heute", "DATE", "2026-11-03")]
    doc.figures = [Figure(0, 5, "rund 2.400 Menschen", 2400.0, "Menschen", "about")]
    doc_id = store.add_document(doc)
    back = store.document(doc_id)
    assert back.title == "Titel 2" and back.comments[1].reply_to == 0 and back.quotes[0].speaker == "Heiner Kassel"
    assert back.to_contract() == doc.to_contract()
    assert back.fetched_at == doc.fetched_at and back.evidence == doc.evidence and back.lines == doc.lines
    assert store.document(doc_id + 1000) is None


def test_nul_characters_are_stored_as_replacement_characters(store):
    """PostgreSQL text cannot hold NUL; both backends store U+FFFD instead, one character for one."""
    doc = _doc(3, "Vor\x00Ort")
    doc_id = store.add_document(doc)
    back = store.document(doc_id)
    assert back.text == doc.text.replace("\x00", "\ufffd") and len(back.text) == len(doc.text)
    assert store.add_rejection(Rejection("bad\x00.txt", "binary\x00 data", 3, "f" * 64))


def test_a_value_the_database_cannot_hold_rejects_that_document_only(store):
    doc = _doc(4)
    doc.language = "x" * 40  # longer than the column; SQLite keeps it, PostgreSQL refuses
    if store.dialect == "postgresql":
        with pytest.raises(DocumentNotStored, match="refused"):
            store.add_document(doc)
        assert store.counts()["documents"] == 0
    else:
        assert store.add_document(doc) is not None
    assert store.add_document(_doc(5)) is not None


def test_quarantine_records_are_not_duplicated(store):
    r = Rejection("bad.html", "binary data", 12, "f" * 64)
    assert store.add_rejection(r) is True
    assert store.add_rejection(r) is False
    assert store.counts()["quarantine"] == 1
    assert store.add_rejection(Rejection("bad.html", "binary data", 12, "e" * 64)) is True  # file changed
    rows = list(store.rows("quarantine"))
    assert [x["fingerprint"] for x in rows] == ["f" * 64, "e" * 64] and rows[0]["reason"] == "binary data"


def test_full_text_search(store):
    store.add_document(_doc(1, "Der Deich an der Erft ist gebrochen"))
    store.add_document(_doc(2, "Die Bahn streikt"))
    store.add_document(_doc(3, "Die Erft führt Hochwasser"))
    hits = store.search("Deich Erft")
    assert [h[0] for h in hits] == [1] and "[Deich]" in hits[0][1] and "[Erft]" in hits[0][1]
    assert sorted(h[0] for h in store.search("Erft")) == [1, 3]
    assert store.search("Erft", limit=1)[0][0] in (1, 3) and len(store.search("Erft", limit=1)) == 1
    assert store.search('"; DROP TABLE documents; --') == [] and store.search("   ") == []
    assert store.search("Titel 2")[0][0] == 2  # titles are searched too
    assert store.counts()["documents"] == 3
    if store.dialect == "postgresql":  # German stemming
        assert [h[0] for h in store.search("Deiche")] == [1]


def test_search_finds_documents_updated_later(store):
    doc_id = store.add_document(_doc(1, "Der Deich hält"))
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET text = 'Die Schleuse klemmt' WHERE id = :i"), {"i": doc_id})
    assert store.search("Deich") == [] and store.search("Schleuse")[0][0] == doc_id


def test_stories_replace_atomically(store):
    for n in (1, 2, 3):
        store.add_document(_doc(n))
    store.replace_stories([StoryRow(1, "A", "2026-11-02", "2026-11-03", 2), StoryRow(3, "B", None, None, 1)],
                          {1: 1, 2: 1, 3: 3}, {2: 1})
    rows = {a.id: a for a in store.articles()}
    assert rows[2].story_id == 1 and rows[2].duplicate_of == 1 and rows[3].story_id == 3 and rows[1].comment_count == 2
    assert [s.id for s in store.stories()] == [1, 3] and store.stories()[0].first_published == "2026-11-02"
    store.replace_stories([StoryRow(1, "A", None, None, 3)], {1: 1, 2: 1, 3: 1}, {})
    assert [s.id for s in store.stories()] == [1]
    assert all(a.story_id == 1 and a.duplicate_of is None for a in store.articles())


def test_articles_listing_without_text_is_a_snippet(store):
    store.add_document(_doc(1, "Wort " * 500))
    full, = store.articles()
    short, = store.articles(with_text=False)
    assert len(full.text) > 2000 and short.text == full.text[:600] and short.agencies == []


def test_entity_registry_records_update_and_merge(store):
    doc = _doc(1)
    doc.entities = [Entity(0, 5, "Albers", "PER", "Albers", id="per:albers")]
    store.add_document(doc)
    lone = Record("per:albers", "PER", "Albers", key="albers", aliases={"Albers"}, mentions=1, documents=1)
    kiew = Record("geonames:703448", "LOC", "Kiew", geonames_id=703448, aliases={"Kyjiw", "Kiew"},
                  context=Counter({"per:albers": 2}), mentions=3, documents=1)
    store.save_entities([lone, kiew])
    assert {r.id: r for r in store.entity_records()}["geonames:703448"].aliases == {"Kyjiw", "Kiew"}
    kiew.mentions = 4
    full = Record("per:katrin-albers", "PER", "Katrin Albers", aliases={"Albers", "Katrin Albers"}, mentions=2)
    store.save_entities([kiew, full], merged={"per:albers": "per:katrin-albers"})
    records = {r.id: r for r in store.entity_records()}
    assert set(records) == {"geonames:703448", "per:katrin-albers"} and records["geonames:703448"].mentions == 4
    assert records["geonames:703448"].context == Counter({"per:albers": 2})
    mention, = store.rows("entities")
    assert mention["entity_id"] == "per:katrin-albers" and mention["canonical"] == "Katrin Albers"


def test_registry_changes_are_saved_with_their_document_or_not_at_all(store):
    from pressespiegel.analyse.linking import Registry
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import Loader

    albers = Record("per:albers", "PER", "Albers", key="albers", aliases={"Albers"}, mentions=1, documents=1)
    assert store.add_document(_doc(1), [albers]) is not None
    assert [r.id for r in store.entity_records()] == ["per:albers"]
    kiew = Record("geonames:703448", "LOC", "Kiew", geonames_id=703448, mentions=1, documents=1)
    assert store.add_document(_doc(1), [kiew]) is None  # a stored document: its transaction, records too, rolled back
    assert [r.id for r in store.entity_records()] == ["per:albers"]
    # the run's loader keeps what the refused document's linking changed and saves it with the next document
    loader = Loader(store, Settings())
    loader.entities = Registry([albers])
    loader.entities.records[kiew.id] = kiew
    loader.entities.dirty.add(kiew.id)
    assert loader.add(_doc(1)) is None and loader.summary.skipped == 1
    assert loader.entities.dirty == {kiew.id}
    assert loader.add(_doc(2)) is not None
    assert {r.id for r in store.entity_records()} >= {"per:albers", "geonames:703448"}


def test_statements_are_replaced_in_one_go(store):
    for n in (1, 2):
        store.add_document(_doc(n))
    ids = [q["id"] for q in store.rows("quotes")]
    store.replace_statements({ids[0]: ids[0], ids[1]: ids[0]})
    assert [q["statement_id"] for q in store.rows("quotes")] == [ids[0], ids[0]]
    store.replace_statements({})
    assert [q["statement_id"] for q in store.rows("quotes")] == [None, None]


def test_rows_of_some_documents(store):
    for n in (1, 2, 3):
        store.add_document(_doc(n))
    rows = list(store.rows_of("comments", [1, 3]))
    assert [r["document_id"] for r in rows] == [1, 1, 3, 3] and [r["id"] for r in rows] == sorted(r["id"] for r in rows)


def test_deleting_a_document_cascades(store):
    store.add_document(_doc(1))
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents"))
    assert store.counts()["comments"] == 0 and store.counts()["quotes"] == 0


def test_two_writers_on_one_store_do_not_collide(db_target, store):
    """Two runs sharing a store (a newsroom on PostgreSQL) write the same entities, rejections and documents at the
    same time: each is stored once and neither run fails."""
    import threading

    records = [Record(f"per:{i}", "PER", f"Person {i}", aliases={f"Person {i}"}, mentions=i) for i in range(40)]
    errors, ids = [], []

    def work(target_store) -> None:
        try:
            for n in range(1, 6):
                target_store.save_entities(records)
                target_store.add_rejection(Rejection("kaputt.html", "binary data", 1, "a" * 64))
                ids.append(target_store.add_document(_doc(n)))
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    with open_store(db_target) as other:
        threads = [threading.Thread(target=work, args=(x,)) for x in (store, other)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert len(store.entity_records()) == 40 and store.counts()["quarantine"] == 1
    stored = [i for i in ids if i is not None]  # (PostgreSQL's id sequence skips the refused duplicates)
    assert store.counts()["documents"] == 5 and len(stored) == len(set(stored)) == 5
