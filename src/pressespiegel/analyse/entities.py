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

from ..model import Document, Entity, Nominal
from .sentences import sentences
from .tokens import tokenize

ASSIGNS = ("entities", "nominals")

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


# --- roles and nominal mentions ---------------------------------------------------------------------------------

def _role_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    from .linking import vocabulary

    vocab = vocabulary()
    heads = "|".join(sorted(map(re.escape, vocab["roles"]["heads"]), key=len, reverse=True))
    demonyms = "|".join(sorted((re.escape(d) for ds in vocab["demonyms"].values() for d in ds), key=len, reverse=True))
    role = rf"(?=[A-ZÄÖÜ])[\w.-]*?(?i:{heads})(?:in)?(?![\w-])"
    adjectives = r"(?:(?<![\w-])[a-zäöü][\wäöüß-]*e[nrs]?\s+){0,2}"
    before = re.compile(rf"({adjectives}{role})\s+$")
    after = re.compile(rf"^\s*,\s+(?:der|die|des|dem)?\s*({adjectives}{role}(?:\s+(?:der|des|von|im)\s+"
                       rf"[A-ZÄÖÜ][\w-]+)?)\s*[,.;]")
    nominal = re.compile(rf"\b(?:[Dd]er|[Dd]ie|[Dd]em|[Dd]en|[Dd]es)\s+({adjectives}(?:{role}|(?:{demonyms})n?|"
                         rf"\d+-[Jj]ährigen?))\b(?!\s+[A-ZÄÖÜ])")
    return before, after, nominal


_PATTERNS: tuple[re.Pattern, re.Pattern, re.Pattern] | None = None


def roles(text: str, entities: list[Entity]) -> None:
    """A person's role from the words before the name ("NATO-Generalsekretär Mark Rutte") or from an apposition
    after it ("Mark Rutte, der NATO-Generalsekretär,"); every mention of the person gets the first role found."""
    global _PATTERNS
    _PATTERNS = _PATTERNS or _role_patterns()
    before, after, _ = _PATTERNS
    found: dict[str, str] = {}
    for e in entities:
        if e.label != "PER" or e.canonical in found:
            continue
        m = before.search(text[max(0, e.start - 80):e.start]) or after.search(text[e.end:e.end + 120])
        if m:
            found[e.canonical] = m.group(1)
    for e in entities:
        e.role = found.get(e.canonical) if e.label == "PER" else None


def nominals(text: str, entities: list[Entity]) -> list[Nominal]:
    """Persons named by a noun phrase ("der Niederländer", "der Kreml-Sprecher", "die 57-Jährige"), each with the
    person it refers to: one whose role has the phrase's noun, else one written near the phrase's nationality
    ("niederländische"), else the person named last before it."""
    global _PATTERNS
    _PATTERNS = _PATTERNS or _role_patterns()
    people = [e for e in entities if e.label == "PER"]
    spans = [(e.start, e.end) for e in entities]
    out = []
    for m in _PATTERNS[2].finditer(text):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in spans):
            continue
        earlier = [e for e in people if e.end <= start]
        if not earlier:
            continue
        noun = m.group(1).split()[-1].lower()
        stem = re.sub(r"(?:erin|er|in|e|n)$", "", noun.split("-")[-1])[:7]

        def score(e: Entity, noun: str = noun, stem: str = stem) -> tuple[int, int]:
            role = (e.role or "").lower()
            near = text[max(0, e.start - 60):e.end + 60].lower()
            fits = 2 if role and (role.endswith(noun.split("-")[-1]) or noun.endswith(role.split()[-1])) else \
                1 if len(stem) >= 4 and stem in near else 0
            return fits, e.start

        best = max(earlier, key=score)
        out.append(Nominal(start=start, end=end, text=text[start:end], canonical=best.canonical))
    return out


def annotate(doc: Document) -> Document:
    mentions = person_surnames(doc.text, recognise(doc.text))
    doc.entities = [Entity(start=m.start, end=m.end, text=m.text, label=m.label, canonical=canonical)
                    for m, canonical in zip(mentions, canonical_names(mentions))]
    roles(doc.text, doc.entities)
    doc.nominals = nominals(doc.text, doc.entities)
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
