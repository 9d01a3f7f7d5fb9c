"""The digest and the watchlists: the real pipeline on a few invented articles into a temporary store, then the
digest as a user gets it (CLI) and as the library builds it."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from pressespiegel.cli import app

runner = CliRunner()

# Invented articles. The Talheim bridge: one article three days old, one new (a growing story; the outlets disagree
# on the number of commuters). Selenskyj in two spellings (a new story). A hostile article (a new story).
OLD = [
    {"id": "tal-1", "outlet": "rheinkurier.de", "published": "2026-11-17",
     "url": "https://www.rheinkurier.de/region/talheim-neckarbruecke-gesperrt-101.html",
     "title": "Talheimer Neckarbrücke gesperrt: Risse im Tragwerk",
     "text": "Talheimer Neckarbrücke gesperrt: Risse im Tragwerk\n"
             "Talheim – Die Neckarbrücke in Talheim ist seit Montag für den gesamten Verkehr gesperrt. Bei einer "
             "Routineprüfung hatten Gutachter Risse im Tragwerk der Brücke entdeckt. Rund 1.800 Pendler müssen nun "
             "täglich einen Umweg von zwölf Kilometern fahren.\n"
             "„Die Sicherheit der Menschen geht vor, auch wenn die Sperrung für viele eine große Belastung ist“, "
             "sagte Bürgermeisterin Ulrike Hansen am Montag. Wie lange die Neckarbrücke gesperrt bleibt, ist noch "
             "offen. Das Landratsamt kündigte an, bis Ende der Woche ein weiteres Gutachten zum Tragwerk vorzulegen."},
]
NEW = [
    {"id": "tal-2", "outlet": "spreeblick24.de", "published": "2026-11-20",
     "url": "https://www.spreeblick24.de/region/neckarbruecke-talheim-monatelang-gesperrt-id5501.html",
     "title": "Neckarbrücke Talheim bleibt monatelang gesperrt",
     "text": "Neckarbrücke Talheim bleibt monatelang gesperrt\n"
             "Talheim – Die Neckarbrücke in Talheim bleibt nach dem Fund von Rissen im Tragwerk monatelang "
             "gesperrt. Das geht aus dem Gutachten hervor, das das Landratsamt am Freitag vorlegte. Etwa 2.000 "
             "Pendler müssen weiter den Umweg über die Bundesstraße fahren.\n"
             "„Wir brauchen jetzt schnell eine Behelfsbrücke für Fußgänger und Radfahrer“, sagte Bürgermeisterin "
             "Ulrike Hansen am Freitag. Die Sperrung der Neckarbrücke sei ein schwerer Schlag für die ganze Region."},
    {"id": "kyjiw-1", "outlet": "weserblatt.de", "published": "2026-11-20",
     "url": "https://www.weserblatt.de/politik/selenskyj-kyjiw-luftabwehr-id777.html",
     "title": "Selenskyj wirbt in Kyjiw um mehr Luftabwehr",
     "text": "Selenskyj wirbt in Kyjiw um mehr Luftabwehr\n"
             "Kyjiw. Der ukrainische Präsident Wolodymyr Selenskyj hat die europäischen Partner am Freitag erneut "
             "um zusätzliche Flugabwehrsysteme gebeten. „Jede Woche ohne Schutz kostet Menschenleben in unseren "
             "Städten“, sagte Selenskyj bei einem Treffen mit der dänischen Regierungschefin in Kyjiw.\n"
             "Nach Angaben der Stadtverwaltung waren in der Nacht zuvor mehr als 40 Drohnen über der Hauptstadt "
             "abgefangen worden. Verletzt wurde nach ersten Erkenntnissen niemand."},
    {"id": "kyjiw-2", "outlet": "nordwest-echo.de", "published": "2026-11-20",
     "url": "https://www.nordwest-echo.de/politik/selenskij-bittet-um-flugabwehr-4411.html",
     "title": "Selenskij bittet Europa um Flugabwehr",
     "text": "Selenskij bittet Europa um Flugabwehr\n"
             "Kiew – Der ukrainische Präsident Wolodymyr Selenskij hat Europa am Freitag um weitere "
             "Flugabwehrsysteme gebeten. „Jede Woche ohne Schutz kostet Menschenleben in unseren Städten“, sagte "
             "Selenskij in Kiew nach einem Treffen mit der dänischen Regierungschefin.\n"
             "In der Nacht hatte die Luftabwehr nach Angaben der Stadtverwaltung mehr als 40 Drohnen über der "
             "Hauptstadt abgefangen."},
    {"id": "fest-1", "outlet": "abendpost-md.de", "published": "2026-11-20", "url": "javascript:alert('url')",
     "title": "<script>alert('titel')</script>Stadtfest in Brakenhude trotz Regen gut besucht",
     "text": "<script>alert('titel')</script>Stadtfest in Brakenhude trotz Regen gut besucht\n"
             "Brakenhude – Trotz Dauerregen sind am Samstag mehrere tausend Besucher zum Stadtfest in Brakenhude "
             "gekommen. <script>alert('text')</script> Auf dem Marktplatz spielten fünf Bands aus der Region.\n"
             "„<script>alert('zitat')</script> Wir lassen uns vom Wetter nicht die Laune verderben“, sagte "
             "Festleiter Jan Oltrogge am Samstagabend. <img src=x onerror=alert('img')> Im kommenden Jahr soll das "
             "Stadtfest in Brakenhude erstmals drei Tage dauern."},
]


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """OLD ingested three days ago, NEW just now, by the real pipeline."""
    from pressespiegel.config import Settings
    from pressespiegel.pipeline import run
    from pressespiegel.store import open_store

    folder = tmp_path_factory.mktemp("digest")
    path = folder / "presse.db"
    with open_store(str(path)) as store:
        assert run([str(_jsonl(folder / "old.jsonl", OLD))], store, Settings()).stored == 1
    three_days_ago = (datetime.now(UTC) - timedelta(days=3)).replace(microsecond=0).isoformat()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE documents SET ingested_at = ?", (three_days_ago,))
    with open_store(str(path)) as store:
        summary = run([str(_jsonl(folder / "new.jsonl", NEW))], store, Settings())
        assert summary.stored == len(NEW) and summary.rejected == 0
    return path


def cli(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _story_of(db: Path, source: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT story_id FROM documents WHERE source = ?", (source,)).fetchone()[0]


def _built(db: Path, since: str = "24h", until: str | None = None, by: str = "ingested", **kw):
    from pressespiegel.review.digest import Window, build
    from pressespiegel.store import open_store

    with open_store(str(db)) as store:
        return build(store, Window.parse(since, until, by), **kw)


# --- the digest ----------------------------------------------------------------------------------------------------


def test_corpus_groups_as_intended(db):
    assert _story_of(db, "tal-1") == _story_of(db, "tal-2")
    assert _story_of(db, "kyjiw-1") == _story_of(db, "kyjiw-2")
    assert len({_story_of(db, s) for s in ("tal-1", "kyjiw-1", "fest-1")}) == 3


def test_digest_lists_new_and_growing_stories(db):
    d = _built(db)
    assert not d.empty and d.n_articles == 4 and d.n_outlets == 4
    assert [s.title for s in d.growing] == ["Talheimer Neckarbrücke gesperrt: Risse im Tragwerk"]
    talheim = d.growing[0]
    assert (talheim.n_new, talheim.n_before) == (1, 1)
    assert [a.row.source for a in talheim.articles] == ["tal-2"]  # only the new article is listed
    assert talheim.outlets == [("spreeblick24.de", 1)]
    new = {s.title: s for s in d.new}
    assert set(new) == {"Selenskyj wirbt in Kyjiw um mehr Luftabwehr",
                        "<script>alert('titel')</script>Stadtfest in Brakenhude trotz Regen gut besucht"}
    kyjiw = new["Selenskyj wirbt in Kyjiw um mehr Luftabwehr"]
    assert kyjiw.n_new == 2 and {o for o, _ in kyjiw.outlets} == {"weserblatt.de", "nordwest-echo.de"}
    assert ("Wolodymyr Selenskyj", "PER", 2) in kyjiw.entities  # both spellings count for one person
    said = [q for q in kyjiw.quotes if q.text.startswith("Jede Woche ohne Schutz")]
    assert said and said[0].speaker == "Wolodymyr Selenskyj" and len(said[0].outlets) == 2  # "in 2 Medien"
    with sqlite3.connect(db) as conn:  # a source phrase is stored as a speaker, but is no statement of the story
        phrases = {r[0] for r in conn.execute("SELECT speaker FROM quotes WHERE kind = 'indirect'")}
    assert "ersten Erkenntnissen" in phrases and "ersten Erkenntnissen" not in {q.speaker for q in kyjiw.quotes}
    # the outlets disagree on the commuters: 1.800 (the old article) against 2.000 (the new one)
    (conflict,) = talheim.conflicts
    assert [s.outlet for s in conflict.sides] == ["rheinkurier.de", "spreeblick24.de"]
    assert [s.text for s in conflict.sides] == ["Rund 1.800 Pendler", "Etwa 2.000 Pendler"]
    assert d.conflicts == [conflict] and conflict.anchor == talheim.anchor


def test_the_cli_writes_html_and_markdown(db, tmp_path):
    html_file, md_file = tmp_path / "d.html", tmp_path / "d.md"
    result = cli("digest", "--db", str(db), "--since", "24h", "--out", str(html_file))
    assert result.exit_code == 0, result.output
    assert "digest: 2 new and 1 growing stories, 4 new articles" in result.output
    html = html_file.read_text(encoding="utf-8")
    for title in ("Selenskyj wirbt in Kyjiw um mehr Luftabwehr", "Neckarbrücke Talheim bleibt monatelang gesperrt",
                  "Talheimer Neckarbrücke gesperrt: Risse im Tragwerk", "Neue Themen", "Weiterdrehs",
                  "Abweichende Zahlen", "Etwa 2.000 Pendler", "in 2 Medien"):
        assert title in html, title
    growing = html.index("Weiterdrehs: Themen")
    assert html.index("Neue Themen", 1000) < html.index("Selenskyj wirbt", 1000) < growing
    assert growing < html.index("Neckarbrücke Talheim bleibt monatelang gesperrt", growing)
    result = cli("--quiet", "digest", "--db", str(db), "--since", "1d", "--format", "md")
    assert result.exit_code == 0
    md = result.stdout
    assert md.startswith("# Pressespiegel")
    assert "## Neue Themen" in md and "## Weiterdrehs: Themen mit neuen Artikeln" in md
    assert "### 1. Selenskyj wirbt in Kyjiw um mehr Luftabwehr" in md
    assert "Weiterdreh: 1 neu, bisher 1 Artikel" in md
    assert "[Neckarbrücke Talheim bleibt monatelang gesperrt](<https://www.spreeblick24.de/region/" in md
    md_file.write_text(md, encoding="utf-8")


def test_the_html_is_made_for_email_clients(db):
    from pressespiegel.review.digest import render

    html = render(_built(db), "html")
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//style | //script | //link | //img | //iframe | //form")
    assert tree.xpath("//table[@role='presentation']") and tree.xpath("//*[@style]")
    assert not tree.xpath("//*[@class]")  # nothing depends on a stylesheet
    assert not [k for el in tree.iter() for k in getattr(el, "attrib", {}) if k.lower().startswith("on")]


def test_every_quote_and_figure_links_to_its_article_span(db):
    from pressespiegel.store import open_store

    d = _built(db)
    quotes = [q for s in d.new + d.growing for q in s.quotes]
    sides = [side for c in d.conflicts for side in c.sides]
    assert quotes and sides
    with open_store(str(db)) as store:
        for q in quotes:
            src = q.source
            text = store.document(src.article.id).text
            assert q.text.replace(" …", "") in text[src.start:src.end] or \
                text[src.start:src.end].startswith(q.text.rstrip(" …"))
            assert src.ref == f"Artikel {src.article.id}, Zeichen {src.start}–{src.end}"
            if src.article.url and src.article.url.startswith("https://"):
                assert src.href.startswith(src.article.url + "#:~:text=")
        for side in sides:
            src = side.source
            assert store.document(src.article.id).text[src.start:src.end] == side.text
            assert src.href.startswith(src.article.url + "#:~:text=") and "%20" in src.href


def test_links_to_the_web_app_with_a_base_url(db):
    from pressespiegel.review.digest import Links

    d = _built(db, base_url="http://127.0.0.1:8000/")
    talheim = d.growing[0]
    assert talheim.href == f"http://127.0.0.1:8000/stories/{_story_of(db, 'tal-1')}"
    (article,) = talheim.articles
    assert article.href == f"http://127.0.0.1:8000/articles/{article.row.id}"
    for side in talheim.conflicts[0].sides:  # the article page's anchors: f-START for figures, q-START for quotes
        assert side.source.href == f"http://127.0.0.1:8000/articles/{side.source.article.id}#f-{side.source.start}"
    for q in talheim.quotes:
        assert q.source.href == f"http://127.0.0.1:8000/articles/{q.source.article.id}#q-{q.source.start}"
    for bad in ("javascript:alert(1)", "127.0.0.1:8000", "http://x y/", "ftp://host"):
        with pytest.raises(ValueError, match="base URL"):
            Links(bad)
    result = runner.invoke(app, ["digest", "--db", str(db), "--base-url", "javascript:alert(1)"])
    assert result.exit_code == 2 and "base URL" in result.output


def test_text_fragment_encodes_the_span():
    from pressespiegel.review.digest import text_fragment

    assert text_fragment("Etwa 2.000 Pendler") == "Etwa%202.000%20Pendler"
    assert text_fragment("Zwei-Drittel, sagte sie") == "Zwei%2DDrittel%2C%20sagte%20sie"
    long = "Jede Woche ohne Schutz kostet Menschenleben in unseren Städten und Dörfern"
    assert text_fragment(long) == "Jede%20Woche%20ohne%20Schutz,unseren%20St%C3%A4dten%20und%20D%C3%B6rfern"


def test_hostile_article_text_comes_out_escaped(db):
    from pressespiegel.review.digest import render

    d = _built(db)
    fest = next(s for s in d.new if "Stadtfest" in s.title)
    assert fest.articles[0].href.startswith("file://")  # the javascript: URL is no link; the input file is
    assert any("<script>alert('zitat')</script>" in q.text for q in fest.quotes)  # the planted quote is there …
    html = render(d, "html")
    assert "<script" not in html.lower() and "<img" not in html.lower()  # … and comes out as text
    assert "&lt;script&gt;alert(&#39;titel&#39;)&lt;/script&gt;Stadtfest" in html
    assert "&lt;script&gt;alert(&#39;zitat&#39;)&lt;/script&gt;" in html
    assert "javascript:" not in html
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script | //img")
    assert "<script>alert('titel')</script>Stadtfest" in tree.text_content()
    hrefs = tree.xpath("//a/@href")
    assert hrefs and all(h.startswith(("https://", "http://", "file://", "#")) for h in hrefs)
    md = render(d, "md")
    assert "\\<script\\>alert('titel')\\</script\\>Stadtfest" in md and "javascript:" not in md
    as_html = MarkdownIt("commonmark").render(md)  # what a mail or chat client makes of the Markdown
    assert "<script" not in as_html and "<img" not in as_html
    assert "&lt;script&gt;alert('zitat')&lt;/script&gt;" in as_html
    rendered = lxml.html.fromstring(as_html)
    assert all(h.startswith(("https://", "file://")) for h in rendered.xpath("//a/@href"))


def test_an_empty_window_says_nothing_new(db):
    for fmt in ("html", "md"):
        result = cli("digest", "--db", str(db), "--since", "2001-01-01", "--until", "2001-01-02", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "Nichts Neues" in result.stdout and "keine neuen Artikel" in result.stdout
        assert "1. Januar 2001, 00:00 Uhr" in result.stdout and "2. Januar 2001, 24:00 Uhr" in result.stdout
        assert "Neue Themen" not in result.stdout and "digest: nothing new" in result.output
    assert _built(db, "2001-01-01", "2001-01-02").empty


def test_window_by_publication_date(db):
    d = _built(db, "2026-11-20", "2026-11-20", by="published")
    assert d.n_articles == 4 and [s.n_before for s in d.growing] == [1]
    d = _built(db, "2026-11-17", "2026-11-17", by="published")
    assert [s.title for s in d.new] == ["Talheimer Neckarbrücke gesperrt: Risse im Tragwerk"] and not d.growing
    # by ingest time the old article is three days old
    assert _built(db, "4d", "2d").n_articles == 1


# --- watchlists ----------------------------------------------------------------------------------------------------


def test_watchlist_with_a_variant_spelling_finds_the_person(db, tmp_path):
    lists = tmp_path / "w.toml"
    result = cli("watchlist", "add", "ukraine", "--entity", "Zelensky", "--db", str(db), "--watchlists", str(lists))
    assert result.exit_code == 0, result.output
    assert "not in the store" not in result.output  # "Zelensky" is the stored "Wolodymyr Selenskyj"
    result = cli("--quiet", "digest", "--db", str(db), "--watchlists", str(lists), "-w", "ukraine", "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "Selenskyj wirbt in Kyjiw" in md and "Selenskij bittet Europa" in md
    assert "Talheim" not in md and "Stadtfest" not in md
    assert "## Neue Zitate beobachteter Personen" in md and "### Wolodymyr Selenskyj" in md
    assert "Jede Woche ohne Schutz kostet Menschenleben" in md.split("## Neue Zitate beobachteter Personen")[1]


def test_watchlist_keywords_and_outlets(db):
    from pressespiegel.review.digest import render
    from pressespiegel.watchlists import Watchlist

    d = _built(db, watchlist=Watchlist("bruecke", keywords=["Behelfsbrücke"]))
    assert [a.row.source for s in d.new + d.growing for a in s.articles] == ["tal-2"]
    d = _built(db, watchlist=Watchlist("drohnen", keywords=["drohne"]))  # word start, any case, inflected
    assert sorted(a.row.source for s in d.new + d.growing for a in s.articles) == ["kyjiw-1", "kyjiw-2"]
    d = _built(db, watchlist=Watchlist("abwehr", keywords=["*abwehr"]))  # inside words: "Flugabwehrsysteme"
    assert sorted(a.row.source for s in d.new + d.growing for a in s.articles) == ["kyjiw-1", "kyjiw-2"]
    d = _built(db, watchlist=Watchlist("x", keywords=["abwehr"]))
    assert d.empty
    d = _built(db, watchlist=Watchlist("nw", outlets=["https://www.Nordwest-Echo.de/"]))
    assert [a.row.source for s in d.new + d.growing for a in s.articles] == ["kyjiw-2"]
    d = _built(db, watchlist=Watchlist("nw", entities=["Ulrike Hansen"], outlets=["weserblatt"]))
    assert d.empty and "Nichts Neues" in render(d, "md") and "Beobachtungsliste „nw“" in render(d, "md")
    d = _built(db, watchlist=Watchlist("hansen", entities=["Hansen"]))  # a surname alone finds the full name
    assert [s.title for s in d.growing] == ["Talheimer Neckarbrücke gesperrt: Risse im Tragwerk"] and not d.new
    assert [name for name, _ in d.watched] == ["Ulrike Hansen"]
    d = _built(db, watchlist=Watchlist("nobody", entities=["Erika Mustermann"]))
    assert d.empty and d.unresolved == ["Erika Mustermann"]


def test_digest_without_watchlist_lists_quotes_of_everyone_watched(db, tmp_path):
    from pressespiegel.watchlists import Watchlist, save

    lists = save(tmp_path / "w.toml", [Watchlist("a", entities=["Selenskij"]), Watchlist("b", entities=["Hansen"])])
    result = cli("--quiet", "digest", "--db", str(db), "--watchlists", str(lists), "--format", "md")
    md = result.stdout
    assert "Stadtfest" in md  # no filter
    watched = md.split("## Neue Zitate beobachteter Personen")[1]
    assert "### Wolodymyr Selenskyj" in watched and "### Ulrike Hansen" in watched


def test_watchlists_from_the_config_file(db, tmp_path):
    config = tmp_path / "settings.toml"
    config.write_text('[digest]\nwatchlists = "lists/meine.toml"\n', encoding="utf-8")
    assert cli("--config", str(config), "watchlist", "add", "lokal", "--outlet", "rheinkurier.de",
               "--db", str(db)).exit_code == 0
    assert (tmp_path / "lists" / "meine.toml").exists()
    result = cli("--config", str(config), "--quiet", "watchlist", "list", "--db", str(db))
    assert result.stdout == "lokal\tentities: -\tkeywords: -\toutlets: rheinkurier.de\n"


def test_watchlist_commands_add_merge_list_remove(db, tmp_path):
    from pressespiegel.watchlists import load

    lists = tmp_path / "w.toml"
    opts = ["--db", str(tmp_path / "none.db"), "--watchlists", str(lists)]
    assert cli("watchlist", "add", "bahn", "-e", "VZL", "-k", "Streik", *opts).exit_code == 0
    assert cli("watchlist", "add", "bahn", "-k", "Warnstreik", "-k", "Streik", "--outlet", "weserblatt.de",
               *opts).exit_code == 0
    assert cli("watchlist", "add", "fest", "-k", "Stadtfest", *opts).exit_code == 0
    got = load(lists)
    assert list(got) == ["bahn", "fest"]
    assert (got["bahn"].entities, got["bahn"].keywords, got["bahn"].outlets) == \
        (["VZL"], ["Streik", "Warnstreik"], ["weserblatt.de"])
    listed = cli("--quiet", "watchlist", "list", *opts).stdout.splitlines()
    assert listed == ["bahn\tentities: VZL\tkeywords: Streik, Warnstreik\toutlets: weserblatt.de",
                      "fest\tentities: -\tkeywords: Stadtfest\toutlets: -"]
    assert cli("watchlist", "remove", "fest", *opts).exit_code == 0
    assert list(load(lists)) == ["bahn"]
    missing = runner.invoke(app, ["watchlist", "remove", "fest", *opts])
    assert missing.exit_code == 2 and "no watchlist 'fest'" in missing.output
    empty = runner.invoke(app, ["watchlist", "add", "leer", *opts])
    assert empty.exit_code == 2 and "at least one" in empty.output
    bad = runner.invoke(app, ["watchlist", "add", "<b>x</b>", "-k", "a", *opts])
    assert bad.exit_code == 2 and "invalid watchlist name" in bad.output
    unknown = runner.invoke(app, ["digest", "--db", str(db), "-w", "gibtsnicht", "--watchlists", str(lists)])
    assert unknown.exit_code == 2 and "no watchlist 'gibtsnicht'" in unknown.output and "bahn" in unknown.output


@pytest.mark.parametrize("content, message", [
    ("[watchlists.kaputt\nentities = [", "is not valid TOML"),
    ("[watchlists.a]\nentities = 5\n", "entities must be a list of strings"),
    ("[watchlists.a]\nentitys = ['Selenskyj']\n", "unknown key(s) entitys"),
    ("[watchlists.a]\nentities = []\n", "watchlist 'a' is empty"),
    ("[watch.a]\nentities = ['x']\n", "unknown top-level key(s) watch"),
    ("watchlists = 3\n", "must be a table of watchlists"),
    ('[watchlists."<script>"]\nkeywords = ["x"]\n', "invalid watchlist name"),
    ("[watchlists.a]\nkeywords = ['***']\n", "must contain a letter or digit"),
])
def test_a_malformed_watchlist_file_is_a_clear_error(db, tmp_path, content, message):
    lists = tmp_path / "w.toml"
    lists.write_text(content, encoding="utf-8")
    for args in (["digest", "--db", str(db)], ["watchlist", "list", "--db", str(db)],
                 ["watchlist", "add", "neu", "-k", "x", "--db", str(db)]):
        result = runner.invoke(app, [*args, "--watchlists", str(lists)])
        assert result.exit_code == 3, (args, result.output)
        assert message in result.output and str(lists) in result.output
        assert "Traceback" not in result.output
    assert lists.read_text(encoding="utf-8") == content  # nothing was overwritten


def test_watchlist_library_roundtrip(tmp_path):
    from pressespiegel.watchlists import Watchlist, WatchlistError, add, default_path, dumps, load, remove, save

    path = tmp_path / "sub" / "w.toml"
    assert load(path) == {}
    save(path, [Watchlist("Bahn & Streik".replace(" & ", "-"), entities=["VZL", 'Anna "Nanni" Berg'],
                          keywords=["Streik"], outlets=["www.weserblatt.de"])])
    (w,) = load(path).values()
    assert w.name == "Bahn-Streik" and w.entities == ["VZL", 'Anna "Nanni" Berg'] and w.outlets == ["weserblatt.de"]
    assert add(path, Watchlist("Bahn-Streik", keywords=["Warnstreik"])).keywords == ["Streik", "Warnstreik"]
    with pytest.raises(KeyError):
        remove(path, "gibt es nicht")
    with pytest.raises(WatchlistError):
        save(path, [Watchlist("leer")])
    assert "Warnstreik" in path.read_text(encoding="utf-8")  # a failed save leaves the file as it was
    assert "[watchlists.Bahn-Streik]" in dumps(load(path).values())
    assert default_path("data/presse.db") == Path("data/watchlists.toml")
    assert default_path("postgresql://host/db") == Path("watchlists.toml")
    assert default_path("presse.db", "/etc/w.toml") == Path("/etc/w.toml")


# --- the window ----------------------------------------------------------------------------------------------------


def test_since_and_until_forms():
    from pressespiegel.review.digest import Window, parse_time

    now = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)
    assert parse_time("24h", now) == now - timedelta(hours=24)
    assert parse_time("7d", now) == now - timedelta(days=7)
    assert parse_time("90m", now) == now - timedelta(minutes=90)
    assert parse_time("2w", now) == now - timedelta(weeks=2)
    assert parse_time("now", now) == now
    assert parse_time("2026-11-16T08:00+01:00", now) == datetime(2026, 11, 16, 7, 0, tzinfo=UTC)
    start = parse_time("2026-11-16", now)
    assert start.tzinfo is not None and start.astimezone().replace(tzinfo=None) == datetime(2026, 11, 16)
    assert parse_time("2026-11-16", now, end=True) - start == timedelta(days=1)
    for bad in ("gestern", "24x", "2026-13-01", ""):
        with pytest.raises(ValueError, match="cannot read"):
            parse_time(bad, now)
    with pytest.raises(ValueError, match="window is empty"):
        Window.parse("2026-11-20", "2026-11-19", now=now)
    w = Window.parse("2026-11-16", "2026-11-20", by="published", now=now)
    assert w.days == ("2026-11-16", "2026-11-20")


def test_bad_window_options_are_usage_errors(db):
    for args in (["--since", "gestern"], ["--since", "1d", "--until", "3d"], ["--by", "fetched"],
                 ["--format", "pdf"]):
        result = runner.invoke(app, ["digest", "--db", str(db), *args])
        assert result.exit_code == 2, args
        assert "Traceback" not in result.output


def test_digest_needs_an_existing_database(tmp_path):
    result = runner.invoke(app, ["digest", "--db", str(tmp_path / "fehlt.db")])
    assert result.exit_code == 3 and "no database at" in result.output


def test_help_shows_examples():
    assert "Example: pressespiegel digest" in cli("digest", "--help").output
    for command in ("list", "add", "remove"):
        assert "Example: pressespiegel watchlist " + command in cli("watchlist", command, "--help").output


def test_an_article_without_headline_is_headed_by_its_first_words():
    """A pasted page that lost its headline is shown under its first words (report and digest), not under the name
    of the file it came from; a headline is shown as it is."""
    from pressespiegel.review.report import heading
    from pressespiegel.store.base import ArticleRow

    fields = ArticleRow.__dataclass_fields__
    base = {name: None for name in fields}
    text = ("\nDie Verbündeten wollen die Flussdeiche am Oberlauf bis zum Frühjahr verstärken und die Pumpwerke erneuern, "
            "sagte die Landrätin.\nZweiter Absatz.")
    row = ArticleRow(**{**base, "id": 1, "source": "dumps/seite-17.txt", "title": None, "text": text})
    assert heading(row).startswith("Die Verbündeten wollen die Flussdeiche") and heading(row).endswith(" …")
    assert len(heading(row)) <= 92 and "seite-17" not in heading(row)
    assert heading(ArticleRow(**{**base, "id": 2, "source": "x.txt", "title": "Deiche werden erhöht", "text": text})) \
        == "Deiche werden erhöht"
    assert heading(ArticleRow(**{**base, "id": 3, "source": "leer.txt", "title": None, "text": ""})) == "leer.txt"
