"""The distributed job on Apache Spark (PySpark): `pressespiegel spark-job --input … --output PATH [--db DB]`.

What runs where:

1. **Ingest** (executors): every input file is one task (a local path, or any Hadoop file system URI — ``s3a://``,
   ``hdfs://``, ``file://`` — read with ``binaryFiles``); the file's records (a WARC file's HTML responses, a JSON
   Lines file's lines, one text or HTML page) become raw documents keyed by (file number, record number). Bad files
   and broken records become rejections, as in ``pressespiegel run``.
2. **Extraction and analysis** (executors): the raw documents are spread over ``--partitions`` partitions and each
   partition is extracted and analysed in batches of ``pipeline.BATCH`` (``pipeline.analyse_batch``: the same code
   as the local pipeline; the models are loaded once per Python worker process, which Spark reuses across tasks).
   A document that fails is rejected alone.
3. **Linking and loading** (driver): the raw documents are range-partitioned in input order (``sortByKey``, before
   the analysis), so the analysed partitions come back in input order (``toLocalIterator``, one partition at a
   time) while a background job analyses all partitions in parallel: the driver loads partition k while later
   ones are analysed. They go through ``pipeline.Loader`` — the very code ``run`` uses —
   which skips documents the store already has, links entities across documents (the registry's state depends on
   document order, so this step is sequential by nature; ~1-2 ms per document) and writes each document to the store
   (``--db``; without it, a temporary SQLite store). Each stored document becomes a Parquet row: the document JSON
   as ``pressespiegel analyze`` prints it plus its store id and content hash (``PATH/documents/``).
4. **Stories** (driver): ``pipeline.Loader`` places the stored documents in stories every ``pipeline.STORY_EVERY``
   and at the end, and matches quotes to statements at the end, as ``run`` does — then ``PATH/stories/`` (one row
   per story, its article ids), ``PATH/articles/`` (one row per article with story id and duplicate link) and
   ``PATH/rejected/``.
   Why not blocked by time window: the grouping assigns articles to stories greedily in publication order, a story
   can go on for any number of windows (each article may extend it by up to 21 days), and agency copies are found
   across the whole collection; cutting the timeline into windows and reconciling would give other stories than the
   local pipeline at window edges. One pass over the result is exact; its cost is measured in BENCHMARKS.md
   (``benchmarks/scale.py``) and it is small beside the analysis.

The result is the same as ``pressespiegel run`` on the same inputs (tests/test_spark.py compares every table).
Running on a cluster: docs/spark.md. PySpark is an optional dependency (``pip install 'pressespiegel[spark]'``): this
module imports it only when the job runs.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pressespiegel import pipeline
from pressespiegel.config import Settings
from pressespiegel.ingest import Input, WarcCounts, read_input
from pressespiegel.ingest.sources import expand
from pressespiegel.model import Document, Rejection, content_hash
from pressespiegel.parallel import WORKER_NICE
from pressespiegel.store import open_store

PARQUET_ROWS = 20_000  # documents per Parquet file written by the driver


class SparkUnavailable(RuntimeError):
    """PySpark is not installed or Spark (its JVM) cannot start; the message says what to do."""


@dataclass
class JobSummary:
    run: pipeline.RunSummary
    files: int = 0
    partitions: int = 0
    output: dict[str, str] = field(default_factory=dict)  # what → where the Parquet files are
    seconds: dict[str, float] = field(default_factory=dict)  # analysis (until the first ordered result), load, …


# -- the Spark session -------------------------------------------------------------------------------------------

def session(master: str | None = None, app_name: str = "pressespiegel"):
    """A SparkSession: the one spark-submit configured, or a local one (``master``, default ``local[*]``) whose Python
    workers run this interpreter."""
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("the Spark job needs PySpark: pip install 'pressespiegel[spark]'") from None
    conf = SparkConf()
    builder = SparkSession.builder.appName(app_name)
    if master or not conf.contains("spark.master"):
        builder = builder.master(master or "local[*]")
        # local Python workers run this interpreter with this interpreter's packages (Spark starts them by the
        # interpreter's real path, which loses a virtual environment: its folders go along in PYTHONPATH)
        builder = builder.config("spark.pyspark.python", sys.executable)
        paths = [p for p in sys.path if p and Path(p).exists()]
        os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(
            [*paths, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]))
        builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        # the driver's reads of finished partitions are not queued behind the whole analysis job (run_job)
        builder = builder.config("spark.scheduler.mode", "FAIR")
        # the Python workers are forked from a daemon that has loaded the models (shared, not loaded per worker)
        builder = builder.config("spark.python.daemon.module", "pressespiegel.spark_daemon")
        # … and run nicer than this driver, whose loading is sequential (as run's workers do)
        builder = builder.config("spark.executorEnv.PRESSESPIEGEL_WORKER_NICE", str(WORKER_NICE))
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # noqa: BLE001 - no Java, a bad master URL, …: one line for the user
        raise SparkUnavailable(f"Spark could not start ({type(exc).__name__}: {str(exc).strip().splitlines()[0]}); "
                               "it needs Java 17 or later (JAVA_HOME or java on PATH)") from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


# -- executors: reading and analysing ------------------------------------------------------------------------------

def _records(number: int, name: str, path: Path, settings: Settings, kind: str | None) -> Iterator[tuple]:
    """((file number, record number), tagged item) for every record of one input file."""
    counts = WarcCounts()
    k = -1
    for k, item in enumerate(read_input(Input(name, path), settings.limits, kind, counts)):
        tag = "rejected" if isinstance(item, Rejection) else "raw"
        yield (number, k), (tag, item)
    if counts.files or counts.records:
        yield (number, k + 1), ("warc", counts)


def _read_local(settings: Settings, kind: str | None, task: tuple[int, str, str]) -> Iterator[tuple]:
    number, name, path = task
    yield from _records(number, name, Path(path), settings, kind)


def _read_remote(settings: Settings, kind: str | None, numbers: dict[str, int],
                 files: Iterator[tuple[str, bytes]]) -> Iterator[tuple]:
    """Files read by Spark (``binaryFiles``): each is put in a local temporary file and read like a local one (WARC
    files are read record by record from there)."""
    for uri, data in files:
        with tempfile.TemporaryDirectory(prefix="pressespiegel-") as tmp:
            local = Path(tmp) / (Path(uri).name or "input")
            local.write_bytes(data)
            del data
            yield from _records(numbers[uri], uri, local, settings, kind)


def _analyse(settings: Settings, items: Iterator[tuple]) -> Iterator[tuple]:
    """Extract and analyse the raw documents of a partition in batches, in their order; rejections and counts pass
    through."""
    while True:
        chunk = list(islice(items, pipeline.BATCH))
        if not chunk:
            return
        raws = [item for _, (tag, item) in chunk if tag == "raw"]
        results = iter(pipeline.analyse_batch(settings, raws) if raws else [])
        for key, (tag, item) in chunk:
            yield key, (("doc", item.content_hash, next(results)) if tag == "raw" else (tag, item))


def _compute(rdd, group: str) -> None:
    """Compute (and so cache) every partition of a persisted RDD, as job group ``group`` (to cancel it), in a
    scheduler pool of its own (with the FAIR scheduler the driver's reads of finished partitions then go first); a
    failure shows when the driver reads the partition."""
    rdd.context.setJobGroup(group, "pressespiegel: analysis")
    rdd.context.setLocalProperty("spark.scheduler.pool", "pressespiegel-analysis")
    try:
        rdd.count()
    except Exception:  # noqa: BLE001, S110 - the driver's own read of the partition raises the error it should see
        pass


# -- the driver ---------------------------------------------------------------------------------------------------

def _remote(arg: str) -> bool:
    return "://" in arg


def _remote_files(spark, pattern: str) -> list[str]:
    """The files a Hadoop file system URI or glob names (folders recursively), sorted; through the JVM, so every
    scheme Spark is configured for works (s3a needs hadoop-aws on the classpath)."""
    jvm, conf = spark.sparkContext._jvm, spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(pattern)
    fs = path.getFileSystem(conf)
    statuses = fs.globStatus(path) or []
    out: list[str] = []
    for status in statuses:
        if status.isDirectory():
            files = fs.listFiles(status.getPath(), True)
            while files.hasNext():
                f = files.next()
                if not f.getPath().getName().startswith((".", "_")):
                    out.append(f.getPath().toString())
        else:
            out.append(status.getPath().toString())
    return sorted(out)


class _ParquetOut:
    """Rows written by the driver into a Parquet dataset folder (a local path, or any Hadoop URI: written locally,
    then copied with the Hadoop file system API)."""

    def __init__(self, spark, target: str, schema) -> None:
        self.spark, self.target, self.schema = spark, target.rstrip("/"), schema
        self.local = Path(tempfile.mkdtemp(prefix="pressespiegel-parquet-")) if _remote(target) else Path(target)
        if self.local.exists():
            shutil.rmtree(self.local)
        self.local.mkdir(parents=True)
        self.rows: list[dict] = []
        self.files = 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= PARQUET_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.rows or not self.files:
            pq.write_table(pa.Table.from_pylist(self.rows, schema=self.schema),
                           self.local / f"part-{self.files:05d}.parquet")
            self.files += 1
            self.rows = []

    def close(self) -> str:
        self.flush()
        if _remote(self.target):
            jvm, conf = self.spark.sparkContext._jvm, self.spark.sparkContext._jsc.hadoopConfiguration()
            dest = jvm.org.apache.hadoop.fs.Path(self.target)
            fs = dest.getFileSystem(conf)
            fs.delete(dest, True)
            fs.mkdirs(dest)
            for f in sorted(self.local.iterdir()):
                fs.copyFromLocalFile(False, True, jvm.org.apache.hadoop.fs.Path(str(f)), dest)
            shutil.rmtree(self.local, ignore_errors=True)
        return self.target


def _schemas():
    import pyarrow as pa

    documents = pa.schema([("document_id", pa.int64()), ("content_hash", pa.string()), ("source", pa.string()),
                           ("url", pa.string()), ("title", pa.string()), ("outlet", pa.string()),
                           ("published", pa.string()), ("language", pa.string()), ("document", pa.string())])
    rejected = pa.schema([("source", pa.string()), ("reason", pa.string()), ("size_bytes", pa.int64()),
                          ("fingerprint", pa.string())])
    return documents, rejected


def run_job(inputs: list[str], output: str, settings: Settings, *, db: str | None = None, kind: str | None = None,
            master: str | None = None, partitions: int | None = None, spark=None,
            on_event: pipeline.Event | None = None) -> JobSummary:
    """Run the job (see the module's description); ``spark``: a session to use (else ``session(master)``)."""
    spark = spark or session(master)
    sc = spark.sparkContext
    tmp_store = None
    if db is None:
        tmp_store = tempfile.mkdtemp(prefix="pressespiegel-store-")
        db = str(Path(tmp_store) / "store.db")
    store = open_store(db)
    started, seconds = time.perf_counter(), {}
    try:
        loader = pipeline.Loader(store, settings, on_event)
        # which files, in the order `run` would read them
        local: list[tuple[int, str, str]] = []
        remote: dict[str, int] = {}
        number = 0
        for arg in inputs:
            if _remote(arg):
                found = _remote_files(spark, arg)
                if not found:
                    loader.reject(Rejection(arg, "no files match this pattern"))
                for uri in found:
                    remote[uri] = number
                    number += 1
                continue
            for inp in expand([arg]):
                if isinstance(inp, Rejection):
                    loader.reject(inp)
                else:
                    local.append((number, inp.name, str(inp.path)))
                    number += 1
        records = sc.parallelize(local, max(1, len(local))).flatMap(
            _partial(_read_local, settings, kind)) if local else None
        if remote:
            by_uri = sc.binaryFiles(",".join(remote), minPartitions=len(remote)).mapPartitions(
                _partial(_read_remote, settings, kind, remote))
            records = by_uri if records is None else records.union(by_uri)
        n_parts = partitions or max(1, sc.defaultParallelism * 4)
        documents_schema, rejected_schema = _schemas()
        docs_out = _ParquetOut(spark, f"{output.rstrip('/')}/documents", documents_schema)
        rejected_out = _ParquetOut(spark, f"{output.rstrip('/')}/rejected", rejected_schema)
        for r in loader.summary.rejections:
            rejected_out.add(_rejection_row(r))
        if records is not None:
            from pyspark import StorageLevel

            # the raw records in input order, cut into ranges (sortByKey samples the keys first: read them once);
            # each range is analysed in order, so the analysed partitions come out in input order without a sort
            records.persist(StorageLevel.MEMORY_AND_DISK)
            analysed = records.sortByKey(numPartitions=n_parts).mapPartitions(_partial(_analyse, settings))
            analysed.persist(StorageLevel.MEMORY_AND_DISK)
            # every partition analysed in parallel (a job in the background), while the driver loads them in order
            # as they are done: loading overlaps the analysis (a partition still being analysed is waited for)
            group = f"pressespiegel-analysis-{os.getpid()}-{id(analysed)}"
            everything = threading.Thread(target=_compute, args=(analysed, group), daemon=True)
            everything.start()
            try:
                for _key, tagged in analysed.toLocalIterator(prefetchPartitions=True):
                    if "analysis" not in seconds:
                        seconds["analysis"] = time.perf_counter() - started  # (until the first result)
                    _load(tagged, loader, docs_out, rejected_out)
            except BaseException:  # the store failed, Ctrl-C, …: the analysis of the rest is not waited for
                sc.cancelJobGroup(group)
                raise
            finally:
                everything.join()
                analysed.unpersist()
                records.unpersist()
        seconds["load"] = time.perf_counter() - started - seconds.get("analysis", 0.0)
        mark = time.perf_counter()
        summary = JobSummary(loader.finish(), files=number, partitions=n_parts, seconds=seconds)
        seconds["stories"] = time.perf_counter() - mark
        summary.output["documents"] = docs_out.close()
        summary.output["rejected"] = rejected_out.close()
        from pressespiegel.export import rows

        for what in ("stories", "articles"):
            out = _ParquetOut(spark, f"{output.rstrip('/')}/{what}", None)
            out.rows = [_plain(r) for r in rows(store, what, with_text=False)]
            out.schema = _infer(out.rows, what)
            summary.output[what] = out.close()
        summary.seconds = {k: round(v, 1) for k, v in seconds.items()}
        return summary
    finally:
        store.close()
        if tmp_store:
            shutil.rmtree(tmp_store, ignore_errors=True)


def _load(tagged: tuple, loader: pipeline.Loader, docs_out: _ParquetOut, rejected_out: _ParquetOut) -> None:
    """One item of the ordered stream into the store and the Parquet output, as ``run`` would handle it."""
    kind = tagged[0]
    if kind == "warc":
        loader.summary.warc.add(tagged[1])
        return
    before = len(loader.summary.rejections)
    if kind == "rejected":
        loader.reject(tagged[1])
    else:
        _, doc_hash, result = tagged
        if loader.fresh(doc_hash, result):
            stored = loader.add(result)
            if stored is not None:
                docs_out.add(_document_row(stored))
    for r in loader.summary.rejections[before:]:
        rejected_out.add(_rejection_row(r))


def _document_row(doc: Document) -> dict[str, Any]:
    return {"document_id": doc.id, "content_hash": doc.content_hash, "source": doc.source, "url": doc.url,
            "title": doc.title, "outlet": doc.outlet, "published": doc.published, "language": doc.language,
            "document": json.dumps(doc.to_contract(), ensure_ascii=False)}


def _rejection_row(r: Rejection) -> dict[str, Any]:
    return {"source": r.source, "reason": r.reason, "size_bytes": r.size_bytes,
            "fingerprint": r.fingerprint or content_hash(r.reason)}


def _plain(row: dict) -> dict:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v for k, v in row.items()}


def _infer(rows: list[dict], what: str):
    import pyarrow as pa

    if rows:
        return pa.Table.from_pylist(rows).schema
    return pa.schema([("id", pa.int64())])


def _partial(fn: Callable, *args: Any) -> Callable:
    """``functools.partial`` for Spark's ``flatMap``/``mapPartitions`` (a module-level function and its arguments
    pickle by reference: the executors import this module)."""
    from functools import partial

    return partial(fn, *args)


def main() -> None:
    """``spark-submit …/pressespiegel/spark_job.py --input … --output …``: the CLI's spark-job command."""
    from pressespiegel.cli import app

    app(["spark-job", *sys.argv[1:]])


if __name__ == "__main__":
    main()
