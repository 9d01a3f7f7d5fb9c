"""The cache of the per-line rules of extraction (boilerplate, comment headers, widgets).

Page furniture repeats from page to page ("Politik | Wirtschaft | Sport", "Antworten | Melden"), and the rules look
at each line of a document several times, so their results are worth remembering. The cache is small: with 65,536
lines per rule it kept whole paragraphs alive, and the worker processes of a long run grew by ~10 MB per 1,000
articles until the caches were full.
"""

from __future__ import annotations

from functools import lru_cache

SIZE = 4096  # lines remembered per rule

line_cache = lru_cache(maxsize=SIZE)
