"""Analyse: per-article annotation stages, each a module with ``annotate(doc)`` and a declared ``ASSIGNS``.

Quotes come after entities: their speakers are the entities and nominal mentions found before.
"""

from __future__ import annotations

from ..model import Document
from . import entities, language, quotes, timex

STAGES = (language, timex, entities, quotes)


def annotate(doc: Document) -> Document:
    for stage in STAGES:
        stage.annotate(doc)
    return doc
