import sqlite3

import pytest

from pressespiegel.model import Comment, Document, Quote, Rejection
from pressespiegel.store import StoryRow, open_store


def _doc(n: int, text: str = "Text") -> Document:
    return Document(source=f"s{n}.txt", content_hash=f"{n:064d}", kind="text", text=f"Titel {n}\n{text} {n}",
                    title=f"Titel {n}", outlet="rheinkurier.de", published=f"2026-11-0{n % 9 + 1}",
                    language="de", comments=[Comment(author="A", text="Erster"), Comment(reply_to=0, text="Zweiter")],
                    quotes=[Quote(0, 5, "Titel", "direct", "Heiner Kassel")])


@pytest.fixture
def store(tmp_path):
    with open_store(str(tmp_path / "t.db")) as s:
        yield s


def test_schema_is_created_and_versioned(tmp_path, store):
    assert store.schema_version() == "0004"
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"documents", "comments", "entities", "quotes", "timexes", "stories", "quarantine", "alembic_version",
            "documents_fts", "entity_registry", "nominals"} <= tables


def test_a_store_of_the_first_schema_is_upgraded_with_its_data(tmp_path):
    """A store written before entity linking (revision 0001) opens, migrates to the newest revision and keeps its
    documents and entity mentions; new columns are empty."""
    from alembic import command
    from alembic.config import Config

    from pressespiegel.store.sql import _MIGRATIONS, engine_for

    path = tmp_path / "old.db"
    engine = engine_for(str(path))
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
    with open_store(str(path)) as store:
        assert store.schema_version() == "0004"
        doc = store.document(1)
        assert doc.entities[0].canonical == "Rutte" and doc.entities[0].id is None and doc.nominals == []
        assert store.entity_records() == []


def test_reopening_migrates_nothing_and_keeps_data(tmp_path, store):
    store.add_document(_doc(1))
    with open_store(str(tmp_path / "t.db")) as again:
        assert again.counts()["documents"] == 1


def test_documents_are_stored_once_by_content_hash(store):
    assert store.add_document(_doc(1)) == 1
    assert store.add_document(_doc(1)) is None
    assert store.has_document(_doc(1).content_hash)
    assert store.counts()["documents"] == 1 and store.counts()["comments"] == 2


def test_document_roundtrip(store):
    doc_id = store.add_document(_doc(2))
    back = store.document(doc_id)
    assert back.title == "Titel 2" and back.comments[1].reply_to == 0 and back.quotes[0].speaker == "Heiner Kassel"
    assert back.to_contract()["comments"] == _doc(2).to_contract()["comments"]


def test_quarantine_records_are_not_duplicated(store):
    r = Rejection("bad.html", "binary data", 12, "f" * 64)
    assert store.add_rejection(r) is True
    assert store.add_rejection(r) is False
    assert store.counts()["quarantine"] == 1
    assert store.add_rejection(Rejection("bad.html", "binary data", 12, "e" * 64)) is True  # file changed


def test_full_text_search(store):
    store.add_document(_doc(1, "Der Deich an der Erft ist gebrochen"))
    store.add_document(_doc(2, "Die Bahn streikt"))
    hits = store.search("Deich Erft")
    assert [h[0] for h in hits] == [1] and "[Deich]" in hits[0][1]
    assert store.search('"; DROP TABLE documents; --') == []
    assert store.counts()["documents"] == 2


def test_stories_replace_atomically(store):
    for n in (1, 2, 3):
        store.add_document(_doc(n))
    store.replace_stories([StoryRow(1, "A", "2026-11-02", "2026-11-03", 2), StoryRow(3, "B", None, None, 1)],
                          {1: 1, 2: 1, 3: 3}, {2: 1})
    rows = {a.id: a for a in store.articles()}
    assert rows[2].story_id == 1 and rows[2].duplicate_of == 1 and rows[3].story_id == 3 and rows[1].comment_count == 2
    store.replace_stories([StoryRow(1, "A", None, None, 3)], {1: 1, 2: 1, 3: 1}, {})
    assert [s.id for s in store.stories()] == [1]
    assert all(a.story_id == 1 and a.duplicate_of is None for a in store.articles())


def test_deleting_a_document_cascades(tmp_path, store):
    store.add_document(_doc(1))
    con = sqlite3.connect(tmp_path / "t.db")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("DELETE FROM documents")
    con.commit()
    assert store.counts()["comments"] == 0 and store.counts()["quotes"] == 0
