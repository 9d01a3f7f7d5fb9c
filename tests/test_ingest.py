import gzip
import io
import json

import pytest

from pressespiegel.config import Limits
from pressespiegel.ingest import read_input, read_inputs
from pressespiegel.ingest.decode import decode
from pressespiegel.ingest.detect import kind_by_name, sniff
from pressespiegel.ingest.sources import Input, InputError, expand, gunzip
from pressespiegel.model import RawDocument, Rejection

GERMAN = "Die Bürgermeisterin äußerte sich am Dienstag: „Wir müssen handeln“, sagte sie. Größe: 5 €."


# -- sources ---------------------------------------------------------------------------------------------------------

def test_expand_walks_folders_recursively_and_skips_hidden(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "b").mkdir()
    (tmp_path / "a" / "b" / "x.txt").write_text("x")
    (tmp_path / "a" / "y.html").write_text("y")
    (tmp_path / "a" / ".hidden.txt").write_text("h")
    names = [i.name for i in expand([str(tmp_path / "a")])]
    assert [n.rsplit("/", 1)[-1] for n in names] == ["x.txt", "y.html"]  # sorted by path, hidden files skipped


def test_expand_globs_dedups_and_reports_missing(tmp_path):
    for n in ("a.txt", "b.txt", "c.html"):
        (tmp_path / n).write_text(n)
    items = list(expand([str(tmp_path / "*.txt"), str(tmp_path / "a.txt"), str(tmp_path / "nope.txt"),
                         str(tmp_path / "*.xyz")]))
    inputs = [i for i in items if isinstance(i, Input)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert sorted(i.name.rsplit("/", 1)[-1] for i in inputs) == ["a.txt", "b.txt"]
    assert [r.reason for r in rejections] == ["no such file or folder", "no files match this pattern"]


def test_stdin_is_read(monkeypatch, limits):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(GERMAN.encode("utf-8"))))
    docs = list(read_inputs(["-"], limits))
    assert len(docs) == 1 and docs[0].source == "-" and docs[0].content == GERMAN


