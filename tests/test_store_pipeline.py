"""The whole tool on both storage backends: every command with `--db` on SQLite and PostgreSQL, the same results on
both, and a PostgreSQL connection lost in the middle of a run (it fails cleanly; a rerun completes, nothing twice).

The PostgreSQL cases run when PRESSESPIEGEL_TEST_PG names a server (tests/conftest.py; .ci/run starts one)."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest
from conftest import EXAMPLES, PG_ENV, pg_database
from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from pressespiegel.cli import app
from pressespiegel.config import Settings
from pressespiegel.store import StoreError, open_store

runner = CliRunner()
# pages and text dumps of the example corpus (one document each): enough for stories, quotes and figures
INPUTS = sorted(str(p) for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))[:10]
EXPORTS = ("articles", "stories", "timeline", "quotes", "statements", "entities", "registry", "figures", "conflicts",
           "quarantine")


def cli(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def _exports(db: str) -> dict[str, list[dict]]:
    out = {}
    for what in EXPORTS:
        result = cli("--quiet", "export", "--db", db, "--what", what)
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        for r in rows:  # when it happened, not what
            for key in ("ingested_at", "first_seen", "last_seen", "updated_at"):
                r.pop(key, None)
        out[what] = rows
    return out


def test_every_command_works_on_the_backend(db_target, tmp_path):
    bad = tmp_path / "leer.txt"
    bad.write_text("   \n")
    first = cli("run", *INPUTS, str(bad), "--db", db_target)
    assert first.exit_code == 1, first.output  # the empty file is rejected, the rest stored
    status = json.loads(cli("--quiet", "status", "--db", db_target).stdout)
    assert status["documents"] == len(INPUTS) and status["quarantine"] == 1 and status["stories"] >= 1
    assert status["schema_version"] is not None
    again = cli("run", *INPUTS, "--db", db_target)
    assert again.exit_code == 0 and f"skipped {len(INPUTS)}" in again.output
    assert json.loads(cli("--quiet", "status", "--db", db_target).stdout) == status
    report = tmp_path / "r.html"
    assert cli("report", "--db", db_target, "--out", str(report)).exit_code == 0
    assert "<html" in report.read_text(encoding="utf-8").lower()
    assert cli("export", "--db", db_target, "--what", "articles", "--format", "parquet", "--out",
               str(tmp_path / "a.parquet")).exit_code == 0
    csv = cli("--quiet", "export", "--db", db_target, "--format", "csv", "--no-text").stdout
    assert len(csv.strip().splitlines()) == len(INPUTS) + 1
    hits = cli("--quiet", "search", "--db", db_target, "Felssturz")
    assert hits.exit_code == 0 and hits.stdout.strip(), "no search hit"
    assert "[Felssturz" in hits.stdout


def test_postgresql_gives_the_same_results_as_sqlite(tmp_path):
    with pg_database() as url:
        lite = str(tmp_path / "same.db")
        assert cli("--quiet", "run", *INPUTS, "--db", lite).exit_code == 0
        assert cli("--quiet", "run", *INPUTS, "--db", url).exit_code == 0
        a, b = _exports(lite), _exports(url)
        for what in EXPORTS:
            assert a[what] == b[what], what
        assert a["articles"] and a["stories"] and a["quotes"]


def test_database_url_with_postgres_scheme_and_password_is_not_printed(tmp_path):
    result = cli("run", str(EXAMPLES / "alpenbote_2026-11-05_felssturz-hinterkogl.txt"), "--db",
                 "postgresql://presse:geheim123@127.0.0.1:1/nirgends?connect_timeout=3")
    assert result.exit_code == 3
    assert "cannot open the database" in result.output and "geheim123" not in result.output
    assert "Traceback" not in result.output


def _admin(url: str):
    from pressespiegel.store.sql import engine_for

    return engine_for(os.environ[PG_ENV]), make_url(url).database


def _cut_off(admin, name: str, allow: bool = False) -> None:
    """Terminate every session on the database; unless ``allow``, refuse new ones (the server is gone for it)."""
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {"true" if allow else "false"}'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})


def _reopen(admin, name: str) -> None:
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))


def _no_duplicates(url: str, n: int) -> None:
    with open_store(url) as store:
        rows = list(store.articles(with_text=False))
        assert len(rows) == n and len({r.content_hash for r in rows}) == n
        quarantine = [(r["source"], r["fingerprint"]) for r in store.rows("quarantine")]
        assert len(quarantine) == len(set(quarantine))
        assert store.stories() and all(r.story_id is not None for r in store.articles(with_text=False))


def test_connection_lost_mid_run_fails_cleanly_and_a_rerun_completes():
    from pressespiegel.pipeline import run

    with pg_database() as url:
        admin, name = _admin(url)
        stored = []

        def on_event(kind: str, item: object) -> None:
            if kind == "stored":
                stored.append(item)
                if len(stored) == 3:
                    _cut_off(admin, name)

        with open_store(url) as store:
            with pytest.raises(StoreError, match="lost the connection to the database"):
                run(INPUTS, store, Settings(), on_event=on_event)
        _reopen(admin, name)
        with open_store(url) as store:
            assert store.counts()["documents"] == 3  # committed before the loss: kept
            summary = run(INPUTS, store, Settings())
            assert summary.stored == len(INPUTS) - 3 and summary.skipped == 3 and summary.rejected == 0
        _no_duplicates(url, len(INPUTS))
        admin.dispose()


def test_a_dropped_connection_is_replaced_when_the_server_is_still_there():
    from pressespiegel.pipeline import run

    with pg_database() as url:
        admin, name = _admin(url)
        calls = []

        def on_event(kind: str, item: object) -> None:
            if kind == "stored" and not calls:
                calls.append(item)
                _cut_off(admin, name, allow=True)  # e.g. a server restart between two documents

        with open_store(url) as store:
            summary = run(INPUTS, store, Settings(), on_event=on_event)
            assert summary.stored == len(INPUTS) and calls
        _no_duplicates(url, len(INPUTS))
        admin.dispose()


def test_cli_run_losing_the_database_exits_3_with_one_line_and_a_rerun_completes():
    with pg_database() as url:
        admin, name = _admin(url)
        with open_store(url):
            pass  # schema in place: the watcher can count documents
        running = threading.Event()

        def watch() -> None:
            """Once the run has stored two documents, the database goes away."""
            from pressespiegel.store.sql import engine_for

            deadline = time.time() + 240
            probe = engine_for(url)
            try:
                running.wait(60)
                while time.time() < deadline:
                    with probe.connect() as conn:
                        if conn.execute(text("SELECT count(*) FROM documents")).scalar() >= 2:
                            break
                    time.sleep(0.05)
            finally:
                probe.dispose()
            _cut_off(admin, name)

        watcher = threading.Thread(target=watch)
        watcher.start()
        running.set()
        result = CliRunner().invoke(app, ["run", *INPUTS, "--db", url])
        watcher.join()
        _reopen(admin, name)
        assert result.exit_code == 3, result.output
        assert "error: lost the connection to the database" in result.output
        assert "run the command again" in result.output
        assert "Traceback" not in result.output and "[SQL:" not in result.output
        assert len([line for line in result.output.splitlines() if line.startswith("error:")]) == 1
        rerun = cli("run", *INPUTS, "--db", url)
        assert rerun.exit_code == 0, rerun.output
        _no_duplicates(url, len(INPUTS))
        admin.dispose()
