"""A cache for the per-line rules of extraction (boilerplate, comment headers, widgets).

Page furniture repeats from page to page ("Politik | Wirtschaft | Sport", "Antworten | Melden"), so the rules'
results for a line are worth remembering across documents. Article paragraphs do not repeat, and remembering them
kept whole articles alive: the worker processes of a long run grew by ~10 MB per 1,000 articles until each cache held
its 65,536 lines. Only short lines are cached now.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

LONGEST = 160  # characters: longer lines (article paragraphs) are not cached
SIZE = 16384  # lines per rule

T = TypeVar("T")


def line_cache(fn: Callable[[str], T]) -> Callable[[str], T]:
    """``fn(line)`` with the results of short lines cached (``cache_clear`` as for ``lru_cache``)."""
    cached = lru_cache(maxsize=SIZE)(fn)

    @wraps(fn)
    def rule(line: str) -> T:
        return cached(line) if len(line) <= LONGEST else fn(line)

    rule.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    rule.cache_info = cached.cache_info  # type: ignore[attr-defined]
    return rule