def test_gunzip_refuses_bombs_and_truncation():
    data = gzip.compress(b"a" * 10_000)
    assert gunzip(data, 20_000) == b"a" * 10_000
    with pytest.raises(InputError, match="more than"):
        gunzip(data, 1_000)
    with pytest.raises(InputError, match="truncated|broken"):
        gunzip(data[: len(data) // 2], 20_000)


# -- decoding ----------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_decode_german_in_common_encodings(encoding):
    text, _ = decode(GERMAN.encode(encoding))
    assert text == GERMAN


def test_decode_latin1_umlauts():
    s = "Müller lässt grüßen, sagte der Bürgermeister in Köln am Montag nach der Sitzung des Rates."
    assert decode(s.encode("latin-1"))[0] == s


def test_decode_uses_declared_charset_when_not_utf8():
    s = "Zürich: Der Regierungsrat hält an der Vorlage fest."
    assert decode(s.encode("cp1252"), "windows-1252")[0] == s


@pytest.mark.parametrize("data", [b"", b"   \n\t", b"\x00\x01\x02\x03" * 100, bytes(range(256)) * 20])
def test_decode_rejects_empty_and_binary(data):
    with pytest.raises(InputError):
        decode(data)


# -- detection ---------------------------------------------------------------------------------------------------------

def test_kind_by_name():
    assert kind_by_name("a/b/page.HTML") == "html"
    assert kind_by_name("x.jsonl.gz") == "jsonl"
    assert kind_by_name("feed.rss") == "feed"
    assert kind_by_name("dump.txt") == "text"
    assert kind_by_name("noext") is None
    assert kind_by_name("a.warc.gz") == "warc"  # tests/test_warc.py
    with pytest.raises(ValueError, match="PDF"):
        kind_by_name("a.pdf")


def test_sniff():
    assert sniff(b"<?xml version='1.0'?><rss version='2.0'><channel/></rss>") == "feed"
    assert sniff(b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>') == "feed"
    assert sniff(b"\n<!DOCTYPE html><html><body><p>x</p></body></html>") == "html"
    assert sniff(b'{"text": "x"}\n{"text": "y"}\n') == "jsonl"
    assert sniff("Überschrift\n\nText mit <b>spitzen</b> Klammern".encode()) == "text"


# -- readers -----------------------------------------------------------------------------------------------------------

def _read(tmp_path, name, data, kind=None):
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return list(read_input(Input(str(p), p), Limits(), kind))


def test_jsonl_reader_keeps_good_lines_and_names_bad_ones(tmp_path):
    lines = [
        {"id": "a1", "url": "https://www.weserblatt.de/x", "title": "T", "published": "2026-11-12T06:00:00+01:00",
         "outlet": "weserblatt.de", "text": "Bremen (dpa) – Text."},
        "not json",
        {"url": "https://www.weserblatt.de/y", "html": "<p>Ein Absatz.</p>"},
        {"title": "kein Text"},
        {"text": "Nur Text, ohne id und url."},
    ]
    raw = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines)
    items = _read(tmp_path, "x.jsonl", raw)
    docs = [i for i in items if isinstance(i, RawDocument)]
    bad = [i for i in items if isinstance(i, Rejection)]
    assert [d.source for d in docs] == ["a1", "https://www.weserblatt.de/y", f"{tmp_path}/x.jsonl#5"]
    assert docs[0].published == "2026-11-12" and docs[0].title == "T" and not docs[0].is_html
    assert docs[1].is_html
    assert [b.source.rsplit("#", 1)[1] for b in bad] == ["2", "4"]
    assert "invalid JSON" in bad[0].reason and "text" in bad[1].reason


def test_jsonl_file_is_streamed_beyond_the_container_limit(tmp_path):
    """A JSON Lines file is read line by line: larger than ``max_container_bytes`` (a news archive), with a byte order
    mark, a line in Latin-1 among UTF-8 ones and one line over ``max_line_bytes``: every other line is a document."""
    limits = Limits(max_container_bytes=2000, max_line_bytes=1000)
    lines = [json.dumps({"id": f"n{k}", "text": f"Meldung {k}: Der Deich hält, sagte die Bürgermeisterin."},
                        ensure_ascii=False).encode("utf-8") for k in range(60)]
    lines[7] = json.dumps({"id": "latin", "text": "Größere Schäden in Oldenburg."}, ensure_ascii=False).encode("latin-1")
    lines[9] = json.dumps({"id": "huge", "text": "x" * 5000}).encode("utf-8")
    path = tmp_path / "archiv.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"\r\n".join(lines) + b"\r\n")
    assert path.stat().st_size > limits.max_container_bytes
    items = list(read_inputs([str(path)], limits))
    docs = {i.source: i for i in items if isinstance(i, RawDocument)}
    bad = [i for i in items if isinstance(i, Rejection)]
    assert len(docs) == 59 and "n0" in docs and "Bürgermeisterin" in docs["n59"].content
    assert docs["latin"].content == "Größere Schäden in Oldenburg."
    assert [b.source.rsplit("#", 1)[1] for b in bad] == ["10"] and "line too large" in bad[0].reason


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Weserblatt</title><link>https://www.weserblatt.de</link>
<item><title>Streik &amp; Stau</title><link>https://www.weserblatt.de/streik</link>
<pubDate>Thu, 12 Nov 2026 23:30:00 +0100</pubDate><description>Kurz.</description>
<content:encoded><![CDATA[<p>Bremen (dpa) – Erster Absatz.</p><p>Zweiter Absatz.</p>]]></content:encoded></item>
<item><title>Ohne Inhalt</title><link>https://www.weserblatt.de/leer</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Alpenbote</title><link href="https://www.alpenbote.at/"/>
<entry><title>Felssturz</title><link href="https://www.alpenbote.at/felssturz"/><id>urn:1</id>
<updated>2026-11-05T07:00:00+01:00</updated><content type="html">&lt;p&gt;Hinterkogl – Text.&lt;/p&gt;</content></entry>
</feed>"""


def test_rss_items_become_documents(tmp_path):
    items = _read(tmp_path, "w.rss", RSS)
    doc, empty = items
    assert isinstance(doc, RawDocument) and isinstance(empty, Rejection)
    assert doc.title == "Streik & Stau" and doc.url == "https://www.weserblatt.de/streik"
    assert doc.published == "2026-11-12"  # the feed's own day, not UTC's 2026-11-13... nor 11-12 22:30 UTC
    assert doc.outlet == "weserblatt.de" and "Zweiter Absatz" in doc.content and doc.is_html


def test_atom_entries_become_documents(tmp_path):
    (doc,) = _read(tmp_path, "a.atom", ATOM)
    assert doc.title == "Felssturz" and doc.published == "2026-11-05" and doc.outlet == "alpenbote.at"


def test_feed_with_entity_bomb_is_refused(tmp_path):
    from badinputs import build

    build(tmp_path / "bad", huge_mb=0)
    (item,) = list(read_input(Input(str(tmp_path / "bad" / "bomb.rss"), tmp_path / "bad" / "bomb.rss"), Limits()))
    assert isinstance(item, Rejection) and "entity" in item.reason


def test_malformed_feed_is_a_rejection(tmp_path):
    (item,) = _read(tmp_path, "broken.rss", "<rss><channel><item><title>x</ti")
    assert isinstance(item, Rejection) and "feed" in item.reason


def test_text_over_the_document_limit_is_refused(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Wort " * 100_000)
    (item,) = read_input(Input(str(p), p), Limits(max_document_bytes=100_000))
    assert isinstance(item, Rejection) and "too large" in item.reason


def test_gzip_text_is_read(tmp_path):
    (doc,) = _read(tmp_path, "a.txt.gz", gzip.compress(GERMAN.encode("utf-8")))
    assert isinstance(doc, RawDocument) and doc.content == GERMAN and doc.kind == "text"


def test_identity_survives_reencoding(tmp_path):
    (a,) = _read(tmp_path, "a.txt", GERMAN.encode("utf-8"))
    (b,) = _read(tmp_path, "b.txt", GERMAN.replace("\n", "\r\n").encode("cp1252"))
    assert a.content_hash == b.content_hash
