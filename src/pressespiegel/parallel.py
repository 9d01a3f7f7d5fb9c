"""Batches of documents analysed in worker processes, results back in input order.

``ordered_map(work, batches, workers)`` yields ``(batch, work(batch))`` in the order of ``batches``. With one worker,
or when there is only one batch (a single article), everything runs in this process and no pool is started. Otherwise
a pool of worker processes is started when the second batch arrives, and at most ``ahead`` batches (default
``AHEAD``) are in flight or done and waiting (memory stays bounded however long the input is): enough that the
workers go on while the caller spends a few seconds on a result (``run`` places stories every few hundred
articles).

Workers are forked where the platform can (Linux): they inherit the models the calling process has loaded (``warm``)
instead of loading them again — the gazetteer alone takes seconds to build — and share their memory pages. Elsewhere
they are spawned and load what they need on first use. A worker process that dies (a crash in a C extension, the
kernel's out-of-memory killer) does not end the run: its batch is retried one item per task in a fresh pool, and only
the item whose task kills a worker again is given up (``lost(item)`` gives its result).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import chain
from typing import TypeVar

AHEAD = 24  # batches in flight (or done, waiting for the caller)
# Workers run this much nicer than the calling process: the caller's share of the work (linking, store writes,
# stories) is sequential and everything waits for it, so it goes first when the cores are busy.
WORKER_NICE = 5
Item = TypeVar("Item")
Result = TypeVar("Result")


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin" else "spawn")


def _init_worker() -> None:
    # Ctrl-C is the calling process's business: it stops the pool after the batches in hand
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    lower_priority()
    # a fresh standard error: a thread of the parent (a progress bar) may have held the old one's lock at fork time
    try:
        sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    except OSError:
        pass


def lower_priority(step: int = WORKER_NICE) -> None:
    """Make this (worker) process nicer by ``step`` where the platform can."""
    try:
        os.nice(step)
    except (AttributeError, OSError):
        pass


class _Pool:
    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.executor: ProcessPoolExecutor | None = None

    def submit(self, fn: Callable, *args: object) -> Future:
        if self.executor is None:
            self.executor = ProcessPoolExecutor(self.workers, mp_context=_context(), initializer=_init_worker)
        return self.executor.submit(fn, *args)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None


def ordered_map(work: Callable[[list[Item]], list[Result]], batches: Iterable[list[Item]], workers: int,
                lost: Callable[[Item], Result], warm: Callable[[], None] | None = None, ahead: int = 0
                ) -> Iterator[tuple[list[Item], list[Result]]]:
    """``(batch, work(batch))`` for every batch, in order. ``work`` must be picklable (a module-level function or a
    ``functools.partial`` of one) and return one result per item; ``warm`` runs in this process first when there
    are two batches or more (before any worker starts); ``lost(item)`` is the result of an item whose worker process
    died while working on it."""
    it = iter(batches)
    first = next(it, None)
    if first is None:
        return
    second = next(it, None)
    if warm is not None and second is not None:
        warm()
    if workers <= 1 or second is None:
        for batch in chain([first], [second] if second is not None else [], it):
            yield batch, work(batch)
        return
    pool = _Pool(workers)
    pending: deque[tuple[list[Item], Future]] = deque()
    try:
        for batch in chain([first, second], it):
            pending.append((batch, pool.submit(work, batch)))
            while len(pending) >= max(ahead or AHEAD, 2 * workers):
                yield _next(pending, pool, work, lost)
        while pending:
            yield _next(pending, pool, work, lost)
    finally:
        pool.close()


def _next(pending: deque, pool: _Pool, work: Callable, lost: Callable) -> tuple[list, list]:
    batch, future = pending.popleft()
    try:
        return batch, future.result()
    except BrokenProcessPool:
        pass
    # a worker died: find the item that kills it, one task per item in a fresh pool; then resubmit the rest
    pool.close()
    results = []
    for item in batch:
        try:
            results.append(pool.submit(work, [item]).result()[0])
        except BrokenProcessPool:
            results.append(lost(item))
            pool.close()
    for k, (other, _) in enumerate(pending):
        pending[k] = (other, pool.submit(work, other))
    return batch, results
