"""Analysis in worker processes (`--workers N`): the same documents, entities, quotes and stories as in one process,
a document that fails or kills its worker is rejected alone, one article starts no pool, and the entity tagger gives a
sentence the same scores whatever it is batched with (what makes the first three hold)."""

from __future__ import annotations

import multiprocessing
import os
import random
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from pressespiegel import parallel, pipeline
from pressespiegel.cli import app
from pressespiegel.config import Settings
from pressespiegel.export import rows
from pressespiegel.model import Document, Rejection
from pressespiegel.store import open_store

STORIES = Path(__file__).parent / "stories"  # invented articles, several per event, with agency copies
CORPUS = sorted(str(p) for p in STORIES.glob("*.txt"))[:26]
FORK = "fork" in multiprocessing.get_all_start_methods()
SNAPSHOT = ("articles", "stories", "quotes", "statements", "entities", "registry", "nominals", "timexes", "figures",
            "quarantine")


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH", 5)  # several batches from a small corpus: the pool is used


def _contracts(items) -> list:
    return [d.to_contract() if isinstance(d, Document) else ("rejected", d.source, d.reason) for d in items]


def _snapshot(db: Path) -> dict[str, list[dict]]:
    with open_store(str(db)) as store:
        out = {}
        for what in SNAPSHOT:
            out[what] = [{k: v for k, v in r.items() if k not in ("ingested_at", "first_seen", "last_seen",
                                                                  "updated_at")} for r in rows(store, what)]
        return out


def test_analyze_with_workers_equals_one_process(small_batches):
    one = _contracts(pipeline.analyze(CORPUS, Settings(), workers=1))
    two = _contracts(pipeline.analyze(CORPUS, Settings(), workers=2))
    assert len(one) == len(CORPUS) and all(isinstance(d, dict) for d in one)
    assert sum(len(d["entities"]) for d in one) > 100 and sum(len(d["quotes"]) for d in one) > 10
    assert two == one


def test_run_with_workers_stores_the_same(small_batches, tmp_path):
    bad = tmp_path / "kaputt.txt"
    bad.write_bytes(b"\x00\x01\x02" * 50)
    copy = tmp_path / "kopie.txt"
    copy.write_bytes(Path(CORPUS[3]).read_bytes())
    inputs = [*CORPUS[:12], str(bad), *CORPUS[12:], str(copy)]  # a bad input and a repeat among them
    summaries = {}
    for n in (1, 2):
        with open_store(str(tmp_path / f"w{n}.db")) as store:
            summaries[n] = pipeline.run(inputs, store, Settings(), workers=n)
    assert (summaries[1].stored, summaries[1].rejected, summaries[1].skipped) == (len(CORPUS), 1, 1)
    assert (summaries[2].stored, summaries[2].rejected, summaries[2].skipped, summaries[2].stories) == \
        (summaries[1].stored, summaries[1].rejected, summaries[1].skipped, summaries[1].stories)
    one, two = _snapshot(tmp_path / "w1.db"), _snapshot(tmp_path / "w2.db")
    assert len(one["stories"]) == summaries[1].stories and len(one["entities"]) > 100
    for what in SNAPSHOT:
        assert two[what] == one[what], what


def test_cli_workers_option(tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["--quiet", "run", *CORPUS[:3], "--db", str(tmp_path / "a.db"), "--workers", "2"])
    assert out.exit_code == 0, out.output
    bad = runner.invoke(app, ["run", *CORPUS[:1], "--db", str(tmp_path / "b.db"), "--workers", "0"])
    assert bad.exit_code == 2


def _explode(raw, clean=False, published=None):
    if "Trellinger" in raw.content:
        raise RuntimeError("kaputt")
    return ORIGINAL_EXTRACT(raw, clean=clean, published=published)


def _die(raw, clean=False, published=None):
    if "Trellinger" in raw.content:
        os._exit(7)  # a crash that takes the worker process down
    return ORIGINAL_EXTRACT(raw, clean=clean, published=published)


ORIGINAL_EXTRACT = pipeline.extract
TARGET = next(p for p in CORPUS if "Trellinger" in Path(p).read_text(encoding="utf-8"))


