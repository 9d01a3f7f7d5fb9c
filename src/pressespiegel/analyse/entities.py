"""Entities: people, organisations, places and other names in the article, each with its canonical name.

Recognition is the CRF tagger of ``ner.py`` run sentence by sentence over the tokens of ``tokens.py``. Within a
document, variants point to one canonical name: "Rutte" → "Mark Rutte" (a surname of exactly one full name),
"Russlands" → "Russland" (a genitive of a name also written without "s"), "Nato" → "NATO" (the spelling written
most often, capitals first). ``name_key`` folds spellings across documents and transliterations ("Selenskyj",
"Selenskij", "Zelensky", "Zelenskyy"), for merging entities in the store.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..model import Document, Entity
from .sentences import sentences
from .tokens import tokenize

ASSIGNS = ("entities",)

# Words the tagger may take into a person's name that are roles, not names ("Präsident Macron").
_ROLES = frozenset("""herr frau dr. prof. präsident präsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister
ministerin ministerpräsident ministerpräsidentin bürgermeister bürgermeisterin landrat landrätin sprecher sprecherin
chef chefin trainer trainerin papst könig königin prinz prinzessin general generalsekretär""".split())


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    label: str
    text: str


def recognise(text: str) -> list[_Mention]:
    """Entity mentions, sentence by sentence."""
    from . import ner

    found: list[_Mention] = []
    for s_start, s_end in sentences(text):
        tokens = tokenize(text, s_start, s_end)
        if not tokens:
            continue
        for a, b, label in ner.spans(ner.tag_tokens([t.text for t in tokens])):
            while a < b and tokens[a].text.lower() in _ROLES and label == "PER":
                a += 1
            if a < b:
                start, end = tokens[a].start, tokens[b - 1].end
                found.append(_Mention(start, end, label, text[start:end]))
    return found


_LOCATIVE = re.compile(r"\b(in|im|aus|nach|bei|von|vom|über|durch|um|zwischen|gen|richtung)\s+$", re.I)


def person_surnames(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """A lone name the tagger took for a place or organisation is the person's when the document names a person
    with that surname and never uses the name as a place ("räumte Kassel ein" after "Landrat Heiner Kassel"; but
    "in Kassel" keeps the city)."""
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PER" and " " in m.text}
    lone = [m for m in mentions if m.label in ("LOC", "ORG") and m.text in surnames]
    placed = {m.text for m in lone if _LOCATIVE.search(text[max(0, m.start - 12):m.start])}
    return [_Mention(m.start, m.end, "PER", m.text) if m in lone and m.text not in placed else m for m in mentions]


def canonical_names(mentions: list[_Mention]) -> list[str]:
    """The canonical name of each mention within one document."""
    names = [m.text for m in mentions]
    by_label: dict[str, Counter[str]] = {}
    for m in mentions:
        by_label.setdefault(m.label, Counter())[m.text] += 1
    out = []
    for m, name in zip(mentions, names):
        seen = by_label[m.label]
        # a genitive of a name also written without its "s": "Russlands" → "Russland", "Merz'" → "Merz"
        for base in (name[:-1] if name.endswith(("s", "'", "’")) else None,
                     name[:-2] if name.endswith(("’s", "'s")) else None):
            if base and base in seen and len(base) >= 3:
                name = base
                break
        if m.label == "PER" and " " not in name:  # a surname (or first name) of exactly one full name
            full = {n for n in seen if " " in n and (n.split()[-1] == name or n.split()[0] == name)}
            if len(full) == 1:
                name = full.pop()
        # one spelling for all case variants ("Nato"/"NATO"): the most frequent, capitals first
        variants = [v for v in seen if v.lower() == name.lower()]
        name = max(variants, key=lambda v: (seen[v], sum(c.isupper() for c in v))) if variants else name
        out.append(name)
    return out


def annotate(doc: Document) -> Document:
    mentions = person_surnames(doc.text, recognise(doc.text))
    doc.entities = [Entity(start=m.start, end=m.end, text=m.text, label=m.label, canonical=canonical)
                    for m, canonical in zip(mentions, canonical_names(mentions))]
    return doc


# --- across documents --------------------------------------------------------------------------------------------

_FOLDS = (
    (r"(?:ij|yj|yy|iy|ii)\b", "y"),  # Selenskyj, Selenskij, Zelenskyy, Zelenskiy → …y
    (r"^z", "s"),  # Zelensky (English) ↔ Selenskyj (German)
    (r"tsch", "ch"), (r"sch", "sh"), (r"w", "v"), (r"ck", "k"), (r"ph", "f"), (r"th", "t"),
    (r"j(?=[aeiouy])", "y"), (r"(?<=[aeiou])j\b", ""),
    (r"ie(?=v\b)", "yi"),  # Kiev, Kiew → kyiv
    (r"(.)\1", r"\1"),  # double letters
)


def name_key(name: str) -> str:
    """A key under which spellings and transliterations of one name meet: "Selenskyj", "Selenskij", "Zelensky"
    and "Zelenskyy" → "selensky"; "Kiew", "Kyjiw" and "Kyiv" → "kyiv"; "NATO" and "Nato" → "nato"."""
    text = unicodedata.normalize("NFKD", name.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w\s-]", "", text).replace("ß", "ss")
    text = re.sub(r"([aou])e", r"\1", text)  # "Mueller" as "Müller" (whose umlaut is gone by now)
    words = []
    for word in text.split():
        for pattern, replacement in _FOLDS:
            word = re.sub(pattern, replacement, word)
        words.append(word)
    return " ".join(words)
