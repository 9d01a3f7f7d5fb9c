"""Language of the article (ISO 639-1), by py3langid's shipped model."""

from __future__ import annotations

from ..model import Document

ASSIGNS = ("language",)


def detect(text: str) -> str:
    sample = text[:1500]  # ~200 words are plenty; the classifier's time grows with the text
    if len(sample.strip()) < 3:
        return "und"
    import py3langid  # loads its model on import: only when first needed

    lang, _ = py3langid.classify(sample)
    return lang


def annotate(doc: Document) -> Document:
    doc.language = detect(doc.text)
    return doc
