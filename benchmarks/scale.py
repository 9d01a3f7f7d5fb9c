"""Scale benchmarks (issue 9) on the real German articles of 10kGNAD (../shared/data/10kgnad), replicated with a small
edit per copy ("(Fassung k)" appended) to reach the sizes asked for, with publication dates spread at 200 articles a
day (so that the story stage sees a news stream, not one day).

    python benchmarks/scale.py stages   --n 1000             [--record]   # each stage alone, one process
    python benchmarks/scale.py pipeline --n 1000 10000       [--workers 2] [--html] [--record]
    python benchmarks/scale.py spark    --n 1000             [--record]   # Spark local[1] vs local[2] vs run

- ``stages``: articles/s and MB/s of every stage on its own (CPU time of this process): ingest (JSON Lines), extract
  (text dumps, and HTML pages made from the same articles), language, time expressions, figures, entities (tagger and
  rules), quotes, entity linking, store writes (SQLite), stories (grouping, statements).
- ``pipeline``: the whole ``run`` (text input, every stage, SQLite writes, stories) into a fresh store for each size:
  wall time, articles/s and MB/s, CPU seconds of the process tree, peak memory of the process tree (this process and
  its workers: sum of PSS, and of RSS, sampled every 0.5 s), the story stage's share, and the time growth from the
  smallest to the largest size.
  ``--html`` feeds the same articles as HTML pages (JSON Lines with an ``html`` field).
- ``spark``: the Spark job on the same corpus in local mode with 1 and 2 cores (session start excluded, the JVM's
  first job included), its speed-up, and its per-core throughput against ``run --workers 2`` measured in the same
  process.

The machine is shared: the load average before and after each measurement is part of the result, and so are the CPU
seconds of a fixed piece of work before and after (``reference_cpu_s_before_after``: how fast the machine was).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

from _common import GNAD, gnad_texts, report

ARTICLES_PER_DAY = 200


# -- the corpus -------------------------------------------------------------------------------------------------

def _article(i: int, texts: list[str]) -> tuple[str, str]:
    base = texts[i % len(texts)]
    text = base if i < len(texts) else f"{base} (Fassung {i // len(texts)})"  # a small edit per copy
    day = (date(2015, 1, 1) + timedelta(days=i // ARTICLES_PER_DAY)).isoformat()
    return text, day


def write_corpus(n: int, folder: Path, as_html: bool = False) -> tuple[Path, int]:
    """n articles as one JSON Lines file (``text``, or ``html`` pages with a title, a date and paragraphs)."""
    texts = gnad_texts()
    path = folder / (f"corpus-{n}-html.jsonl" if as_html else f"corpus-{n}.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            text, day = _article(i, texts)
            record: dict = {"id": f"gnad-{i}", "published": day}
            if as_html:
                words = text.split()
                title, body = " ".join(words[:8]), " ".join(words[8:])
                paras = "".join(f"<p>{html.escape(' '.join(body.split()[k:k + 60]))}</p>"
                                for k in range(0, len(body.split()), 60))
                record["html"] = (f"<!DOCTYPE html><html lang=de><head><meta charset=utf-8><title>{html.escape(title)}"
                                  f"</title><meta property='article:published_time' content='{day}'></head><body>"
                                  f"<nav><a href=/>Startseite</a> <a href=/politik>Politik</a></nav><article><h1>"
                                  f"{html.escape(title)}</h1>{paras}</article><footer>© Zeitung</footer></body></html>")
            else:
                record["text"] = text
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path, path.stat().st_size


# -- measuring ----------------------------------------------------------------------------------------------------

class TreeMemory:
    """Peak memory of this process and all its descendants (pool workers; the JVM and Spark's Python workers),
    sampled in a thread: the sum of their proportional set sizes (PSS: a page shared by k processes counts 1/k in
    each — forked workers share most of their pages with the main process) and, for comparison, of their resident
    set sizes (RSS, which counts shared pages once per process)."""

    def __init__(self, every: float = 0.5) -> None:
        import psutil

        self.proc, self.every, self.peak, self.peak_rss = psutil.Process(), every, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = rss = 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                info = p.memory_full_info()
                total += getattr(info, "pss", info.rss)
                rss += info.rss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        self.peak_rss = max(self.peak_rss, rss)
        return total

    def cpu(self) -> float:
        """CPU seconds (user + system) used so far by this process and its living descendants."""
        import psutil

        total = 0.0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.every)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 1e6, 1)

    @property
    def peak_rss_mb(self) -> float:
        return round(self.peak_rss / 1e6, 1)


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _reference() -> float:
    """CPU seconds of a fixed piece of work (a Python loop, small matrix products): how fast the machine is at the
    time. On this shared machine a similar piece of work took from 0.97 to 1.42 s within one hour (2026-11-22), and
    every rate here moves with it."""
    import numpy as np

    t = time.process_time()
    total = 0
    for i in range(3_000_000):
        total += i * i
    a = np.ones((200, 200), dtype=np.float32)
    for _ in range(200):
        a = (a @ a) * 0.005
    return round(time.process_time() - t, 2)


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 1) if seconds else 0.0


# -- stages -------------------------------------------------------------------------------------------------------

def bench_stages(n: int, tmp: Path) -> dict:
    from pressespiegel import analyse
    from pressespiegel.analyse import entities, ner
    from pressespiegel.analyse.linking import Gazetteer
    from pressespiegel.config import Settings
    from pressespiegel.extract import extract
    from pressespiegel.ingest import read_inputs
    from pressespiegel.pipeline import BATCH, registry, regroup
    from pressespiegel.store import open_store

    path, size = write_corpus(n, tmp)
    hpath, hsize = write_corpus(n, tmp, as_html=True)
    mb = size / 1e6
    cpu: dict[str, float] = {}

    def timed(name: str, fn) -> object:
        t = time.process_time()
        out = fn()
        cpu[name] = cpu.get(name, 0.0) + time.process_time() - t
        return out

    load_before, ref_before = _load(), _reference()
    startup = {}
    for name, fn in (("ner_model", ner.load_model), ("gazetteer", Gazetteer.shipped),
                     ("language_model", lambda: analyse.language.detect("Ein Satz zum Laden."))):
        t = time.process_time()
        fn()
        startup[name] = round(time.process_time() - t, 2)
    raws = timed("ingest", lambda: [r for r in read_inputs([str(path)], Settings().limits)])
    docs = timed("extract", lambda: [extract(r) for r in raws])
    hraws = [r for r in read_inputs([str(hpath)], Settings().limits)]
    timed("extract_html", lambda: [extract(r) for r in hraws])
    for stage in analyse.STAGES:
        name = stage.__name__.rsplit(".", 1)[-1]
        if stage is entities:
            def tag_all():
                for k in range(0, len(docs), BATCH):
                    batch = docs[k:k + BATCH]
                    for d, tagged in zip(batch, timed("entities_tagger", lambda b=batch: entities.tags_german(b))):
                        entities.annotate(d, tagged)
            timed(name, tag_all)
        else:
            timed(name, lambda s=stage: [s.annotate(d) for d in docs])
    reg = registry(Settings())
    timed("link", lambda: [reg.link(d) for d in docs])
    with open_store(str(tmp / "stages.db")) as store:
        def store_all():
            for d in docs:
                store.add_document(d)
                store.save_entities(*reg.take_dirty())
        timed("store", store_all)
        timed("stories", lambda: regroup(store))
    stages = {}
    for name, seconds in cpu.items():
        stage_mb = hsize / 1e6 if name == "extract_html" else mb
        stages[name] = {"cpu_s": round(seconds, 2), "articles_per_s": _rate(n, seconds),
                        "mb_per_s": round(stage_mb / seconds, 2) if seconds else None}
    stages["entities_rules"] = {"cpu_s": round(cpu["entities"] - cpu["entities_tagger"], 2),
                                "articles_per_s": _rate(n, cpu["entities"] - cpu["entities_tagger"])}
    total = sum(v for k, v in cpu.items() if k not in ("extract_html", "entities_tagger"))
    return {"articles": n, "input_mb": round(mb, 2), "html_input_mb": round(hsize / 1e6, 2),
            "cpu_seconds_per_stage": stages, "all_stages_cpu_s": round(total, 2),
            "all_stages_articles_per_cpu_s": _rate(n, total), "model_loading_cpu_s": startup,
            "load_average_before_after": [load_before, _load()],
            "reference_cpu_s_before_after": [ref_before, _reference()]}


# -- the whole pipeline -------------------------------------------------------------------------------------------

def bench_pipeline(sizes: list[int], workers: int, as_html: bool) -> dict:
    """Each size in a fresh process: what the process kept from a smaller size (its heap, pages its worker processes
    would share) must not count in the next one's memory."""
    runs = []
    for n in sizes:
        done = subprocess.run([sys.executable, __file__, "pipeline-one", "--n", str(n), "--workers", str(workers),
                               *(["--html"] if as_html else [])], check=True, stdout=subprocess.PIPE, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    out = {"input": "html pages (JSON Lines, html field)" if as_html else "text (JSON Lines, text field)",
           "workers": workers, "runs": runs}
    if len(runs) > 1:
        first, last = runs[0], runs[-1]
        per_first, per_last = first["wall_s"] / first["articles"], last["wall_s"] / last["articles"]
        out["growth"] = {"sizes": f"{first['articles']} -> {last['articles']}",
                         "time_ratio": round(last["wall_s"] / first["wall_s"], 1),
                         "size_ratio": round(last["articles"] / first["articles"], 1),
                         "seconds_per_article_ratio": round(per_last / per_first, 2),
                         "story_stage_ms_per_article": [round(r["story_stage_s"] / r["articles"] * 1000, 2)
                                                             for r in runs]}
    return out


def bench_pipeline_one(n: int, workers: int, as_html: bool, tmp: Path) -> dict:
    """One size of the pipeline benchmark, in this process."""
    from pressespiegel import pipeline
    from pressespiegel.config import Settings
    from pressespiegel.store import open_store

    pipeline.warm()  # model loading is in `model_loading_cpu_s` of the stages benchmark; here: steady state
    original = pipeline.Loader.place_stories
    story_s: list[float] = []

    def timed_place_stories(loader, final=False):
        t = time.perf_counter()
        out = original(loader, final)
        story_s.append(time.perf_counter() - t)
        return out

    pipeline.Loader.place_stories = timed_place_stories
    try:
        path, size = write_corpus(n, tmp, as_html)
        load_before, ref_before = _load(), _reference()
        own0, kids0 = _cpu()
        with TreeMemory() as mem, open_store(str(tmp / f"run-{n}-{workers}-{as_html}.db")) as store:
            t = time.perf_counter()
            summary = pipeline.run([str(path)], store, Settings(), workers=workers)
            wall = time.perf_counter() - t
        own1, kids1 = _cpu()
    finally:
        pipeline.Loader.place_stories = original
    assert summary.stored == n and summary.rejected == 0, summary
    return {"articles": n, "input_mb": round(size / 1e6, 2), "wall_s": round(wall, 1),
            "articles_per_s": _rate(n, wall), "mb_per_s": round(size / 1e6 / wall, 3),
            "cpu_s_main": round(own1 - own0, 1), "cpu_s_workers": round(kids1 - kids0, 1),
            "articles_per_cpu_s": _rate(n, own1 - own0 + kids1 - kids0),
            "story_stage_s": round(sum(story_s), 1),  # every STORY_EVERY articles + the end
            "story_stage_calls": len(story_s), "stories": summary.stories,
            "peak_pss_tree_mb": mem.peak_mb, "peak_rss_sum_tree_mb": mem.peak_rss_mb,
            "load_average_before_after": [load_before, _load()],
            "reference_cpu_s_before_after": [ref_before, _reference()]}


# -- Spark --------------------------------------------------------------------------------------------------------

def bench_spark(n: int, tmp: Path) -> dict:
    from pressespiegel import pipeline
    from pressespiegel.config import Settings
    from pressespiegel.spark_job import run_job, session
    from pressespiegel.store import open_store

    path, size = write_corpus(n, tmp)
    result: dict = {"articles": n, "input_mb": round(size / 1e6, 2)}
    pipeline.warm()
    own0, kids0 = _cpu()
    t = time.perf_counter()
    with open_store(str(tmp / "local.db")) as store:
        local = pipeline.run([str(path)], store, Settings(), workers=2)
    local_s = time.perf_counter() - t
    own1, kids1 = _cpu()
    local_cpu = own1 - own0 + kids1 - kids0
    result["run_workers_2"] = {"wall_s": round(local_s, 1), "articles_per_s": _rate(n, local_s),
                               "articles_per_s_per_core": _rate(n, local_s * 2), "cpu_s_tree": round(local_cpu, 1),
                               "articles_per_cpu_s": _rate(n, local_cpu)}
    for cores in (1, 2):
        t = time.perf_counter()
        spark = session(f"local[{cores}]", f"pressespiegel-bench-{cores}")
        started = time.perf_counter() - t
        load_before, ref_before = _load(), _reference()
        with TreeMemory() as mem:
            cpu0 = mem.cpu()
            t = time.perf_counter()
            job = run_job([str(path)], str(tmp / f"out{cores}"), Settings(), db=str(tmp / f"spark{cores}.db"),
                          spark=spark, partitions=4 * cores)
            wall = time.perf_counter() - t
            cpu = mem.cpu() - cpu0
        master = spark.sparkContext.master
        spark.stop()
        assert job.run.stored == local.stored == n, (job.run, local)
        result[f"spark_local_{cores}"] = {"master": master, "session_start_s": round(started, 1),
                                          "wall_s": round(wall, 1),
                                          "articles_per_s": _rate(n, wall),
                                          "articles_per_s_per_core": _rate(n, wall * cores),
                                          "phases_s": job.seconds,
                                          "cpu_s_tree": round(cpu, 1), "articles_per_cpu_s": _rate(n, cpu),
                                          "peak_pss_tree_mb": mem.peak_mb,
                                          "peak_rss_sum_tree_mb": mem.peak_rss_mb,
                                          "load_average_before_after": [load_before, _load()],
            "reference_cpu_s_before_after": [ref_before, _reference()]}
        print(json.dumps(result[f"spark_local_{cores}"]), file=sys.stderr, flush=True)
    one, two = result["spark_local_1"], result["spark_local_2"]
    result["spark_speedup_1_to_2_cores"] = round(one["wall_s"] / two["wall_s"], 2)
    result["spark_per_core_vs_run"] = round(two["articles_per_s_per_core"]
                                            / result["run_workers_2"]["articles_per_s_per_core"], 2)
    result["spark_per_cpu_second_vs_run"] = round(two["articles_per_cpu_s"]
                                                  / result["run_workers_2"]["articles_per_cpu_s"], 2)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("what", choices=("stages", "pipeline", "spark", "pipeline-one"))  # (-one: one size, for pipeline)
    ap.add_argument("--n", type=int, nargs="+", default=[1000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--html", action="store_true")
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    if not GNAD.exists():
        print(f"skipped: {GNAD} is not available", file=sys.stderr)
        return 0
    sizes = " ".join(map(str, args.n))
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if args.what == "pipeline-one":
            print(json.dumps(bench_pipeline_one(args.n[0], args.workers, args.html, tmp)))
        elif args.what == "stages":
            result = bench_stages(args.n[0], tmp)
            report(result, args.record, f"Scale: every stage alone, 10kGNAD x{args.n[0]}",
                   f"python benchmarks/scale.py stages --n {args.n[0]} --record",
                   "CPU seconds of one process per stage (model loading apart); MB/s of the JSON Lines input.")
        elif args.what == "pipeline":
            result = bench_pipeline(args.n, args.workers, args.html)
            report(result, args.record,
                   f"Scale: whole pipeline (run), {'HTML' if args.html else 'text'}, --workers {args.workers}, "
                   f"10kGNAD x{sizes}",
                   f"python benchmarks/scale.py pipeline --n {sizes} --workers {args.workers}"
                   + (" --html" if args.html else "") + " --record",
                   "Fresh SQLite store per size; models loaded before timing; wall time on a shared 2-core machine "
                   "(load average and a reference workload's CPU seconds recorded).")
        else:
            result = bench_spark(args.n[0], tmp)
            report(result, args.record, f"Scale: Spark job in local mode vs run, 10kGNAD x{args.n[0]}",
                   f"python benchmarks/scale.py spark --n {args.n[0]} --record",
                   "Same corpus, same process; Spark includes its store load and story stage like run does.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
