"""WARC input: HTML responses become documents with URL and fetch time; everything else is skipped and counted;
broken, truncated and oversized records are counted and quarantined without losing the records around them.

The archives are written here with warcio's writer (and cut or damaged by hand); the articles are invented."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest
from conftest import ROOT
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pressespiegel.cli import app
from pressespiegel.config import Limits, Settings
from pressespiegel.ingest import read_inputs
from pressespiegel.ingest.detect import kind_by_name
from pressespiegel.ingest.warc import WarcCounts, document_from_response, is_warc, read_warc, warc_date
from pressespiegel.model import RawDocument, Rejection

ARTICLE = """<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{title} | Rheinkurier</title>
<meta property="og:site_name" content="Rheinkurier"></head><body><nav>Startseite · Region · Sport</nav>
<article><h1>{title}</h1><p class="lead">{lead}</p>{body}</article>
<footer>© Rheinkurier Verlag · Impressum · Datenschutz</footer></body></html>"""

DEICH = ARTICLE.format(
    title="Deich bei Auenbach hält dem Hochwasser stand",
    lead="Die Helfer haben in der Nacht zum Dienstag rund 2.400 Sandsäcke verbaut.",
    body="<p>Der Pegel der Erft stieg bis zum Morgen auf 4,20 Meter, wie die Kreisverwaltung mitteilte. "
         "Bürgermeisterin Katrin Albers dankte den Freiwilligen der Feuerwehr.</p>"
         "<p>„Wir sind noch nicht über den Berg“, sagte Albers am Dienstagmorgen. Die Straße nach Brakenhude "
         "bleibt bis auf Weiteres gesperrt.</p>")
BAHN = ARTICLE.format(
    title="Lokführer streiken im Münsterland",
    lead="Der Verband der Zugbegleiter und Lokführer hat für Donnerstag zu einem Warnstreik aufgerufen.",
    body="<p>Betroffen sind vor allem die Strecken zwischen Münster und Gronau. Pendler müssen sich auf "
         "Ausfälle einstellen, teilte die Bahn mit.</p><p>Die Gewerkschaft fordert 8,5 Prozent mehr Lohn.</p>")
# Latin-1 bytes, declared only in the HTTP header (no <meta charset>)
LATIN = ("<html><head><title>Größere Schäden in Überlingen</title></head><body><article>"
         "<h1>Größere Schäden in Überlingen</h1><p>Nach dem Unwetter am Bodensee schätzt die Stadt die Schäden auf "
         "über eine Million Euro. Straßen und Gärten stehen unter Wasser, berichtete der Bürgermeister.</p>"
         "<p>Die Aufräumarbeiten dürften mehrere Wochen dauern.</p></article></body></html>")


def _response(writer: WARCWriter, url: str, body: bytes, content_type: str | None = "text/html; charset=utf-8",
              status: str = "200 OK", date: str = "2026-03-10T08:15:00Z", extra: list | None = None):
    headers = ([("Content-Type", content_type)] if content_type else []) + (extra or [])
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                     warc_headers_dict={"WARC-Date": date})


def build(records: list[str], gz: bool = True, big: int = 60_000) -> bytes:
    """A WARC file of the named records, in order."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    for name in records:
        if name == "warcinfo":
            w.write_record(w.create_warcinfo_record("test.warc.gz", {"software": "pressespiegel-test"}))
        elif name == "request":
            w.write_record(w.create_warc_record("https://www.rheinkurier.de/region/deich", "request",
                                                payload=io.BytesIO(b"GET /region/deich HTTP/1.1\r\n"
                                                                   b"Host: www.rheinkurier.de\r\n\r\n")))
        elif name == "deich":
            w.write_record(_response(w, "https://www.rheinkurier.de/region/deich", DEICH.encode()))
        elif name == "bahn":
            w.write_record(_response(w, "https://www.westfalenblick.de/bahn-streik", BAHN.encode(),
                                     date="2026-03-11T17:02:09.532Z"))
        elif name == "latin":
            w.write_record(_response(w, "https://www.seebote.de/ueberlingen", LATIN.encode("latin-1"),
                                     "text/html; charset=ISO-8859-1"))
        elif name == "gzipped":  # Content-Encoding: gzip, as some crawlers keep it
            w.write_record(_response(w, "https://www.rheinkurier.de/gz", gzip.compress(BAHN.replace(
                "Münsterland", "Sauerland").encode()), extra=[("Content-Encoding", "gzip")]))
        elif name == "image":
            w.write_record(_response(w, "https://www.rheinkurier.de/bild.png", b"\x89PNG\r\n\x1a\n" + bytes(300),
                                     "image/png"))
        elif name == "pdf":
            w.write_record(_response(w, "https://www.rheinkurier.de/a.pdf", b"%PDF-1.7\n...", "application/pdf"))
        elif name == "notfound":
            w.write_record(_response(w, "https://www.rheinkurier.de/weg", b"<html><body>Seite nicht gefunden"
                                     b"</body></html>", status="404 Not Found"))
        elif name == "revisit":
            w.write_record(w.create_revisit_record("https://www.rheinkurier.de/region/deich", "sha1:AAAA",
                                                   "https://www.rheinkurier.de/region/deich", "2026-03-09T08:00:00Z"))
        elif name == "metadata":
            w.write_record(w.create_warc_record("https://www.rheinkurier.de/region/deich", "metadata",
                                                payload=io.BytesIO(b"fetchTimeMs: 212\r\n"),
                                                warc_content_type="application/warc-fields"))
        elif name == "binary":  # labelled HTML, but binary
            w.write_record(_response(w, "https://www.rheinkurier.de/kaputt", bytes(range(256)) * 20))
        elif name == "big":
            w.write_record(_response(w, "https://www.rheinkurier.de/riesig", ARTICLE.format(
                title="Riesig", lead="Lang.", body="<p>Sehr lange Seite mit viel Text.</p>" * (big // 40)).encode()))
        else:
            raise ValueError(name)
    return buf.getvalue()


def read(data: bytes, limits: Limits | None = None, name: str = "t.warc.gz"):
    counts = WarcCounts()
    items = list(read_warc(io.BytesIO(data), limits or Limits(), name=name, counts=counts))
    docs = [x for x in items if isinstance(x, RawDocument)]
    rejections = [x for x in items if isinstance(x, Rejection)]
    return docs, rejections, counts


ALL = ["warcinfo", "request", "deich", "metadata", "image", "bahn", "pdf", "revisit", "notfound", "latin"]


@pytest.mark.parametrize("gz", [True, False], ids=["gzip", "plain"])
def test_html_responses_become_documents_with_url_and_fetch_time(gz):
    docs, rejections, counts = read(build(ALL, gz=gz))
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich", "https://www.westfalenblick.de/bahn-streik",
                                     "https://www.seebote.de/ueberlingen"]
    assert [d.fetched_at for d in docs] == ["2026-03-10T08:15:00+00:00", "2026-03-11T17:02:09+00:00",
                                            "2026-03-10T08:15:00+00:00"]
    assert all(d.kind == "html" and d.is_html and d.path == "t.warc.gz" and d.source == d.url for d in docs)
    assert "Sandsäcke" in docs[0].content and docs[0].encoding == "utf-8"
    assert "Größere Schäden in Überlingen" in docs[2].content and docs[2].encoding == "cp1252"
    assert rejections == []
    assert (counts.html, counts.other, counts.broken, counts.too_large) == (3, 7, 0, 0)
    assert str(counts) == "WARC: 3 HTML responses, 7 other records skipped, 0 broken"


def test_the_documents_go_through_extraction_with_url_and_fetch_time(tmp_path):
    from pressespiegel.extract import extract

    docs, _, _ = read(build(["deich", "latin"]))
    first = extract(docs[0])
    assert first.title.startswith("Deich bei Auenbach") and "2.400 Sandsäcke" in first.text
    assert first.url == "https://www.rheinkurier.de/region/deich" and first.fetched_at == "2026-03-10T08:15:00+00:00"
    assert first.outlet == "rheinkurier.de" and "Impressum" not in first.text
    assert "Schäden auf über eine Million Euro" in extract(docs[1]).text


def test_content_encoding_gzip_is_undone():
    docs, _, counts = read(build(["gzipped"]))
    assert counts.html == 1 and "Sauerland" in docs[0].content


def test_truncated_gzip_file_keeps_the_records_before_the_break():
    data = build(["deich", "image", "bahn", "latin"])
    cut = data[: len(data) - 300]  # inside the last record
    docs, rejections, counts = read(cut)
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich",
                                     "https://www.westfalenblick.de/bahn-streik"]
    assert counts.broken == 1 and counts.html == 2 and counts.other == 1
    assert len(rejections) == 1 and "truncated" in rejections[0].reason


def test_truncated_plain_file_keeps_the_records_before_the_break():
    data = build(["deich", "bahn", "latin"], gz=False)
    docs, rejections, counts = read(data[: len(data) - 200], name="t.warc")
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich",
                                     "https://www.westfalenblick.de/bahn-streik"]
    assert counts.broken == 1 and "cut off" in rejections[0].reason


def _content_length_of(data: bytes, url: bytes) -> bytes:
    at = data.index(b"WARC-Target-URI: " + url)
    start = data.index(b"Content-Length: ", at)
    return data[start: data.index(b"\r\n", start)]


@pytest.mark.parametrize("delta", [-120, +250], ids=["too-short", "too-long"])
def test_wrong_content_length_is_counted_and_reading_goes_on(delta):
    data = build(["deich", "bahn", "image", "latin", "pdf", "deich"], gz=False)
    header = _content_length_of(data, b"https://www.westfalenblick.de/bahn-streik")
    wrong = int(header.split(b": ")[1]) + delta
    data = data.replace(header, b"Content-Length: %d" % wrong, 1)
    docs, rejections, counts = read(data, name="t.warc")
    urls = [d.url for d in docs]
    assert "https://www.westfalenblick.de/bahn-streik" not in urls  # its body is not what was sent
    assert urls[0] == "https://www.rheinkurier.de/region/deich"
    assert "https://www.seebote.de/ueberlingen" in urls  # found again after the broken record
    assert counts.broken >= 1 and all("broken WARC record" in r.reason for r in rejections)
    assert counts.html + counts.other + counts.broken >= 5


def test_corrupt_gzip_member_is_skipped_and_the_next_records_are_read():
    buf = io.BytesIO()
    for part in (build(["deich"]), build(["bahn"]), build(["latin"])):
        buf.write(part)
    data = bytearray(buf.getvalue())
    second = len(build(["deich"]))
    for k in range(second + 40, second + 80):  # scramble the compressed middle of the second record
        data[k] ^= 0x5A
    docs, rejections, counts = read(bytes(data))
    urls = [d.url for d in docs]
    assert urls[0] == "https://www.rheinkurier.de/region/deich" and urls[-1] == "https://www.seebote.de/ueberlingen"
    assert "https://www.westfalenblick.de/bahn-streik" not in urls
    assert counts.broken >= 1 and rejections


def test_garbage_between_records_is_skipped():
    data = build(["deich"], gz=False) + b"Hier steht kein WARC-Record.\r\nNoch eine Zeile\r\n\r\n" + \
        build(["bahn"], gz=False)
    docs, rejections, counts = read(data, name="t.warc")
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich",
                                     "https://www.westfalenblick.de/bahn-streik"]
    assert counts.broken == 1 and "unreadable record header" in rejections[0].reason


