"""A small invented corpus for the web app tests, run through the real pipeline into a store.

Two stories told by several outlets (one with a figure the outlets report differently and a statement quoted by
two of them), and one hostile article: script tags, an ``onerror`` image and a ``javascript:`` link in its headline,
its text and a reader comment; plus a JSON Lines record with a ``javascript:`` URL and a script in its title.
"""

from __future__ import annotations

import json
from pathlib import Path

PWN = "window.__pwned"

BRIDGE_TXT = """Zum Inhalt springen
Talbote
Lokales  Region  Sport  Kultur
Region › Falkenried

Verkehr in FalkenriedFalkenrieder Talbrücke gesperrt: Pendler müssen Umwege fahren

Bei einer Routineprüfung haben Gutachter Risse in einem Pfeiler der Talbrücke entdeckt. Die Stadt hat die Brücke am Montag voll gesperrt.

Von Carla Neumann
05.10.2026, 09:14 Uhr

Falkenried TB | Seit Montagmorgen geht über die Talbrücke in Falkenried nichts mehr. Prüfer hatten am Freitag feine Risse in einem der drei Pfeiler gefunden, die Stadt sperrte das Bauwerk daraufhin für Autos, Radfahrer und Fußgänger. Rund 1.800 Pendler sind nach Angaben der Stadtverwaltung jeden Tag auf die Brücke angewiesen.

„Die Sicherheit der Menschen geht vor, auch wenn die Sperrung vielen wehtut“, sagte Bürgermeisterin Petra Lindholm am Montag im Rathaus. Wie lange die Brücke gesperrt bleibe, könne sie noch nicht sagen. Ein Gutachten soll bis Ende Oktober vorliegen.

Die Umleitung führt über die Landstraße nach Oberwiesen und verlängert den Weg in die Innenstadt um etwa zwölf Kilometer. Der Busverkehr wird ab Mittwoch über die Umleitung geführt, teilte der Verkehrsverbund Mittelland mit.

Die Talbrücke wurde im Jahr 1968 gebaut. Ihre Sanierung war für das kommende Jahr geplant.

Artikel teilen  Facebook  WhatsApp  E-Mail

2 Kommentare
Sortieren: Älteste zuerst  |  Neueste zuerst

Pendlerin_Mara
Leser seit 2020
05.10.2026 · 10:02 Uhr
Zwölf Kilometer Umweg jeden Morgen, das wird teuer. Gibt es wenigstens einen Ersatzbus?
Antworten   Melden

    Hans_aus_Oberwiesen
    Leser seit 2018
    05.10.2026 · 10:40 Uhr
    @Pendlerin_Mara: Der Bus fährt ab Mittwoch über Oberwiesen, steht im Artikel.
    Antworten   Melden

Impressum  |  Datenschutz  |  Kontakt
"""

