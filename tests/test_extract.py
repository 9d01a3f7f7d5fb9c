import pytest

from pressespiegel.extract import ExtractionError, extract, metadata
from pressespiegel.extract import html as html_extract
from pressespiegel.extract.textdump import segment
from pressespiegel.model import RawDocument

DUMP = """matomo noscript img
Startseite | Politik | Region

Hochwasser an der Erft
Deich bei Auenbach gebrochen – 2.400 Menschen evakuiert

Montag, 02. November 2026 | 23:41 Uhr

Auenbach (dpa) – In der Nacht zum Dienstag ist bei Auenbach ein Deich an der Erft gebrochen. Rund 2.400 Menschen mussten ihre Häuser verlassen, wie der Kreis mitteilte.
Feuerwehrleute sichern einen Sandsackwall am Ortsrand von Auenbach am späten Abend
Foto: Rheinkurier/Max Stein
„Wir haben die Lage im Griff, aber die Nacht wird lang“, sagte Landrat Heiner Kassel am Abend.

Wie geht es weiter?

Die Pegel sollen erst am Mittwoch sinken. Das Technische Hilfswerk ist mit 120 Kräften im Einsatz.

RK+ jetzt 4 Wochen gratis testen – monatlich kündbar

Mehr zum Thema
Pegelstände am Rhein: Die aktuelle Lage
So schützen Sie Ihr Haus vor Hochwasser

3 Kommentare
Neueste zuerst
Erftkind
Top-Kommentator
vor 2 Stunden
Hoffentlich kommen alle heil durch die Nacht. Danke an die Helfer!
Antworten
Melden
@Erftkind: Dat kütt schon widder en Ordnung, mer sin jo Kölsche.
Antworten
Pegelgucker
vor 1 Stunde
Der Deich war seit Jahren marode, das wusste jeder.
Ich hoffe, jetzt wird endlich saniert.
Yesterday
"""


def _kinds(text):
    seg = segment(text)
    lines = text.split("\n")
    return {lines[label.line - 1].strip(): label.kind for label in seg.labels}, seg


def test_dump_lines_are_labelled():
    kinds, seg = _kinds(DUMP)
    assert kinds["matomo noscript img"] == "boilerplate"
    assert kinds["Startseite | Politik | Region"] == "boilerplate"
    assert kinds["Hochwasser an der Erft"] == "body"
    assert kinds["Wie geht es weiter?"] == "body"  # in-article subheading
    assert kinds["Foto: Rheinkurier/Max Stein"] == "boilerplate"
    assert kinds["Feuerwehrleute sichern einen Sandsackwall am Ortsrand von Auenbach am späten Abend"] == "boilerplate"
    assert kinds["RK+ jetzt 4 Wochen gratis testen – monatlich kündbar"] == "boilerplate"
    assert kinds["Pegelstände am Rhein: Die aktuelle Lage"] == "boilerplate"
    assert kinds["3 Kommentare"] == "boilerplate" and kinds["Neueste zuerst"] == "boilerplate"
    assert kinds["Erftkind"] == "comment" and kinds["vor 2 Stunden"] == "comment"
    assert kinds["Antworten"] == "boilerplate"
    assert kinds["Yesterday"] == "boilerplate"
    # every non-blank line has exactly one label, numbered like `nl -ba`
    numbered = [i + 1 for i, line in enumerate(DUMP.split("\n")) if line.strip()]
    assert [label.line for label in seg.labels] == numbered


def test_dump_comments_are_structured():
    _, seg = _kinds(DUMP)
    assert [c.author for c in seg.comments] == ["Erftkind", None, "Pegelgucker"]
    assert seg.comments[0].posted == "vor 2 Stunden"
    assert seg.comments[1].reply_to == 0 and "Kölsche" in seg.comments[1].text
    assert seg.comments[2].text == "Der Deich war seit Jahren marode, das wusste jeder.\nIch hoffe, jetzt wird endlich saniert."


def test_dump_document_metadata():
    doc = extract(RawDocument(source="d.txt", kind="text", content=DUMP))
    assert doc.title == "Deich bei Auenbach gebrochen – 2.400 Menschen evakuiert"  # the kicker is not the title
    assert doc.published == "2026-11-02"
    assert doc.outlet == "rheinkurier.de"
    assert doc.agencies == ["dpa"]
    assert "Kölsche" not in doc.text and "Foto:" not in doc.text
    assert doc.text.startswith("Hochwasser an der Erft\nDeich bei Auenbach")


def test_reference_date_is_a_fallback_never_today():
    text = "Überschrift\nEin Absatz ohne Datum, der lang genug ist, um als Artikeltext zu gelten."
    assert extract(RawDocument(source="a", kind="text", content=text)).published is None
    assert extract(RawDocument(source="a", kind="text", content=text), published="2024-12-03").published == "2024-12-03"