def test_gigantic_record_is_rejected_without_reading_it_and_the_next_is_kept():
    limits = Limits(max_document_bytes=20_000)
    docs, rejections, counts = read(build(["deich", "big", "bahn"], big=200_000), limits)
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich",
                                     "https://www.westfalenblick.de/bahn-streik"]
    assert counts.too_large == 1 and counts.html == 2
    assert rejections[0].source == "https://www.rheinkurier.de/riesig" and "too large" in rejections[0].reason
    assert "too large" in str(counts)


def test_binary_body_labelled_html_is_quarantined():
    docs, rejections, counts = read(build(["binary", "deich"]))
    assert [d.url for d in docs] == ["https://www.rheinkurier.de/region/deich"]
    assert counts.broken == 1 and rejections[0].source == "https://www.rheinkurier.de/kaputt"
    assert "binary" in rejections[0].reason


def test_whole_file_gzip_of_a_plain_warc_is_read():
    docs, _, counts = read(gzip.compress(build(["deich", "image", "bahn"], gz=False)))
    assert counts.html == 2 and counts.other == 1 and len(docs) == 2


def test_empty_and_non_warc_streams_do_not_crash():
    assert read(b"")[2].records == 0
    docs, rejections, counts = read(b"Das ist kein Archiv, nur Text.\n" * 50, name="x.warc")
    assert docs == [] and counts.broken == 1


