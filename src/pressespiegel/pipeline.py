"""The library API: analyse inputs without storing, or run ingest → extract → analyse → store → stories.

The CLI is a thin shell over these functions. Whatever goes wrong with one input becomes a ``Rejection`` with a
one-line reason; nothing here lets one bad input stop a run.
"""

from __future__ import annotations

import gc
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from . import analyse
from .analyse.linking import KnowledgeBase, Registry
from .config import Settings
from .extract import ExtractionError, extract
from .ingest import Input, WarcCounts, read_inputs
from .model import Document, RawDocument, Rejection, content_hash
from .parallel import ordered_map
from .store import DocumentNotStored, Store

if TYPE_CHECKING:
    from .stories.index import Placer


@dataclass
class RunSummary:
    stored: int = 0
    skipped: int = 0  # already in the store (same content hash)
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    stories: int = 0
    warc: WarcCounts = field(default_factory=WarcCounts)  # what WARC inputs held (HTML responses, skipped, broken)

    @property
    def ok(self) -> bool:
        return self.rejected == 0


Event = Callable[[str, Document | Rejection | RawDocument | Input], None]


def registry(settings: Settings, store: Store | None = None) -> Registry:
    """The entity registry of a run: what the store already knows, and the user's knowledge base if configured."""
    kb = KnowledgeBase.load(settings.kb) if settings.kb else None
    return Registry(store.entity_records() if store is not None else [], kb=kb)


BATCH = 32  # documents analysed together (the entity tagger is much faster on many sentences at once)
STORY_EVERY = 200  # a run places its stored articles in stories this many at a time (and the rest at the end)


def _rejection(raw: RawDocument, exc: BaseException) -> Rejection:
    if isinstance(exc, ExtractionError):
        return Rejection(raw.source, str(exc), raw.size_bytes, raw.content_hash)
    if isinstance(exc, RecursionError):
        return Rejection(raw.source, "structure nested too deeply to process", raw.size_bytes, raw.content_hash)
    rej = Rejection(raw.source, f"internal error while processing: {type(exc).__name__}: {exc}", raw.size_bytes,
                    raw.content_hash)
    rej.detail = "".join(traceback.format_exception(exc))
    return rej


def process_all(raws: list[RawDocument], settings: Settings,
                entities: Registry | None = None) -> list[Document | Rejection]:
    """Extract and analyse raw documents (in one batch), then link their entities to those of earlier documents,
    in order. Whatever fails in one document becomes its rejection; the others go on."""
    return _link(raws, analyse_batch(settings, raws), entities)


def analyse_batch(settings: Settings, raws: list[RawDocument | Rejection]) -> list[Document | Rejection]:
    """Extract and analyse raw documents in one batch, without linking their entities (that needs the documents
    before them: ``_link``); what runs in a worker process. A rejection among ``raws`` passes through."""
    out: list[Document | Rejection | None] = [None] * len(raws)
    extracted: list[tuple[int, Document]] = []
    for k, raw in enumerate(raws):
        if isinstance(raw, Rejection):
            out[k] = raw
            continue
        try:
            extracted.append((k, extract(raw, clean=settings.clean, published=settings.published)))
        except Exception as exc:  # noqa: BLE001 - one document's failure must not end the run; --debug shows it
            out[k] = _rejection(raw, exc)
    try:
        analyse.annotate_all([doc for _, doc in extracted])
    except Exception:  # noqa: BLE001 - find the document that fails: analyse them one by one
        for k, doc in extracted:
            try:
                analyse.annotate(doc)
            except Exception as exc:  # noqa: BLE001
                out[k] = _rejection(raws[k], exc)  # type: ignore[arg-type]
    for k, doc in extracted:
        if out[k] is None:
            out[k] = doc
    return out  # type: ignore[return-value]


def _link(raws: list, results: list[Document | Rejection], entities: Registry | None) -> list[Document | Rejection]:
    """Link the entities of analysed documents to those of the documents before them, in order (the registry's
    state depends on the order: this runs in the calling process)."""
    if entities is not None:
        for k, doc in enumerate(results):
            if isinstance(doc, Document):
                try:
                    entities.link(doc)
                except Exception as exc:  # noqa: BLE001
                    results[k] = _rejection(raws[k], exc)
    return results


def _lost(raw: RawDocument | Rejection) -> Rejection:
    """The result of a document whose worker process died while analysing it."""
    if isinstance(raw, Rejection):
        return raw
    return Rejection(raw.source, "the worker process analysing it died (a crash or out of memory)", raw.size_bytes,
                     raw.content_hash)


def warm() -> None:
    """Load what analysis needs (the entity tagger, the gazetteer, the language model) in this process, so that
    forked worker processes share it instead of loading it each, and freeze it (``gc.freeze``)."""
    from .analyse import language, ner
    from .analyse.linking import Gazetteer

    ner.load_model()
    Gazetteer.shipped()
    language.detect("Ein kurzer deutscher Satz, damit das Sprachmodell geladen ist.")
    # The models are millions of objects that live as long as the process: out of the garbage collector's sight,
    # its full collections no longer walk them (garbage collection: 4.1 → 1.4 CPU seconds over the process tree of
    # a run on 1,000 articles) and forked workers no longer copy the memory pages the walk would touch.
    gc.freeze()


def _analysed(batches: Iterable[list], settings: Settings, workers: int) -> Iterator[tuple[list, list]]:
    """(batch, its documents or rejections, unlinked) in order; ``workers`` > 1 analyses in worker processes."""
    return ordered_map(partial(analyse_batch, settings), batches, workers, _lost, warm)


