"""End-to-end: the `pressespiegel` command on the example corpus, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from pressespiegel.cli import app

CONTRACT = {"source", "title", "outlet", "published", "language", "text", "lines", "comments", "entities", "quotes",
            "timexes"}

runner = CliRunner()


def cli(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_every_command_help_shows_an_example():
    for command in ("analyze", "run", "report", "export", "search", "status"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: pressespiegel " + command in result.output


def test_analyze_prints_contract_fields_for_every_kind():
    paths = [str(p) for p in sorted(EXAMPLES.iterdir())]
    result = cli("--quiet", "analyze", *paths)
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) >= 30
    for d in docs:
        assert CONTRACT <= set(d), d["source"]
        assert d["language"] == "de" and d["text"].strip()
        for span_list in ("entities", "quotes", "timexes"):
            for span in d[span_list]:
                assert d["text"][span["start"]:span["end"]] == span["text"]
    text_docs = [d for d in docs if d["source"].endswith(".txt")]
    assert text_docs and all(d["lines"] for d in text_docs)
    assert {d["outlet"] for d in docs} >= {"rheinkurier.de", "spreeblick24.de", "alpenbote.at", "seeland-zeitung.ch",
                                            "nordwest-echo.de", "isartaler-nachrichten.de", "weserblatt.de",
                                            "abendpost-md.de"}


def test_analyze_reads_stdin_with_reference_date():
    text = "Kleinhafen wählt\nKleinhafen – Die Stadt hat am Sonntag eine neue Bürgermeisterin gewählt, teilte die Wahlleitung mit."
    result = cli("--quiet", "analyze", "-", "--published", "2026-11-02", input=text)
    (doc,) = [json.loads(x) for x in result.stdout.splitlines()]
    assert doc["source"] == "-" and doc["published"] == "2026-11-02" and doc["title"] == "Kleinhafen wählt"
    assert doc["lines"] == [{"line": 1, "kind": "body"}, {"line": 2, "kind": "body"}]


def test_analyze_jsonl_published_overrides_reference_date(tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(json.dumps({"id": "x1", "published": "2024-12-03", "text": "Ein Satz, der am Dienstag geschah."})
                 + "\n" + json.dumps({"text": "Noch ein Satz ohne Datum, aber mit Inhalt."}) + "\n")
    result = cli("--quiet", "analyze", str(p), "--published", "2026-01-01")
    a, b = [json.loads(x) for x in result.stdout.splitlines()]
    assert (a["source"], a["published"]) == ("x1", "2024-12-03")
    assert (b["source"], b["published"]) == (f"{p}#2", "2026-01-01")


def test_analyze_bad_option_values_are_usage_errors():
    assert runner.invoke(app, ["analyze", "-", "--published", "gestern"], input="x").exit_code == 2
    assert runner.invoke(app, ["analyze", "-", "--kind", "pdf"], input="x").exit_code == 2


def test_run_is_idempotent_and_exports(tmp_path):
    db = str(tmp_path / "p.db")
    first = cli("run", str(EXAMPLES), "--db", db)
    assert first.exit_code == 0, first.output
    assert "rejected 0" in first.output
    status = json.loads(cli("--quiet", "status", "--db", db).stdout)
    assert status["documents"] >= 30 and status["comments"] > 20 and status["stories"] >= 8

    again = cli("run", str(EXAMPLES), "--db", db)
    assert again.exit_code == 0 and "stored 0" in again.output
    assert json.loads(cli("--quiet", "status", "--db", db).stdout) == status

    rows = [json.loads(x) for x in cli("--quiet", "export", "--db", db, "--what", "articles").stdout.splitlines()]
    assert len(rows) == status["documents"]
    assert {"id", "source", "outlet", "published", "title", "story_id", "duplicate_of"} <= set(rows[0])
    assert all(r["story_id"] is not None for r in rows)

    csv_rows = list(csv.DictReader(io.StringIO(cli("--quiet", "export", "--db", db, "--format", "csv").stdout)))
    assert [int(r["id"]) for r in csv_rows] == [r["id"] for r in rows]

    import pyarrow.parquet as pq

    out = tmp_path / "a.parquet"
    assert cli("export", "--db", db, "--format", "parquet", "--out", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == len(rows) and "duplicate_of" in table.column_names

    stories = [json.loads(x) for x in cli("--quiet", "export", "--db", db, "--what", "stories").stdout.splitlines()]
    assert sum(s["size"] for s in stories) == len(rows)

    # the story timelines: dated sentences in calendar order, each a span of its article's text
    timeline = [json.loads(x) for x in cli("--quiet", "export", "--db", db, "--what", "timeline").stdout.splitlines()]
    texts = {r["id"]: r["text"] for r in rows}
    assert len(timeline) > 100 and {t["story_id"] for t in timeline} <= {s["id"] for s in stories}
    for story_id in {t["story_id"] for t in timeline}:
        keys = [t["sort_key"] for t in timeline if t["story_id"] == story_id]
        assert keys == sorted(keys)
    assert all(texts[t["document_id"]][t["start"]:t["end"]] == t["sentence"] for t in timeline)
    timexes = [json.loads(x) for x in cli("--quiet", "export", "--db", db, "--what", "timexes").stdout.splitlines()]
    assert all(texts[t["document_id"]][t["start"]:t["end"]] == t["text"] for t in timexes)


def test_agency_copies_are_marked(example_db):
    rows = [json.loads(x) for x in cli("--quiet", "export", "--db", str(example_db)).stdout.splitlines()]
    by_source = {r["source"].rsplit("/", 1)[-1]: r for r in rows}
    a = by_source["nordwest-echo_2026-11-03_auenbach-dpa.txt"]
    b = by_source["isartaler_2026-11-03_auenbach-dpa.html"]
    assert a["story_id"] == b["story_id"]
    assert b["duplicate_of"] == a["id"] or a["duplicate_of"] == b["id"]


def test_report_groups_stories_and_respects_copyright(example_db, tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", "--db", str(example_db), "--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert html.count('<section class="story"') >= 8
    assert "Leserkommentare" in html and "Kopie von" in html
    assert 'class="body"' not in html  # no full text by default
    full = tmp_path / "full.html"
    cli("report", "--db", str(example_db), "--out", str(full), "--full-text")
    assert 'class="body"' in full.read_text(encoding="utf-8")
    md = tmp_path / "r.md"
    cli("report", "--db", str(example_db), "--out", str(md), "--format", "md")
    assert md.read_text(encoding="utf-8").startswith("# Pressespiegel")


def test_report_escapes_hostile_text(tmp_path):
    p = tmp_path / "evil.jsonl"
    p.write_text(json.dumps({"id": "evil", "url": "javascript:alert(1)", "title": "<script>alert(1)</script>",
                             "text": "Ein <img src=x onerror=alert(1)> Text mit genug Inhalt für einen Artikel."}) + "\n")
    db = str(tmp_path / "e.db")
    cli("--quiet", "run", str(p), "--db", db)
    out = tmp_path / "e.html"
    cli("report", "--db", db, "--out", str(out))
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html


def test_search_finds_stored_articles(example_db):
    result = cli("--quiet", "search", "--db", str(example_db), "Deichbruch")
    assert result.exit_code == 0 and result.stdout.count("\n") >= 2


def test_missing_database_is_a_clear_error(tmp_path):
    result = runner.invoke(app, ["report", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 3 and "no database" in result.output and "Traceback" not in result.output


def test_console_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "pressespiegel", "--version"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("pressespiegel ")


def test_config_file_sets_limits_and_bad_configs_are_usage_errors(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text("[limits]\nmax_document_bytes = 1000\n")
    article = EXAMPLES / "rheinkurier_2026-11-17_brenner-afp.txt"
    result = runner.invoke(app, ["--config", str(good), "analyze", str(article)])
    assert result.exit_code == 1 and "limit 1000 bytes" in result.output
    for body in ("[limits]\nmax_doc = 1\n", "[limits]\nmax_document_bytes = 'viel'\n", "kaputt = [\n"):
        bad = tmp_path / "bad.toml"
        bad.write_text(body)
        result = runner.invoke(app, ["--config", str(bad), "analyze", str(article)])
        assert result.exit_code == 2 and "--config" in result.output and "Traceback" not in result.output


def test_ner_conll_command(tmp_path):
    tsv = tmp_path / "s.tsv"
    tsv.write_text("#\tinvented sentence\n1\tBundeskanzlerin\tO\tO\n2\tJana\tO\tO\n3\tWeißmann\tO\tO\n4\treiste\tO\tO\n"
                   "5\tnach\tO\tO\n6\tLissabon\tO\tO\n7\t.\tO\tO\n\n", encoding="utf-8")
    result = cli("ner", "--conll", str(tsv))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "#\tinvented sentence" and len(lines) == 9 and lines[-1] == ""  # the blank line stays
    tags = [line.split("\t")[2] for line in lines[1:-1]]
    assert tags[1:3] == ["B-PER", "I-PER"] and tags[5] == "B-LOC"
    assert cli("ner", "--conll", str(tmp_path / "missing.tsv")).exit_code == 2


def test_analyze_reports_entities_with_canonical_names():
    result = cli("--quiet", "analyze", str(EXAMPLES / "rheinkurier_2026-11-18_deutschlandticket.txt"))
    doc = json.loads(result.stdout.splitlines()[0])
    people = {e["text"]: e["canonical"] for e in doc["entities"] if e["label"] == "PER"}
    assert people.get("Katrin Albers") == "Katrin Albers" and people.get("Albers") == "Katrin Albers"
    assert all(doc["text"][e["start"]:e["end"]] == e["text"] for e in doc["entities"])