def test_reading_streams_record_by_record():
    """At the first document only a small part of a large archive has been read."""
    data = build(["deich", "bahn", "latin"] * 300, gz=False)

    class Counting(io.BytesIO):
        consumed = 0

        def read(self, n=-1):
            out = super().read(n)
            Counting.consumed += len(out)
            return out

    stream = Counting(data)
    first = next(iter(read_warc(stream, Limits(), name="big.warc")))
    assert first.url == "https://www.rheinkurier.de/region/deich"
    assert Counting.consumed < len(data) / 4 and len(data) > 600_000


def test_detection_by_name_and_by_content(tmp_path):
    assert kind_by_name("CC-NEWS-20260310081500-00042.warc.gz") == "warc"
    assert kind_by_name("archiv.warc") == "warc"
    data = build(["deich", "image"])
    assert is_warc(data[:512]) and is_warc(build(["deich"], gz=False)[:64]) and not is_warc(b"<html>")
    unnamed = tmp_path / "crawl-0001.dat"
    unnamed.write_bytes(data)
    counts = WarcCounts()
    items = list(read_inputs([str(tmp_path)], Limits(), warc_counts=counts))
    assert [x.url for x in items] == ["https://www.rheinkurier.de/region/deich"]
    assert counts.files == 1 and counts.html == 1 and counts.other == 1


