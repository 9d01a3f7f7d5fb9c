"""Analyse: per-article annotation stages, each a module with ``annotate(doc)`` and a declared ``ASSIGNS``.

Quotes get their own module as its issue lands; until then the document model keeps that field empty, so the
output contract always has it.
"""

from __future__ import annotations

from ..model import Document
from . import entities, language, timex

STAGES = (language, timex, entities)


def annotate(doc: Document) -> Document:
    for stage in STAGES:
        stage.annotate(doc)
    return doc
