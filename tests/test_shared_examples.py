"""The real page dumps in ../shared/examples (evaluation data, not in the repo): skipped when absent."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SHARED
from typer.testing import CliRunner

from pressespiegel.cli import app

DUMPS = sorted((SHARED / "examples").glob("*.txt")) if (SHARED / "examples").is_dir() else []
pytestmark = pytest.mark.skipif(not DUMPS, reason="../shared/examples is not available")

CONTRACT = {"source", "title", "outlet", "published", "language", "text", "lines", "comments", "entities", "quotes",
            "timexes"}


def test_analyze_prints_every_contract_field_for_the_real_dumps():
    result = CliRunner().invoke(app, ["--quiet", "analyze", *map(str, DUMPS), "--published", "2024-12-03"])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(docs) == len(DUMPS)
    for path, doc in zip(DUMPS, docs):
        assert CONTRACT <= set(doc)
        assert doc["source"] == str(path) and doc["language"] == "de"
        nonblank = [i + 1 for i, line in enumerate(path.read_text(encoding="utf-8").split("\n")) if line.strip()]
        assert [x["line"] for x in doc["lines"]] == nonblank
        assert {x["kind"] for x in doc["lines"]} <= {"body", "boilerplate", "comment"}
        body = [x["line"] for x in doc["lines"] if x["kind"] == "body"]
        assert len(body) >= 0.5 * len([x for x in doc["lines"] if x["kind"] != "comment"])
        assert doc["published"] is not None


def test_a_dump_with_a_comment_section_yields_comments():
    result = CliRunner().invoke(app, ["--quiet", "analyze", *map(str, DUMPS)])
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    with_comments = [d for d in docs if any(x["kind"] == "comment" for x in d["lines"])]
    assert with_comments and all(d["comments"] for d in with_comments)
    for d in with_comments:
        assert all(c["text"] not in d["text"] for c in d["comments"])


def test_line_labels_match_the_gold_of_the_real_dumps():
    """tests/gold/shared_examples.json: line numbers and labels only (the text stays in ../shared)."""
    gold = json.loads((ROOT / "tests" / "gold" / "shared_examples.json").read_text(encoding="utf-8"))
    result = CliRunner().invoke(app, ["--quiet", "analyze", *(str(SHARED / "examples" / g["file"]) for g in gold)])
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    right = total = 0
    for g, d in zip(gold, docs):
        predicted = {x["line"]: x["kind"] for x in d["lines"]}
        right += sum(predicted.get(x["line"]) == x["kind"] for x in g["lines"])
        total += len(g["lines"])
        assert [c["author"] for c in d["comments"]] == [c["author"] for c in g["comments"]]
    assert right / total >= 0.98