BRIDGE_HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Risse im Pfeiler: Talbrücke Falkenried bleibt gesperrt | Hafenblatt</title>
<meta property="og:site_name" content="Hafenblatt">
<meta property="article:published_time" content="2026-10-06T07:30:00+02:00">
<link rel="canonical" href="https://www.hafenblatt.de/region/falkenried-talbruecke-gesperrt-4711.html">
</head><body>
<nav><a href="/">Start</a> <a href="/region">Region</a></nav>
<article>
<h1>Risse im Pfeiler: Talbrücke Falkenried bleibt gesperrt</h1>
<p class="lead">Die Stadt Falkenried hat ihre Talbrücke wegen Rissen in einem Pfeiler gesperrt. Pendler müssen einen weiten Umweg fahren.</p>
<p>Die Talbrücke in Falkenried bleibt bis auf Weiteres gesperrt. Gutachter hatten am vergangenen Freitag Risse in einem Pfeiler entdeckt. Betroffen sind nach Angaben der Stadt 2.000 Pendler, die die Brücke täglich nutzen.</p>
<p>„Die Sicherheit der Menschen geht vor, auch wenn die Sperrung vielen wehtut“, sagte Bürgermeisterin Petra Lindholm. Ein Gutachten soll Ende Oktober zeigen, ob die Brücke repariert werden kann oder abgerissen werden muss.</p>
<p>Der Verkehrsverbund Mittelland leitet seine Busse über Oberwiesen um. Die Fahrt in die Innenstadt dauert dadurch etwa eine Viertelstunde länger.</p>
</article>
<footer>© Hafenblatt 2026</footer>
</body></html>
"""

RECORDS = [
    {"id": "kb-1001", "url": "https://www.kreisbote.de/falkenried/talbruecke-gutachten-1001.html",
     "title": "Talbrücke Falkenried: Gutachter prüfen Pfeiler", "published": "2026-10-07", "outlet": "kreisbote.de",
     "text": "Falkenried. Nach der Sperrung der Talbrücke in Falkenried untersuchen Gutachter seit Dienstag den "
             "beschädigten Pfeiler. Rund 1.800 Pendler müssen weiter über Oberwiesen fahren. Bürgermeisterin Petra "
             "Lindholm sagte, die Stadt wolle die Ergebnisse des Gutachtens Ende Oktober öffentlich vorstellen. "
             "Die Talbrücke war im Jahr 1968 gebaut worden.\nDer Verkehrsverbund Mittelland kündigte an, zusätzliche "
             "Busse einzusetzen. „Wir lassen die Pendler nicht im Stich“, sagte Verbundchef Tobias Reuter am "
             "Dienstag."},
    {"id": "kb-1002", "url": "https://www.kreisbote.de/gruenwiese/stadtbibliothek-eroeffnet-1002.html",
     "title": "Neue Stadtbibliothek in Grünwiese öffnet ihre Türen", "published": "2026-10-03",
     "outlet": "kreisbote.de",
     "text": "Grünwiese. Nach drei Jahren Bauzeit hat die neue Stadtbibliothek in Grünwiese am Samstag eröffnet. "
             "Das Haus am Marktplatz bietet rund 40.000 Medien und einen Lesegarten. „Die Bibliothek ist das neue "
             "Wohnzimmer unserer Stadt“, sagte Bibliotheksleiterin Anke Vogt bei der Eröffnung. Der Bau kostete "
             "nach Angaben der Stadt 12 Millionen Euro.\nAm Eröffnungstag kamen mehr als 3.000 Besucherinnen und "
             "Besucher. Die Bibliothek ist künftig auch sonntags geöffnet."},
    {"id": "ab-77", "url": "https://www.abendzeitung-gw.de/kultur/stadtbibliothek-gruenwiese-77.html",
     "title": "Stadtbibliothek Grünwiese: Lesegarten und Sonntagsöffnung", "published": "2026-10-04",
     "outlet": "abendzeitung-gw.de",
     "text": "Grünwiese. Die neue Stadtbibliothek in Grünwiese hat am Samstag eröffnet. Mehr als 3.000 Besucher "
             "kamen am ersten Tag in das Haus am Marktplatz, das rund 40.000 Medien bereithält. „Die Bibliothek ist "
             "das neue Wohnzimmer unserer Stadt“, sagte Bibliotheksleiterin Anke Vogt. Der Neubau hat drei Jahre "
             "gedauert und 12 Millionen Euro gekostet.\nNeu ist die Öffnung am Sonntag, die das Land für zwei "
             "Jahre fördert."},
    # hostile metadata: a javascript: URL and markup in the title
    {"id": "javascript:alert('id')", "url": "javascript:window.__pwned='url'",
     "title": "Stadtfest <script>window.__pwned='jsonl-title'</script> in Grünwiese", "published": "2026-10-08",
     "outlet": "<b>evil</b>.example",
     "text": "Grünwiese. Das Stadtfest in Grünwiese beginnt am Freitag mit einem Umzug durch die Altstadt. "
             "<img src=x onerror=\"window.__pwned='jsonl-img'\"> Erwartet werden nach Angaben der Veranstalter "
             "rund 20.000 Gäste. „Wir freuen uns auf drei Tage Musik und Begegnung“, sagte Organisator Paul Winter."},
]

HOSTILE_TXT = """Zum Inhalt springen
Rundschau
Lokales  Region  Sport  Kultur
Region › Falkenried

Stadtrat beschließt neue Parkgebühren <script>window.__pwned='title';document.title='PWNED'</script><img src=x onerror="window.__pwned='title-img'">

Parken in der Innenstadt wird teurer. Der Stadtrat folgte nach langer Debatte dem Vorschlag der Verwaltung.

Von Max Vogel
07.10.2026, 08:03 Uhr

Der Stadtrat von Falkenried hat am Dienstag neue Parkgebühren für die Innenstadt beschlossen. <script>window.__pwned='text';alert('text')</script> Künftig kostet eine Stunde Parken 2,50 Euro statt bisher 1,80 Euro, wie Kämmerer Jonas Brandt nach der Sitzung sagte.

„Wir müssen die Innenstadt vom Verkehr entlasten“, sagte Brandt. Mehr dazu <a href="javascript:window.__pwned='link'">hier klicken</a> oder <a href="data:text/html,<script>alert(1)</script>">hier</a>. Die neuen Gebühren gelten ab dem 1. Januar 2027.

Die Opposition im Stadtrat kritisierte den Beschluss. <iframe src="javascript:window.__pwned='iframe'"></iframe> Die Händler der Innenstadt befürchten, dass weniger Kunden kommen.

3 Kommentare
Sortieren: Älteste zuerst  |  Neueste zuerst

