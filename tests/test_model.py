from pressespiegel.model import Comment, Document, Entity, LineLabel, Quote, Timex, content_hash

CONTRACT_FIELDS = {"source", "title", "outlet", "published", "language", "text", "lines", "comments", "entities",
                   "quotes", "timexes"}


def test_content_hash_ignores_encoding_artifacts():
    assert content_hash("Straße\r\nZeile 2\n") == content_hash("Stra\u00dfe\nZeile 2")
    # NFD "ü" (u + combining diaeresis) is the same text as NFC "ü"
    assert content_hash("Mu\u0308nchen") == content_hash("München")
    assert content_hash("München") != content_hash("Munchen")


def test_content_hash_separates_parts():
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_contract_has_every_field_even_when_empty():
    doc = Document(source="x.txt", content_hash="h", kind="text", text="Titel\nText")
    out = doc.to_contract()
    assert CONTRACT_FIELDS <= set(out)
    assert out["entities"] == [] and out["quotes"] == [] and out["timexes"] == [] and out["comments"] == []


def test_contract_serialises_spans():
    doc = Document(source="x", content_hash="h", kind="text", text="Rutte sagte: „Ja.“")
    doc.lines = [LineLabel(1, "body")]
    doc.comments = [Comment(author="A", text="Gut")]
    doc.entities = [Entity(0, 5, "Rutte", "PER", "Mark Rutte")]
    doc.quotes = [Quote(13, 16, "Ja.", "direct", "Mark Rutte", 0, 5, "sagte")]
    doc.timexes = [Timex(0, 0, "", "DATE", "PRESENT_REF")]
    out = doc.to_contract()
    assert out["lines"] == [{"line": 1, "kind": "body"}]
    assert out["entities"][0] == {"start": 0, "end": 5, "text": "Rutte", "label": "PER", "canonical": "Mark Rutte",
                                  "id": None, "role": None, "geonames_id": None, "kb_id": None}
    assert out["quotes"][0]["speaker_end"] == 5 and out["quotes"][0]["kind"] == "direct"
    assert out["comments"][0] == {"author": "A", "reply_to": None, "posted": None, "text": "Gut"}
    assert doc.text[out["entities"][0]["start"]:out["entities"][0]["end"]] == "Rutte"
