"""Analyse: per-article annotation stages, each a module with ``annotate(doc)`` and a declared ``ASSIGNS``.

Entities and quotes get their own modules as their issues land; until then the document model keeps those fields
empty, so the output contract always has them.
"""

from __future__ import annotations

from ..model import Document
from . import language, timex

STAGES = (language, timex)


def annotate(doc: Document) -> Document:
    for stage in STAGES:
        stage.annotate(doc)
    return doc