Leser_mit_Skript
Leser seit 2021
07.10.2026 · 10:12 Uhr
Super Idee! <script>window.__pwned='comment';alert('comment')</script><img src=x onerror="window.__pwned='comment-img'">
Antworten   Melden

Anwohnerin_K
Leser seit 2019
07.10.2026 · 10:30 Uhr
Wer soll das bezahlen? </p></div><a href="javascript:window.__pwned='comment-link'">Beweis</a>
Antworten   Melden

Parkplatzsucher
07.10.2026 · 11:05 Uhr
Endlich wird etwas gegen den Verkehr getan.
Antworten   Melden

Impressum  |  Datenschutz  |  Kontakt
"""


# An HTML page whose headline, text and a reader comment carry markup as text (escaped in the page source, so it
# survives extraction as the characters "<script>…"), plus real script elements the extraction drops.
HOSTILE_HTML = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Streit um Parkgebühren &lt;script&gt;window.__pwned='html-title'&lt;/script&gt; | Talbote</title>
<meta property="og:site_name" content="Talbote">
<meta property="og:title" content="Streit um Parkgebühren &lt;script&gt;window.__pwned='html-title'&lt;/script&gt;">
<meta property="article:published_time" content="2026-10-08T06:15:00+02:00">
<meta property="og:url" content="javascript:window.__pwned='og-url'">
<script>window.__pwned = 'page-script';</script>
</head><body>
<article class="article">
  <header class="article-header">
    <h1 class="article-title">Streit um Parkgebühren &lt;script&gt;window.__pwned='html-title'&lt;/script&gt;</h1>
    <p class="lead">Die neuen Parkgebühren in Falkenried sorgen für Ärger bei den Händlern der Innenstadt.</p>
    <div class="article-meta"><span class="byline">Von <span class="byline-author">Lea Sommer</span></span>
      <time datetime="2026-10-08T06:15:00+02:00">08.10.2026, 06:15 Uhr</time></div>
  </header>
  <div class="article-body">
<p>Nach dem Beschluss des Stadtrats wächst in Falkenried der Widerstand gegen die neuen Parkgebühren. &lt;img src=x onerror="window.__pwned='html-img'"&gt; Der Einzelhandelsverband sammelt nach eigenen Angaben bereits Unterschriften gegen die Erhöhung.</p>
<p>„Die Innenstadt verliert ihre Kundschaft“, sagte Verbandssprecherin Ute Krämer am Mittwoch. &lt;a href="javascript:window.__pwned='html-link'"&gt;Petition&lt;/a&gt; Kämmerer Jonas Brandt verteidigte die Gebühren erneut.</p>
<script>window.__pwned = 'body-script';</script>
<p>Die Stadt will die Einnahmen nach eigenen Angaben in den Busverkehr stecken. Der Stadtrat berät im November erneut über das Thema.</p>
  </div>
  <div class="comment-list">
<div class="comment" id="comment-1" data-depth="0">
  <div class="comment-meta">
    <a class="comment-author" href="/profil/x">Skript_Kiddie</a>
    <time class="comment-date" datetime="2026-10-08T08:00:00+02:00">08.10.2026, 08:00 Uhr</time>
  </div>
  <div class="comment-text"><p>Tolle Idee &lt;script&gt;window.__pwned='html-comment';alert(1)&lt;/script&gt; wirklich.</p></div>
  <div class="comment-actions"><button type="button" class="btn-reply">Antworten</button></div>
</div>
<div class="comment" id="comment-2" data-depth="0">
  <div class="comment-meta">
    <a class="comment-author" href="/profil/y">Anwohner_B</a>
    <time class="comment-date" datetime="2026-10-08T08:20:00+02:00">08.10.2026, 08:20 Uhr</time>
  </div>
  <div class="comment-text"><p>Die Händler haben recht, die Innenstadt stirbt.</p></div>
  <div class="comment-actions"><button type="button" class="btn-reply">Antworten</button></div>
</div>
  </div>
</article>
</body></html>
"""


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "talbote_2026-10-05_falkenried-bruecke.txt").write_text(BRIDGE_TXT, encoding="utf-8")
    (folder / "hafenblatt_2026-10-06_talbruecke.html").write_text(BRIDGE_HTML, encoding="utf-8")
    (folder / "rundschau_2026-10-07_parkgebuehren.txt").write_text(HOSTILE_TXT, encoding="utf-8")
    (folder / "talbote_2026-10-08_parkgebuehren-streit.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (folder / "kreisbote_export.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    return folder


def build_store(folder: Path, target: str | None = None) -> Path | str:
    """The corpus run through the real pipeline into ``target`` (a database URL) or ``folder/web.db``."""
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    corpus = write_corpus(folder / "corpus")
    db = target or folder / "web.db"
    with open_store(str(db)) as store:
        summary = run([str(corpus)], store, Settings())
    assert summary.rejected == 0, summary.rejections
    return db
