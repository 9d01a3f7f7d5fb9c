"""Token features of the CRF named-entity tagger (``ner.py``), for German news text.

``sentence_features(tokens)`` gives one list of feature strings per token (every feature has the value 1). The
features of a token are its own word-level features (form, lower-case form, shape, prefixes and suffixes,
capitalisation, digits and hyphens, German cues: person titles, organisation suffixes, place prepositions,
adjective endings; whether a title-case word is a first name, last name or place of the shipped name lists) plus a
few features of the neighbouring words (±2: lower-case form and shape; ±1 also capitalisation, cue classes and
name lists) and of the position in the sentence. Word-level features depend on the word alone
and are cached, so a sentence costs little more than a few list concatenations per token.

Training (``scripts/train_ner.py``) and tagging must use the same function: changing anything here means
retraining the model.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

FEATURE_VERSION = 4
GAZETTEER = Path(__file__).parent / "models" / "ner-gazetteer.tsv.gz"  # scripts/build_ner_gazetteer.py

# Words that come before a person name (lower-cased, without the final dot where there may be one).
PERSON_TITLES = frozenset("""
herr herrn frau dr prof professor minister ministerin präsident präsidentin bundeskanzler bundeskanzlerin kanzler
kanzlerin bundespräsident bundespräsidentin ministerpräsident ministerpräsidentin bürgermeister bürgermeisterin
oberbürgermeister oberbürgermeisterin landrat landrätin trainer trainerin chef chefin sprecher sprecherin
vorsitzende vorsitzender abgeordnete abgeordneter papst könig königin kaiser kaiserin fürst fürstin graf gräfin
sankt st bischof kardinal pfarrer senator senatorin staatssekretär staatssekretärin generalsekretär
generalsekretärin direktor direktorin intendant intendantin regisseur regisseurin autor autorin sänger sängerin
schauspieler schauspielerin komponist maler schriftsteller schriftstellerin präsidenten ministers kanzlers
außenminister außenministerin innenminister innenministerin finanzminister finanzministerin bundesinnenminister
bundesaußenminister bundesfinanzminister verteidigungsminister verteidigungsministerin ex von van de der
""".split())
PERSON_TITLES_STRICT = frozenset(w for w in PERSON_TITLES if w not in {"von", "van", "de", "der", "st", "ex"})

ORG_SUFFIXES = frozenset("""
gmbh ag e.v. ev kg ohg se ug mbh co. co inc. inc ltd. ltd corp. corp llc plc s.a. sa n.v. nv
verband verein partei bank stiftung gruppe konzern institut universität hochschule ministerium amt
gesellschaft union klub club fc sv tsv vfb vfl bund rat kommission agentur zeitung rundfunk
""".split())
ORG_SUFFIX_ENDINGS = ("verband", "verein", "partei", "bank", "stiftung", "gruppe", "konzern", "institut",
                      "universität", "ministerium", "amt", "gesellschaft", "kommission", "agentur", "zeitung",
                      "werke", "werk", "haus", "rat", "gericht", "behörde")
PLACE_PREPOSITIONS = frozenset("in im aus nach bei von vom nahe über zwischen gen richtung".split())
LOC_ENDINGS = ("stadt", "dorf", "burg", "berg", "heim", "hausen", "ingen", "feld", "furt", "bach", "land", "see",
               "tal", "au", "stein", "brück", "brücke", "straße", "platz", "insel", "kreis")
QUOTES = frozenset('" „ “ ” « » ‚ ‘ ’ \' ``'.split())
MONTHS_DAYS = frozenset("""januar jänner februar märz april mai juni juli august september oktober november dezember
montag dienstag mittwoch donnerstag freitag samstag sonnabend sonntag""".split())

_SHAPE_TABLE: dict[str, str] = {}
_REPEATS = re.compile(r"(.)\1+")
_MAX_WORD = 60  # longer tokens are cut before computing features (keeps the cache and the features small)


def _char_class(ch: str) -> str:
    cls = _SHAPE_TABLE.get(ch)
    if cls is None:
        if ch.isdigit():
            cls = "d"
        elif ch.isalpha():
            cls = "X" if ch.isupper() else "x"
        elif ch in "-–":
            cls = "-"
        elif ch in ".,;:!?":
            cls = "."
        elif ch.isspace():
            cls = "_"
        else:
            cat = unicodedata.category(ch)
            cls = "#" if cat.startswith("S") else ("'" if ch in QUOTES else "p")
        _SHAPE_TABLE[ch] = cls
    return cls


class _Shapes(dict):
    """str.translate table: character → its shape class (filled on first sight of a character)."""

    def __missing__(self, code: int) -> str:
        cls = self[code] = _char_class(chr(code))
        return cls


_SHAPES = _Shapes()
_LONG_RUNS = re.compile(r"(.)\1{4,}")


def _cut_run(match: re.Match) -> str:
    return match.group()[:4]


def word_shape(word: str) -> str:
    """Full shape: letters → X/x, digits → d, runs longer than 4 cut to 4 ("Müller-Lüdenscheidt" → Xxxx-Xxxx)."""
    return _LONG_RUNS.sub(_cut_run, word.translate(_SHAPES))


def short_shape(word: str) -> str:
    """Shape with runs collapsed ("GmbH" → XxX, "1.200" → d.d)."""
    return _REPEATS.sub(_first, word.translate(_SHAPES))


def _first(match: re.Match) -> str:
    return match.group()[0]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, ...]]:
    """Known first names, last names and places (one token each) → their features ("gz=fn", "gz=ln", "gz=loc")."""
    out: dict[str, tuple[str, ...]] = {}
    features: dict[str, tuple[str, ...]] = {}  # one tuple per combination of classes
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as fh:
        for line in fh:
            name, _, kinds = line.rstrip("\n").partition("\t")
            if kinds not in features:
                features[kinds] = tuple("gz=" + k for k in kinds.split(","))
            out[name] = features[kinds]
    return out


@lru_cache(maxsize=20_000)  # ~2 kB a word; the tagger keeps its own per-word sums (ner_nn.CACHE)
def _word(word: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(features of the word itself, features it lends to its neighbours at -2, -1, +1, +2)."""
    if len(word) > _MAX_WORD:
        word = word[:_MAX_WORD]
    low = word.lower()
    shape = word_shape(word)
    sh = short_shape(word)
    first = word[:1]
    is_title = first.isupper() and (len(word) == 1 or not word[1:].isupper())
    is_upper = word.isupper() and any(c.isalpha() for c in word)
    has_digit = "d" in shape  # the class of exactly the characters with str.isdigit
    bare = low.rstrip(".")
    f = ["w=" + word, "wl=" + low, "sh=" + shape, "ss=" + sh]
    n = len(low)
    for k in (1, 2, 3, 4):
        if n > k:
            f.append(f"p{k}=" + low[:k])
            f.append(f"s{k}=" + low[-k:])
    if n > 6:
        f.append("s5=" + low[-5:])
    f.append("len=" + (str(n) if n < 4 else "4-6" if n < 7 else "7-10" if n < 11 else "11+"))
    if is_title:
        f.append("title")
    if is_upper:
        f.append("upper")
        if 2 <= n <= 6:
            f.append("acronym")
    if not first.isalpha():
        f.append("nonalpha-start")
    if has_digit:
        f.append("digit")
        if low.isdigit():
            f.append("number" + ("4" if n == 4 else ""))
    if "-" in word[1:-1]:
        f.append("hyphen")
        parts = low.split("-")
        f.append("hy-first=" + parts[0])
        f.append("hy-last=" + parts[-1])
        if word.split("-")[-1][:1].isupper():
            f.append("hy-last-title")
    if "." in word[:-1]:
        f.append("inner-dot")
    if word.endswith(".") and n > 1:
        f.append("end-dot")
    if (("x" in shape[1:] and "X" in shape[1:]) if word.isascii()  # ASCII: x/X are exactly lower/upper case
            else any(c.islower() for c in word[1:]) and any(c.isupper() for c in word[1:])):
        f.append("mixed-case")
    if not word.isascii():
        if any(ord(c) > 0x24F and c.isalpha() for c in word):
            f.append("non-latin")
    # German cues
    cue = ""
    if bare in PERSON_TITLES_STRICT:
        cue = "title-word"
    elif low in ORG_SUFFIXES or bare in ORG_SUFFIXES:
        cue = "org-word"
    elif low in PLACE_PREPOSITIONS:
        cue = "place-prep"
    elif low in MONTHS_DAYS:
        cue = "date-word"
    elif word in QUOTES:
        cue = "quote"
    if cue:
        f.append("cue=" + cue)
    gaz = ()
    if is_title:
        names = gazetteer()
        gaz = names.get(word, ())
        f.extend(gaz)
        if not gaz and n > 3 and word[-1] == "s":  # genitive: "Kiews", "Merkels"
            f.extend("gzs" + g[2:] for g in names.get(word[:-1], ()))
        if low.endswith(ORG_SUFFIX_ENDINGS):
            f.append("org-ending")
        if low.endswith(LOC_ENDINGS):
            f.append("loc-ending")
    else:
        if low.endswith(("ische", "ischen", "ischer", "isches", "ischem", "isch")):
            f.append("adj-isch")
        elif n > 4 and low.endswith(("er", "ern")) and first.islower():
            f.append("adj-er")
    # what the neighbours see
    ctx = ["wl=" + low, "ss=" + sh]
    if is_title:
        ctx.append("title")
    if is_upper:
        ctx.append("upper")
    if cue:
        ctx.append("cue=" + cue)
    ctx.extend(gaz)
    near = tuple(ctx)
    far = ("wl=" + low, "ss=" + sh)
    lend = (tuple("-2:" + x for x in far), tuple("-1:" + x for x in near), tuple("+1:" + x for x in near),
            tuple("+2:" + x for x in far))
    return tuple(f), lend