def test_clean_input_keeps_every_line():
    text = "Titel\n\nErster Absatz.\nFoto: kein Bildnachweis, sondern Text"
    doc = extract(RawDocument(source="a", kind="text", content=text), clean=True)
    assert doc.text == "Titel\nErster Absatz.\nFoto: kein Bildnachweis, sondern Text"
    assert [x.line for x in doc.lines] == [1, 3, 4] and {x.kind for x in doc.lines} == {"body"}


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Streik legt Bahn lahm | Isartaler Nachrichten</title>
<meta property="og:site_name" content="Isartaler Nachrichten">
<meta property="og:title" content="Streik legt Bahn lahm">
<meta property="article:published_time" content="2026-11-12T07:15:00+01:00">
</head><body><nav><a href="/">Startseite</a> <a href="/politik">Politik</a></nav>
<article><h1>Streik legt Bahn lahm</h1>
<p class="lead">München – Seit Donnerstagmorgen 3 Uhr stehen die Züge der Nordbahn still. Die Gewerkschaft VZL hat zu einem 48-stündigen Ausstand aufgerufen.</p>
<p>Am Hauptbahnhof warteten am Morgen Hunderte Pendler vergeblich auf ihre Züge. Die Nordbahn richtete einen Notfahrplan ein, auf dem nur etwa jeder fünfte Zug fährt.</p>
<p>„Wir lassen uns nicht länger hinhalten“, sagte VZL-Chef Torsten Brück. Ein Sprecher der Nordbahn nannte den Streik unverhältnismäßig.</p>
</article>
<aside><h3>Mehr zum Thema</h3><ul><li><a href="/a">Was Pendler jetzt wissen müssen</a></li></ul></aside>
<section id="comments"><h2>Kommentare (2)</h2>
<div class="comment"><span class="author">Pendler_Max</span><time datetime="2026-11-12T08:01:00+01:00">vor 3 Stunden</time>
<div class="comment-text"><p>Schon wieder! Ich komme heute gar nicht zur Arbeit.</p><p>Danke für nichts.</p></div>
<button>Antworten</button>
<div class="replies"><div class="comment"><span class="author">IsarLiesl</span><time datetime="2026-11-12T08:30:00+01:00">vor 2 Stunden</time>
<div class="comment-text"><p>Die Lokführer haben aber recht.</p></div></div></div></div>
</section>
<footer>© 2026 Isartaler Nachrichten · Impressum · Datenschutz</footer>
</body></html>"""


def test_html_article_without_comment_widget():
    doc = extract(RawDocument(source="p.html", kind="html", content=PAGE, is_html=True))
    assert doc.title == "Streik legt Bahn lahm"
    assert doc.text.startswith("Streik legt Bahn lahm\n")
    assert "Hinhalten" not in doc.text and "hinhalten" in doc.text
    for leak in ("Schon wieder", "Lokführer haben", "Antworten", "Impressum", "Mehr zum Thema"):
        assert leak not in doc.text
    assert doc.outlet == "isartaler-nachrichten.de" and doc.published == "2026-11-12"


def test_html_comments_are_structured():
    doc = extract(RawDocument(source="p.html", kind="html", content=PAGE, is_html=True))
    first, reply = doc.comments
    assert first.author == "Pendler_Max" and first.posted == "2026-11-12T08:01:00+01:00"
    assert first.text == "Schon wieder! Ich komme heute gar nicht zur Arbeit.\nDanke für nichts."
    assert reply.author == "IsarLiesl" and reply.reply_to == 0 and reply.text == "Die Lokführer haben aber recht."


def test_html_without_text_is_an_extraction_error():
    with pytest.raises(ExtractionError):
        extract(RawDocument(source="p.html", kind="html", content="<html><script>x()</script></html>", is_html=True))


def test_fragment_text_keeps_blocks_and_drops_scripts():
    import trafilatura

    tree = trafilatura.load_html("<div><p>Eins <b>fett</b>.</p><script>evil()</script><p>Zwei.</p></div>")
    assert html_extract.fragment_text(tree) == "Eins fett.\nZwei."


def test_metadata_helpers():
    assert metadata.page_date(["Dienstag, 03. Dezember 2024 | 18:57 Uhr"]) == \
        ("2024-12-03", "Dienstag, 03. Dezember 2024 | 18:57 Uhr")
    assert metadata.page_date(["Die Firma wurde am 5. Dezember 1994 gegründet und hat heute 1.200 Beschäftigte."]) is None
    assert metadata.page_date(["Innsbruck, 5. Jänner 2027"]) == ("2027-01-05", "Innsbruck, 5. Jänner 2027")
    assert metadata.agencies(["Von: APA/Reuters/dpa"]) == ["APA", "Reuters", "dpa"]
    assert metadata.agencies(["Berlin (AFP) – Die Ministerin ..."]) == ["AFP"]
    assert metadata.agencies(["Die dpa berichtete, sagte ein Sprecher."]) == []
    assert metadata.outlet_from_text(["Jetzt unterstützen auf taz.de ohne Paywall"])[0] == "taz.de"
    assert metadata.dateline_outlet(["Brüssel taz | In der Nato hat eine Debatte begonnen."])[0] == "taz.de"


def test_a_date_in_the_file_name_is_the_publication_date_when_the_text_has_none(tmp_path):
    from pressespiegel.extract import extract
    from pressespiegel.model import RawDocument

    text = "Warnstreik legt Busse lahm\nBrakenhude (dpa) –\n\nEin Warnstreik hat am Dienstag den Nahverkehr lahmgelegt.\n"
    raw = RawDocument(source="x", kind="text", content=text, path=str(tmp_path / "dd_2026-03-10_warnstreik.txt"))
    doc = extract(raw, published="2026-11-21")
    assert doc.published == "2026-03-10" and doc.evidence["published"].startswith("file name")
    for name in ("bericht_20260310.txt", "2026-13-45_x.txt", "x.txt"):
        other = extract(RawDocument(source="x", kind="text", content=text, path=str(tmp_path / name)))
        assert other.published == {"bericht_20260310.txt": "2026-03-10"}.get(name)
