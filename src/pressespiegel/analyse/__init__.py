"""Analyse: per-article annotation stages, each a module with ``annotate(doc)`` and a declared ``ASSIGNS``.

Figures come after time expressions (a date is not a figure); quotes after entities (their speakers are the
entities and nominal mentions found before).
"""

from __future__ import annotations

from ..model import Document
from . import entities, figures, language, quotes, timex

STAGES = (language, timex, figures, entities, quotes)


def annotate(doc: Document) -> Document:
    for stage in STAGES:
        stage.annotate(doc)
    return doc
