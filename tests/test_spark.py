"""The Spark job in local mode (`local[2]`): the same documents, entities, quotes and stories as `pressespiegel run` on
the same inputs (text dumps, HTML pages, a JSON Lines file with several records, a feed, a bad file), the Parquet
output, and Hadoop URIs as input. Skips when PySpark or Java is missing (the `spark` extra installs PySpark)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES

from pressespiegel import pipeline
from pressespiegel.config import Settings
from pressespiegel.export import rows
from pressespiegel.model import Document
from pressespiegel.store import open_store

pyspark = pytest.importorskip("pyspark", reason="PySpark is not installed (pip install 'pressespiegel[spark]')")
pq = pytest.importorskip("pyarrow.parquet")

JAVA = shutil.which("java") or (os.environ.get("JAVA_HOME") and Path(os.environ["JAVA_HOME"], "bin", "java").exists())
pytestmark = pytest.mark.skipif(not JAVA, reason="Spark needs Java 17+ (no java on PATH, no JAVA_HOME)")

EXAMPLE_FILES = sorted(EXAMPLES.iterdir())
INPUTS = ([str(p) for p in EXAMPLE_FILES if p.suffix in (".jsonl", ".rss")]
          + [str(p) for p in EXAMPLE_FILES if p.suffix == ".html"][:2]
          + [str(p) for p in EXAMPLE_FILES if p.suffix == ".txt"][:9])
SNAPSHOT = ("articles", "stories", "quotes", "statements", "entities", "registry", "nominals", "timexes", "figures",
            "quarantine")


@pytest.fixture(scope="module")
def spark():
    from pressespiegel.spark_job import session

    s = session("local[2]", "pressespiegel-tests")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("inputs")
    bad = folder / "kaputt.txt"
    bad.write_bytes(b"\x00\xff\xfe\x00" * 100)  # binary: rejected with a reason, the job goes on
    copy = folder / "kopie.txt"
    copy.write_bytes(Path(INPUTS[-1]).read_bytes())  # the same document again: stored once
    return [*INPUTS[:5], str(bad), *INPUTS[5:], str(copy)]


def _snapshot(db: Path) -> dict[str, list[dict]]:
    with open_store(str(db)) as store:
        return {what: [{k: v for k, v in r.items() if k not in ("ingested_at", "first_seen", "last_seen",
                                                                "updated_at")} for r in rows(store, what)]
                for what in SNAPSHOT}


def _documents(folder: Path) -> list[dict]:
    table = pq.read_table(folder / "documents")
    return sorted(table.to_pylist(), key=lambda r: r["document_id"])


@pytest.fixture(scope="module")
def local_run(inputs, tmp_path_factory) -> tuple[Path, pipeline.RunSummary]:
    db = tmp_path_factory.mktemp("local") / "local.db"
    with open_store(str(db)) as store:
        summary = pipeline.run(inputs, store, Settings(), workers=1)
    return db, summary


def test_spark_job_equals_the_local_pipeline(spark, inputs, local_run, tmp_path):
    from pressespiegel.spark_job import run_job

    local_db, local = local_run
    job = run_job(inputs, str(tmp_path / "out"), Settings(), db=str(tmp_path / "spark.db"), spark=spark,
                  partitions=3)
    got = job.run
    assert (got.stored, got.skipped, got.rejected, got.stories) == \
        (local.stored, local.skipped, local.rejected, local.stories)
    assert local.stored >= 15 and local.rejected == 1 and local.skipped == 1 and local.stories >= 5
    want, have = _snapshot(local_db), _snapshot(tmp_path / "spark.db")
    assert len(want["entities"]) > 100 and len(want["quotes"]) > 10
    for what in SNAPSHOT:
        assert have[what] == want[what], what

    # Parquet: one row per stored document, the JSON `analyze` prints, with its store id
    docs = _documents(tmp_path / "out")
    analysed = [d.to_contract() for d in pipeline.analyze(inputs, Settings()) if isinstance(d, Document)]
    assert [r["document_id"] for r in docs] == [a["id"] for a in want["articles"]]
    assert [json.loads(r["document"]) for r in docs] == analysed[:-1]  # the copy at the end is stored once
    assert [r["content_hash"] for r in docs] == [a["content_hash"] for a in want["articles"]]
    stories = pq.read_table(tmp_path / "out" / "stories").to_pylist()
    assert sorted(s["id"] for s in stories) == sorted(s["id"] for s in want["stories"])
    articles = pq.read_table(tmp_path / "out" / "articles").to_pylist()
    assert [(a["id"], a["story_id"], a["duplicate_of"]) for a in articles] == \
        [(a["id"], a["story_id"], a["duplicate_of"]) for a in want["articles"]]
    rejected = pq.read_table(tmp_path / "out" / "rejected").to_pylist()
    assert [r["source"] for r in rejected] == [r["source"] for r in want["quarantine"]]


def test_spark_job_reads_hadoop_uris(spark, inputs, tmp_path):
    """file:// URIs go the way s3a:// and hdfs:// inputs go (listed and read through Hadoop); without --db a temporary
    store serves the story stage."""
    from pressespiegel.spark_job import run_job

    folder = tmp_path / "in"
    folder.mkdir()
    for p in inputs[:6]:
        shutil.copy(p, folder / Path(p).name)
    job = run_job([f"file://{folder}/*"], str(tmp_path / "out"), Settings(), spark=spark)
    local = [d.to_contract() for d in pipeline.analyze(sorted(str(p) for p in folder.iterdir()), Settings())
             if isinstance(d, Document)]
    assert job.files == 6 and job.run.rejected == 1 and job.run.stored == len(local) >= 5
    docs = [json.loads(r["document"]) for r in _documents(tmp_path / "out")]
    assert any(d["source"].startswith("file:") for d in docs)
    for d, want in zip(docs, local):  # the same analysis; only the names of the files differ
        assert {**d, "source": None} == {**want, "source": None}
    assert set(job.output) == {"documents", "rejected", "stories", "articles"}


def test_a_driver_that_fails_while_loading_stops_the_analysis(spark, inputs, tmp_path):
    """The driver loads partitions while a background job analyses the rest: when loading fails (the store is
    gone), the job fails with that error at once and the background analysis is cancelled, not waited for."""
    from pressespiegel.spark_job import run_job

    def store_gone(kind: str, _item: object) -> None:
        if kind == "stored":
            raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError, match="the store went away"):
        run_job(inputs, str(tmp_path / "out"), Settings(), db=str(tmp_path / "spark.db"), spark=spark,
                partitions=6, on_event=store_gone)
    tracker, waited = spark.sparkContext.statusTracker(), 0.0
    while tracker.getActiveJobsIds() and waited < 30:  # (the iterator's prefetch of one partition may be finishing)
        time.sleep(0.2)
        waited += 0.2
    assert tracker.getActiveJobsIds() == []


def test_local_workers_run_nicer_than_the_driver(spark):
    from pressespiegel.parallel import WORKER_NICE

    niceness = spark.sparkContext.parallelize(range(4), 2).map(lambda _: os.nice(0)).collect()
    assert niceness == [min(19, os.nice(0) + WORKER_NICE)] * 4


def test_the_package_imports_without_pyspark():
    code = ("import sys, pressespiegel.spark_job, pressespiegel.cli, pressespiegel.pipeline; "
            "sys.exit('pyspark' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
