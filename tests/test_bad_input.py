"""A run over a folder of broken and hostile inputs: finishes, keeps the good, names the bad, stays small."""

from __future__ import annotations

import json
import resource
import sqlite3
import subprocess
import sys

import pytest
from badinputs import build

MAX_RSS_BYTES = 1536 * 1024 * 1024  # 1.5 GB


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    return folder, build(folder)


def _run(*args: str):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "pressespiegel", *args], capture_output=True, text=True, timeout=600)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, max(before, peak_kb) * 1024


def test_bad_inputs_are_named_and_good_ones_stored_once(bad_folder, tmp_path):
    folder, files = bad_folder
    db = tmp_path / "bad.db"
    proc, peak = _run("run", str(folder), "--db", str(db))
    assert proc.returncode == 1, proc.stderr  # non-zero only to signal rejections
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    assert peak < MAX_RSS_BYTES

    rejected_lines = [line for line in proc.stderr.splitlines() if line.startswith("rejected: ")]
    for name, kind in files.items():
        if kind == "bad":
            assert any(f"{folder / name}: " in line for line in rejected_lines), name
    # the JSON Lines file: its three bad lines are named, its two good lines stored
    assert sum(f"{folder / 'mixed.jsonl'}#" in line for line in rejected_lines) == 3
    summary = proc.stderr.strip().splitlines()[-1]
    assert summary.startswith("stored 5, skipped 0 (already stored), rejected 12")

    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 12
    reasons = dict(con.execute("SELECT source, reason FROM quarantine").fetchall())
    assert "entity" in reasons[str(folder / "bomb.rss")]
    assert "too large" in reasons[str(folder / "huge.txt")]
    assert "truncated" in reasons[str(folder / "truncated.txt.gz")]

    # the same command again adds nothing
    proc2, _ = _run("run", str(folder), "--db", str(db))
    assert proc2.returncode == 1
    assert proc2.stderr.strip().splitlines()[-1].startswith("stored 0, skipped 5 (already stored), rejected 12")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
    assert con.execute("SELECT count(*) FROM quarantine").fetchone()[0] == 12


def test_debug_shows_tracebacks_only_for_internal_errors(bad_folder, tmp_path):
    folder, _ = bad_folder
    proc, _ = _run("--debug", "analyze", str(folder / "good.txt"), str(folder / "empty.txt"))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["title"] == "Gemeinderat Kleinhafen beschließt neuen Radweg" and doc["agencies"] == ["epd"]


def test_unwritable_database_is_one_line_error(tmp_path):
    target = tmp_path / "dir.db"
    target.mkdir()
    proc, _ = _run("run", str(tmp_path), "--db", str(target))
    assert proc.returncode == 3 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().startswith("error: cannot open the database")