def test_per_response_helper_uses_http_charset_unless_the_page_declares_one():
    latin = document_from_response(LATIN.encode("latin-1"), url="https://www.seebote.de/x",
                                   content_type="text/html; charset=iso-8859-1")
    assert "Überlingen" in latin.content
    # Latin-9: byte 0xA4 is the euro sign there (a cp1252 guess would read "¤")
    euro = "<html><body><p>Die Karte kostet 12 € für Erwachsene, ermäßigt 8 €, so die Stadtwerke.</p></body></html>"
    nine = document_from_response(euro.encode("iso-8859-15"), url="https://x.de/", content_type="text/html; charset=ISO-8859-15")
    assert "12 € für" in nine.content and nine.encoding == "iso8859-15"
    declared = ('<html><head><meta charset="windows-1252"></head><body><p>Grüße aus Köln – 5 €</p></body></html>')
    doc = document_from_response(declared.encode("cp1252"), url="https://x.de/", content_type="text/html; charset=utf-8")
    assert "Grüße aus Köln – 5 €" in doc.content
    assert warc_date("2026-03-10T08:15:00Z") == "2026-03-10T08:15:00+00:00" and warc_date("gestern") is None


def test_pipeline_run_stores_warc_documents_and_counts(tmp_path):
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    path = tmp_path / "CC-NEWS-20260310-00001.warc.gz"
    data = build(ALL + ["binary"])
    path.write_bytes(data[: len(data) - 100])  # and the last record cut off
    with open_store(str(tmp_path / "w.db")) as store:
        summary = run([str(path)], store, Settings())
        assert summary.stored == 3 and summary.warc.html == 3 and summary.warc.other == 7
        assert summary.warc.broken == 1 and summary.rejected == 1
        rows = {r.url: r for r in store.articles()}
        assert set(rows) == {"https://www.rheinkurier.de/region/deich", "https://www.westfalenblick.de/bahn-streik",
                             "https://www.seebote.de/ueberlingen"}
        doc = store.document(rows["https://www.rheinkurier.de/region/deich"].id)
        assert doc.fetched_at == "2026-03-10T08:15:00+00:00" and doc.kind == "html"
        again = run([str(path)], store, Settings())
        assert again.stored == 0 and again.skipped == 3 and store.counts()["quarantine"] == 1


def test_cli_run_and_analyze_print_the_warc_counts(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(build(ALL))
    runner = CliRunner()
    result = runner.invoke(app, ["run", str(path), "--db", str(tmp_path / "c.db")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "WARC: 3 HTML responses, 7 other records skipped, 0 broken" in result.output
    result = runner.invoke(app, ["analyze", str(path)], catch_exceptions=False)
    assert result.exit_code == 0
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [d["url"] for d in docs][0] == "https://www.rheinkurier.de/region/deich"
    assert "WARC: 3 HTML responses" in result.output


def test_warc_on_standard_input(tmp_path):
    data = build(["deich", "image", "bahn"])
    proc = subprocess.run([sys.executable, "-m", "pressespiegel", "analyze", "-"], input=data, capture_output=True,
                          cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    docs = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [d["url"] for d in docs] == ["https://www.rheinkurier.de/region/deich",
                                        "https://www.westfalenblick.de/bahn-streik"]
    assert b"WARC: 2 HTML responses, 1 other records skipped, 0 broken" in proc.stderr


def test_broken_chunked_body_does_not_stop_the_file():
    """warcio reads an invalid chunked body as it stands (extraction then judges it); the next record is kept."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                            protocol="HTTP/1.1")
    w.write_record(w.create_warc_record("https://www.rheinkurier.de/chunks", "response",
                                        payload=io.BytesIO(b"zz\r\n<html>kaputt</html>\r\n"), http_headers=http))
    data = buf.getvalue() + build(["deich"])
    docs, rejections, counts = read(data)
    assert [d.url for d in docs][-1] == "https://www.rheinkurier.de/region/deich"
    assert counts.records == 2 and counts.html >= 1 and len(docs) + len(rejections) == 2