def process(raw: RawDocument, settings: Settings, entities: Registry | None = None) -> Document | Rejection:
    """Extract and analyse one raw document; link its entities to those of earlier documents."""
    return process_all([raw], settings, entities)[0]


def _batches(items: Iterable, size: int | None = None) -> Iterator[list]:
    size = size or BATCH
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyze(paths: Iterable[str], settings: Settings, kind: str | None = None,
            warc_counts: WarcCounts | None = None, workers: int = 1) -> Iterator[Document | Rejection]:
    """Documents (or rejections) for every input, in input order; nothing is stored. Entities are linked across the
    documents of the call (one id and canonical name per entity). Documents are analysed ``BATCH`` at a time, in
    ``workers`` processes (the same result as in one). ``warc_counts`` (if given) adds up what WARC inputs held."""
    entities = registry(settings)
    batches = _batches(read_inputs(paths, settings.limits, kind, warc_counts=warc_counts))
    for batch, results in _analysed(batches, settings, workers):
        yield from _link(batch, results, entities)


def run(paths: Iterable[str], store: Store, settings: Settings, kind: str | None = None,
        on_event: Event | None = None, workers: int = 1) -> RunSummary:
    """Ingest, analyse and store; place the stored articles in stories every ``STORY_EVERY`` and at the end.
    Re-running adds nothing. ``workers`` > 1 extracts and analyses in that many worker processes; linking, storing
    and grouping stay in this process, in input order, so the store ends up the same as with one."""
    loader = Loader(store, settings, on_event)

    def fresh() -> Iterator[RawDocument]:
        for item in read_inputs(paths, settings.limits, kind, on_input=lambda inp: loader.notify("input", inp),
                                warc_counts=loader.summary.warc):
            if isinstance(item, Rejection):
                loader.reject(item)
            elif loader.fresh(item.content_hash, item):  # before the costly analysis: re-runs are fast
                yield item

    for batch, results in _analysed(_batches(fresh()), settings, workers):
        for raw, result in zip(batch, results):
            loader.add(result, raw)
    return loader.finish()


class Loader:
    """Puts analysed documents into a store in input order: skips what the store or this run already has, links
    entities across documents, writes each document and the registry records it changed, and places the stored
    articles in stories every ``STORY_EVERY`` and at the end. ``run`` and the Spark job's driver both load through
    it, so both fill a store the same way."""

    def __init__(self, store: Store, settings: Settings, on_event: Event | None = None) -> None:
        self.store = store
        self.summary = RunSummary()
        self.notify: Event = on_event or (lambda _kind, _item: None)
        self.entities = registry(settings, store)
        self.seen: set[str] = set()  # content hashes of this run: a repeat is skipped, however far back
        self.unplaced = 0  # stored since stories were last placed
        self.placer: Placer | None = None  # places this run's articles in stories, STORY_EVERY at a time
        gc.freeze()  # the registry's gazetteer, what the store knew: out of the garbage collector's sight (see warm)

    def fresh(self, content_hash: str, item: RawDocument | Document) -> bool:
        """Whether a document is new to the store and to this run (if not, it counts as skipped)."""
        if content_hash in self.seen or self.store.has_document(content_hash):
            self.summary.skipped += 1
            self.notify("skipped", item)
            return False
        self.seen.add(content_hash)
        return True

    def reject(self, rejection: Rejection) -> None:
        _reject(self.store, self.summary, rejection, self.notify)

    def add(self, result: Document | Rejection, raw: RawDocument | None = None) -> Document | None:
        """Link and store one analysed document (or record its rejection); the document if it was stored."""
        if isinstance(result, Document):
            result = _link([raw or result], [result], self.entities)[0]
        if isinstance(result, Rejection):
            self.reject(result)
            return None
        records, merged = self.entities.take_dirty()  # saved with the document, in its transaction
        try:
            doc_id = self.store.add_document(result, records, merged)
        except DocumentNotStored as exc:  # a value the database cannot hold: this document only
            self.entities.keep_dirty(records, merged)  # (saved with the next document)
            self.reject(Rejection(result.source, str(exc), result.size_bytes, result.content_hash))
            return None
        if doc_id is None:
            self.entities.keep_dirty(records, merged)
            self.summary.skipped += 1
            self.notify("skipped", result)
            return None
        self.summary.stored += 1
        self.unplaced += 1
        self.notify("stored", result)
        if self.unplaced >= STORY_EVERY:  # while the workers analyse what comes next
            self.place_stories()
        return result

    def place_stories(self, final: bool = False) -> None:
        """Place the stored articles that are in no story yet; at the end of the run (``final``) also match their
        quotes to the statements around them."""
        from .stories.index import Placer

        self.placer = self.placer or Placer()
        self.placer.place(self.store)
        self.unplaced = 0
        if final:
            self.placer.statements(self.store)

    def finish(self) -> RunSummary:
        """Place what is not in a story yet; the summary of the run."""
        if self.unplaced or self.placer is not None or not self.store.stories():
            self.place_stories(final=True)
        self.summary.stories = self.store.counts()["stories"]
        return self.summary


def _reject(store: Store, summary: RunSummary, rejection: Rejection, notify: Event) -> None:
    if rejection.fingerprint is None:
        rejection.fingerprint = content_hash(rejection.reason)
    store.add_rejection(rejection)
    summary.rejected += 1
    summary.rejections.append(rejection)
    notify("rejected", rejection)


def regroup(store: Store) -> int:
    """Place the articles that are in no story yet (the new ones) in the story index — each joins a story or starts
    one, without regrouping the store (stories.index) — and match their quotes to the statements around them;
    returns the number of stories. ``pressespiegel recluster`` (stories.index.rebuild) recomputes everything."""
    from .stories.index import update

    update(store)
    return store.counts()["stories"]