@pytest.mark.skipif(not FORK, reason="the workers see the patched stage only when they are forked")
@pytest.mark.parametrize("failure", [_explode, _die])
def test_a_failing_document_is_rejected_alone(small_batches, monkeypatch, failure):
    monkeypatch.setattr(pipeline, "extract", failure)
    got = list(pipeline.analyze(CORPUS, Settings(), workers=2))
    assert len(got) == len(CORPUS)
    rejected = [d for d in got if isinstance(d, Rejection)]
    assert [r.source for r in rejected] == [TARGET]
    assert ("kaputt" if failure is _explode else "worker process") in rejected[0].reason
    assert all(isinstance(d, Document) and d.entities for d in got if d.source != TARGET)


def test_one_batch_starts_no_pool(monkeypatch):
    def no_pool(*_a, **_k):
        raise AssertionError("a pool was started for a single batch")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    docs = list(pipeline.analyze(CORPUS[:2], Settings(), workers=4))
    assert len(docs) == 2 and all(isinstance(d, Document) for d in docs)


def _square_all(batch: list[int]) -> list[int]:
    return [x * x for x in batch]


def test_ordered_map_keeps_order_and_bounds_work_in_flight():
    pulled = []

    def batches():
        for k in range(40):
            pulled.append(k)
            yield list(range(3 * k, 3 * k + 3))

    for ahead in (4, 10):
        pulled.clear()
        seen = 0
        for k, (batch, result) in enumerate(parallel.ordered_map(_square_all, batches(), 2, lost=lambda x: -1,
                                                                 ahead=ahead)):
            assert batch == list(range(3 * k, 3 * k + 3)) and result == [x * x for x in batch]
            assert len(pulled) <= k + 1 + ahead  # never more than `ahead` batches ahead
            seen += 1
        assert seen == 40


def test_tagger_scores_do_not_depend_on_the_batch():
    from pressespiegel.analyse import ner
    from pressespiegel.analyse.entities import tag_texts

    tagger = ner.load_model()
    texts = [Path(p).read_text(encoding="utf-8") for p in CORPUS[:6]]
    sentences = [[t.text for t in tokens] for doc in tag_texts(texts) for tokens, _ in doc]
    random.Random(3).shuffle(sentences)
    alone = sentences[:30] + [["Berlin"], ["Olaf", "Reinhardt"], [","] * 3]
    together = tagger.emissions(alone + sentences[30:])
    for sentence, scores in zip(alone, together):
        # equal up to the last bits of a float: some BLAS kernels (OpenBLAS on AMD EPYC) round a row of a product
        # according to its position in the matrix, whatever the padding
        assert np.allclose(tagger.emissions([sentence])[0], scores, rtol=0, atol=1e-4)
    assert ner.tag_sentences(sentences)[:30] == [ner.tag_sentences([s])[0] for s in sentences[:30]]


def test_tagger_caches_empty_when_full(monkeypatch):
    from pressespiegel.analyse import ner, ner_nn

    sentence = "Die Deutsche Bahn streikt am Montag in Berlin .".split()
    want = ner.tag_sentences([sentence])
    monkeypatch.setattr(ner_nn, "CACHE", 5)
    tagger = ner.load_model()
    for k in range(3):  # each call brings more new words than the cache may hold, with some it already has
        got = ner.tag_sentences([[f"Wort{k}x{i}" for i in range(12)] + sentence[:3], sentence])
        assert got[1] == want[0]
    assert len(tagger._crf_rows) < 40 and len(tagger.nets[0]._char_cache) < 40 and len(tagger._sh3) < 40


def _niceness(items: list) -> list[int]:
    return [os.nice(0) for _ in items]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="no process priorities on this platform")
def test_workers_run_nicer_than_the_caller():
    # the caller's work (linking, store writes, stories) is sequential: it goes first when the cores are busy
    got = [n for _, niceness in parallel.ordered_map(_niceness, [[1], [2], [3]], 2, lost=lambda _: -1)
           for n in niceness]
    assert got == [min(19, os.nice(0) + parallel.WORKER_NICE)] * 3