def sentence_features(tokens: list[str]) -> list[list[str]]:
    """One list of feature strings for each token of the sentence."""
    n = len(tokens)
    words = [_word(t) for t in tokens]
    out: list[list[str]] = []
    in_quote = False
    for i, (own, _) in enumerate(words):
        f = ["bias", *own]
        if tokens[i] in QUOTES:
            in_quote = not in_quote
        elif in_quote:
            f.append("in-quote")
        f.append("sh3=" + (words[i - 1][0][3][3:] if i else "BOS") + "|" + own[3][3:] + "|"
                 + (words[i + 1][0][3][3:] if i < n - 1 else "EOS"))
        if i == 0:
            f.append("BOS")
            if own and "title" in own:
                f.append("BOS-title")
        else:
            f.extend(words[i - 1][1][1])  # what the word before shows as "-1"
            if i > 1:
                f.extend(words[i - 2][1][0])
            else:
                f.append("-2:BOS")
            f.append("bi-1=" + tokens[i - 1].lower()[:_MAX_WORD] + "|" + tokens[i].lower()[:_MAX_WORD])
        if i == n - 1:
            f.append("EOS")
        else:
            f.extend(words[i + 1][1][2])
            if i < n - 2:
                f.extend(words[i + 2][1][3])
            else:
                f.append("+2:EOS")
            f.append("bi+1=" + tokens[i].lower()[:_MAX_WORD] + "|" + tokens[i + 1].lower()[:_MAX_WORD])
        if i == 1:
            f.append("pos=2")
        out.append(f)
    return out
