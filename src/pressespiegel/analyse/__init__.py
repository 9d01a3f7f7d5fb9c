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


def annotate_all(docs: list[Document]) -> list[Document]:
    """``annotate`` for many documents, the same result, faster: the entity tagger runs on all their sentences at
    once. An error in any document propagates (callers that must isolate documents fall back to ``annotate``)."""
    for stage in STAGES:
        if stage is entities:
            for doc, tagged in zip(docs, entities.tags_german(docs)):
                entities.annotate(doc, tagged)
        else:
            for doc in docs:
                stage.annotate(doc)
    return docs
