"""Entities: people, organisations, places and other names in the article, each with its canonical name.

Recognition is the tagger of ``ner.py`` (a BiLSTM-CRF combined with a CRF) over the tokens of ``tokens.py``. Within a
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
from functools import lru_cache

from ..model import Document, Entity, Nominal
from .sentences import sentences
from .tokens import tokenize

ASSIGNS = ("entities", "nominals")

# Words the tagger may take into a person's name that are roles, not names ("Präsident Macron").
_ROLES = frozenset("""herr frau dr. prof. präsident präsidentin kanzler kanzlerin bundeskanzler bundeskanzlerin minister
ministerin ministerpräsident ministerpräsidentin bürgermeister bürgermeisterin landrat landrätin sprecher sprecherin
chef chefin trainer trainerin papst könig königin prinz prinzessin general generalsekretär""".split())
# Currency names the tagger takes for OTH entities ("68 Euro", "1,4 Milliarden Franken"): units, not names.
_CURRENCIES = frozenset("""euro franken dollar us-dollar pfund rubel yen yuan cent rappen kronen krone zloty złoty
hrywnja griwna lira forint""".split())


def _is_role(word: str) -> bool:
    """A role word that is not part of a name: "Präsident", "Grossrätin", "NATO-Generalsekretär"."""
    return word.lower() in _ROLES or bool(_role_patterns()[3].fullmatch(word))


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    label: str
    text: str


Tagged = list[tuple[list, list[str]]]  # the tokens of each sentence of a text with their BIO tags


def tag_texts(texts: list[str]) -> list[Tagged]:
    """The tagger's output for many texts at once: all their sentences go through the network in one batch run
    (sentences of similar length together), which is several times faster than text by text."""
    from . import ner

    tokenized = [[tokens for s_start, s_end in sentences(text) if (tokens := tokenize(text, s_start, s_end))]
                 for text in texts]
    flat = ner.tag_sentences([[t.text for t in tokens] for doc in tokenized for tokens in doc])
    out, k = [], 0
    for doc in tokenized:
        out.append(list(zip(doc, flat[k:k + len(doc)])))
        k += len(doc)
    return out


def recognise(text: str, tagged: Tagged | None = None) -> list[_Mention]:
    """Entity mentions, sentence by sentence (``tagged``: the tagger's output for the text, from ``tag_texts``)."""
    from . import ner

    found: list[_Mention] = []
    for tokens, tags in tagged if tagged is not None else tag_texts([text])[0]:
        for a, b, label in ner.spans(tags):
            while a < b - 1 and label == "PER" and _is_role(tokens[a].text):
                a += 1
            if a < b:
                start, end = tokens[a].start, tokens[b - 1].end
                if text[start:end].lower() not in _CURRENCIES:
                    found.append(_Mention(start, end, label, text[start:end]))
    return found


def propagate(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """One name, one reading per document: where the tagger recognised a name once, its other occurrences (also
    with a genitive "s") are mentions of the same label, and the surname of a full name is that person ("Oberländer
    rechnet mit …" after "Matthias Oberländer") unless it stands as a place ("in Kassel")."""
    labels: dict[str, Counter[str]] = {}
    for m in mentions:
        labels.setdefault(m.text, Counter())[m.label] += 1
        if m.label == "PER" and " " in m.text:
            labels.setdefault(m.text.split()[-1], Counter())["PER"] += 0.5
    names = sorted((n for n in labels if len(n) >= 3 and n[0].isupper() and n.lower() not in _CURRENCIES),
                   key=len, reverse=True)
    if not names:
        return mentions
    taken = sorted((m.start, m.end) for m in mentions)
    added = []
    for start, end in _occurrences(text, names):
        if any(a < end and start < b for a, b in taken):
            continue
        name = text[start:end] if text[start:end] in labels else text[start:end - 1]
        label = labels[name].most_common(1)[0][0]
        if label == "PER" and " " not in name and _LOCATIVE.search(text[max(0, start - 12):start]):
            continue
        if label == "PER" and re.match(r"\s+[A-ZÄÖÜ]", text[end:end + 2]) and " " not in name:
            continue  # "Zürcher Oberland": an adjective before a name, not the person
        added.append(_Mention(start, end, label, text[start:end]))
        taken.append((start, end))
    return sorted(mentions + added, key=lambda m: m.start)


_LOCATIVE = re.compile(r"\b(in|im|aus|nach|bei|von|vom|über|durch|um|zwischen|gen|richtung)\s+$", re.I)


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in "_-"  # what [\w-] matches


def _occurrences(text: str, names: list[str]) -> list[tuple[int, int]]:
    r"""Where the names occur as whole words, also with a genitive "s": the matches, left to right and not
    overlapping, of the pattern ``(?<![\w-])(?:name1|name2|…)s?(?![\w-])`` (the earlier name wins at a position),
    found with str.find — compiling that alternation for every document cost more than the rest of this stage."""
    starts: dict[int, list[str]] = {}
    for name in names:
        i = text.find(name)
        while i >= 0:
            starts.setdefault(i, []).append(name)
            i = text.find(name, i + 1)
    out: list[tuple[int, int]] = []
    after = 0
    for start in sorted(starts):
        if start < after or start and _wordish(text[start - 1]):
            continue
        for name in starts[start]:
            end = start + len(name)
            nxt = text[end:end + 1]
            if nxt == "s" and not _wordish(text[end + 1:end + 2] or " "):
                end += 1
            elif nxt and _wordish(nxt):
                continue
            out.append((start, end))
            after = end
            break
    return out


def person_surnames(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """A lone name the tagger took for a place or organisation is the person's when the document names a person
    with that surname and never uses the name as a place ("räumte Kassel ein" after "Landrat Heiner Kassel"; but
    "in Kassel" keeps the city)."""
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PER" and " " in m.text}
    lone = [m for m in mentions if m.label in ("LOC", "ORG") and m.text in surnames]
    placed = {m.text for m in lone if _LOCATIVE.search(text[max(0, m.start - 12):m.start])}
    return [_Mention(m.start, m.end, "PER", m.text) if m in lone and m.text not in placed else m for m in mentions]


_ACRONYM = re.compile(r"\s*\(([A-ZÄÖÜ][A-ZÄÖÜa-zäöü0-9&-]{1,9})\)")


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w[0].isupper())


def acronyms(text: str, mentions: list[_Mention]) -> tuple[list[_Mention], dict[str, str]]:
    """Acronyms a document defines ("Verkehrsverbund Erft-Rhein (VER)", "Verband der Zugbegleiter und Lokführer
    (VZL)"): the full name is a mention (an organisation, if the tagger missed it and its capitals spell the
    acronym), the acronym a mention of the same label wherever it stands, naming the full name (returned as
    acronym → full name)."""
    aliases: dict[str, str] = {}
    label = {m.text: m.label for m in mentions}
    taken = [(m.start, m.end) for m in mentions]
    added = []
    ends = {m.end: m for m in mentions}
    for hit in re.finditer(r"\s*\(([A-ZÄÖÜ][A-ZÄÖÜa-zäöü0-9&-]{1,9})\)", text):
        acronym = hit.group(1)
        if sum(c.isupper() for c in acronym) < 2 or acronym in aliases:
            continue
        m = ends.get(hit.start())
        if m is not None and " " in m.text and acronym[0] == m.text[0]:
            aliases[acronym] = m.text
            continue
        if m is None:  # untagged: the capitalised words before it spell the acronym
            words = list(re.finditer(r"[\w-]+", text[max(0, hit.start() - 120):hit.start()]))
            base = max(0, hit.start() - 120)
            for k in range(len(words) - 1, max(-1, len(words) - 9), -1):
                span = [w.group(0) for w in words[k:]]
                if span[0][0].isupper() and _initials(span) == acronym.upper() and len(span) >= 2:
                    start, end = base + words[k].start(), hit.start()
                    if not any(a < end and start < b for a, b in taken):
                        added.append(_Mention(start, end, "ORG", text[start:end]))
                        taken.append((start, end))
                        label[text[start:end]] = "ORG"
                        aliases[acronym] = text[start:end]
                    break
    if not aliases:
        return mentions, aliases
    for hit in re.finditer(r"(?<![\w-])(?:" + "|".join(map(re.escape, aliases)) + r")(?![\w-])", text):
        if not any(a < hit.end() and hit.start() < b for a, b in taken):
            added.append(_Mention(hit.start(), hit.end(), label[aliases[hit.group(0)]], hit.group(0)))
    return sorted(mentions + added, key=lambda m: m.start), aliases


_GENITIVE = re.compile(r"\b(?:des|eines|dieses|jenes)\s+$", re.I)


# "der Deutschen Presse-Agentur", "der Europäischen Union": an adjective before a feminine name, in the genitive or
# dative — named in the nominative ("Deutsche Presse-Agentur")
_FEMININE_NOUN = (r"(?i:ung|ion|bahn|bank|agentur|partei|föderation|republik|akademie|gesellschaft|stiftung|post|"
                  r"presse|polizei|zeitung|kirche|liga|allianz|kammer|behörde|hochschule|universität|versicherung|"
                  r"armee|marine|luftwaffe|botschaft|vereinigung|initiative|union|schaft|kommission|börse)$")
_FEMININE_NAME = re.compile(r"[A-ZÄÖÜ]\w*(?:ischen|schen|lichen|alen|ären|ellen) (?:[A-ZÄÖÜ][\w-]*[-\s])*[A-ZÄÖÜ][\w-]*"
                            + _FEMININE_NOUN)
_FEMININE_END = re.compile(_FEMININE_NOUN)


# "der Deutsche Wetterdienst", "das Deutsche Rote Kreuz": after a definite article an adjective in -e is nominative
# (a feminine or a genitive/dative would end in -en after "der"); without the article it takes the strong ending
_WEAK_ARTICLE = {"der": "r", "das": "s"}
_ARTICLE_BEFORE = re.compile(r"\b([Dd]er|[Dd]as)\s+$")
_WEAK_ADJECTIVES = re.compile(r"(?:[A-ZÄÖÜ][a-zäöüß]+e )+(?=[A-ZÄÖÜ])")


def _strong(name: str, article: str) -> str:
    """"Deutsche Wetterdienst" after "der" → "Deutscher Wetterdienst"; after "das": "Deutsches Rotes Kreuz"."""
    m = _WEAK_ADJECTIVES.match(name)
    if not m or _FEMININE_END.search(name):
        return name
    ending = _WEAK_ARTICLE[article]
    return " ".join(w + ending for w in m.group().split()) + " " + name[m.end():]


def _nominative(word: str) -> str:
    """The genitive singular "s"/"es" taken off: "Instituts" → "Institut", "Kreises" → "Kreis", "Bundestages" →
    "Bundestag"."""
    if word.endswith("es") and re.search(r"(?:s|z|ß|x|sch|g|d|t|k)$", word[:-2]) and len(word) > 5:
        return word[:-2]
    return word[:-1] if word.endswith("s") and len(word) > 4 else word


def canonical_names(mentions: list[_Mention], aliases: dict[str, str] | None = None, text: str = "") -> list[str]:
    """The canonical name of each mention within one document (``aliases``: acronym → full name). An organisation
    or place after a genitive article is named in the nominative ("des Instituts für Meeresökologie" → "Institut
    für Meeresökologie")."""
    names = [(aliases or {}).get(m.text, m.text) for m in mentions]
    if text:
        nominative = {}
        for m in mentions:
            if m.label in ("ORG", "LOC") and _GENITIVE.search(text[max(0, m.start - 8):m.start]):
                first, _, rest = m.text.partition(" ")
                nominative[m.text] = " ".join(filter(None, (_nominative(first), rest)))
            elif m.label in ("ORG", "LOC") and _FEMININE_NAME.match(m.text) \
                    and re.search(r"\b(?:der|einer)\s+$", text[max(0, m.start - 8):m.start]):
                nominative[m.text] = m.text[:m.text.index(" ") - 1] + m.text[m.text.index(" "):]
            elif m.label in ("ORG", "LOC", "OTH") and (article := _ARTICLE_BEFORE.search(text[max(0, m.start - 5):m.start])):
                nominative[m.text] = _strong(m.text, article.group(1).lower())
        names = [nominative.get(n, n) for n in names]
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

@lru_cache(maxsize=1)
def _role_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(role before a name, role in an apposition after it, nominal mention, a role word), built once."""
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
    return before, after, nominal, re.compile(role)




def roles(text: str, entities: list[Entity]) -> None:
    """A person's role from the words before the name ("NATO-Generalsekretär Mark Rutte") or from an apposition
    after it ("Mark Rutte, der NATO-Generalsekretär,"); every mention of the person gets the first role found."""
    before, after, _, role = _role_patterns()
    found: dict[str, str] = {}
    for e in entities:
        if e.label != "PER" or e.canonical in found:
            continue
        window = text[max(0, e.start - 80):e.start]
        last = window.rsplit(None, 1)[-1] if window.strip() else ""
        # (a role right before the name is in the window's last word: the slow search only where one is)
        m = (role.search(last) and before.search(window)) or after.search(text[e.end:e.end + 120])
        if m:
            found[e.canonical] = m.group(1)
    for e in entities:
        e.role = found.get(e.canonical) if e.label == "PER" else None


def nominals(text: str, entities: list[Entity]) -> list[Nominal]:
    """Persons named by a noun phrase ("der Niederländer", "der Kreml-Sprecher", "die 57-Jährige"), each with the
    person it refers to: one whose role has the phrase's noun, else one written near the phrase's nationality
    ("niederländische"), else the person named last before it — outside quotation marks."""
    from .quotes import _direct_spans

    people = [e for e in entities if e.label == "PER"]
    spans = [(e.start, e.end) for e in entities]
    quoted = _direct_spans(text)  # people named inside a quotation are not who the text refers to
    out = []
    for m in _role_patterns()[2].finditer(text):
        start, end = m.span(1)
        if any(a < end and start < b for a, b in spans):
            continue
        earlier = [e for e in people if e.end <= start and not any(a <= e.start < b for a, b in quoted)] or \
            [e for e in people if e.end <= start]
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
        if score(best)[0] == 0 and _is_head(noun):
            # "sagte der Chef des Bündnisses" before "Generalsekretär Mark Rutte": no one named before holds such an
            # office, so the head named shortly after is meant, not whoever was named last
            best = next((e for e in people if start < e.start < end + _CATAPHORA and _head(e.role)), best)
        out.append(Nominal(start=start, end=end, text=text[start:end], canonical=best.canonical))
    return out


_HEADS = ("chef", "chefin", "generalsekretär", "generalsekretärin", "präsident", "präsidentin", "vorsitzende",
          "vorsitzender", "leiter", "leiterin", "direktor", "direktorin")
_CATAPHORA = 800  # characters after a role noun in which the head it names may be introduced


def _is_head(word: str) -> bool:
    """Whether a noun names the head of something ("Chefin", "Parteichef", "NATO-Generalsekretär")."""
    word = word.lower()
    return word.endswith(_HEADS) and not word.endswith(("begleiter", "begleiterin"))


def _head(role: str | None) -> bool:
    """Whether a role is the head of something ("Agenturpräsidentin", "Präsident der Kommission")."""
    words = (role or "").split()
    return bool(words) and any(_is_head(w) for w in words[:1] + words[-1:])


_DATELINE = re.compile(r"(?:\b\d{1,2}:\d{2}(?:\s*Uhr)?|\b\d{4}),?\s+([A-ZÄÖÜ][a-zäöüß][\w-]*(?:\s+[A-ZÄÖÜ][a-zäöüß][\w-]*)?)"
                       r"(?=\s*(?:\.\s|\(|–|—|-\s|/|\|))")


_UNIT = re.compile(r"(?<![\w-])(?:Landkreis|Kreis|Samtgemeinde|Verbandsgemeinde|Kanton|Bezirk|Regierungsbezirk|"
                   r"Bundesland|Freistaat|Provinz|Oblast) $")
_PREFIXES = r"(?:St\.|Sankt|Groß|Klein|Bad|Alt|Neu|Ober|Unter|Nieder|Hohen)"
_PLACE_PREFIX = re.compile(r"(?<![\w-])" + _PREFIXES + " $")
_PLACE_START = re.compile(_PREFIXES + r"\s+[A-ZÄÖÜ]")
# endings of German place names that are rare in surnames: a lone "person" so named, never with a first name, is a
# place ("Riedtal", "Süderwiek", "Volkersheim")
_PLACE_END = re.compile(r"(?:tal|dorf|heim|hausen|feld|bach|stadt|hofen|ingen|kirchen|rode|wiek|bek|büttel|stedt|leben|"
                        r"hagen|brück|furt|weiler|reuth|münde|siel|fehn|koog)s?$")
_COMPANIES = ("kette", "firma", "unternehmen", "konzern", "bäckerei", "metzgerei", "brauerei", "werft", "verlag",
              "kanzlei", "hotel", "restaurant", "händler", "hersteller", "anbieter", "zulieferer", "discounter",
              "reederei", "spedition", "genossenschaft", "bank", "zeitung", "sender", "initiative", "verein",
              "verband", "marke", "modehaus", "autohaus", "möbelhaus", "kaufhaus")
_WORD_BEFORE = re.compile(r"(?<![\w-])[A-ZÄÖÜ][\w-]* $")
_INSTITUTIONS = ("feuerwehr", "verein", "verband", "gericht", "amt", "polizei", "klinikum", "stadtwerke", "sparkasse",
                 "volksbank", "universität", "hochschule", "gymnasium", "schule", "kirchengemeinde", "verwaltung",
                 "jobcenter", "staatsanwaltschaft", "initiative", "genossenschaft", "brauerei", "werft", "theater",
                 "museum", "bibliothek", "zoo")


def places(text: str, mentions: list[_Mention]) -> list[_Mention]:
    """Places the tagger took for people: a one-word "person" the gazetteer knows as a country or a large city
    ("für Kiew", "Moskaus Verteidigung") when the document names no person of that surname, and the place of a
    dateline ("19.11.2026, 06:00 Uhr Weilstein. Die …", "Brüssel (dpa) –"), which becomes a mention if missed."""
    from .linking import Gazetteer

    gazetteer = Gazetteer.shipped()
    surnames = {m.text.split()[-1] for m in mentions if m.label == "PER" and " " in m.text}
    out = []
    for m in mentions:
        if m.label == "PER" and " " not in m.text and m.text not in surnames:
            place = gazetteer.lookup(m.text)
            if place is not None and (place.kind != "city" or place.curated or place.population >= 500_000):
                m = _Mention(m.start, m.end, "LOC", m.text)
        out.append(m)
    # an administrative unit written before its name belongs to it: "Landkreis Westbörde", "Kanton Bern"; so does
    # the prefix of a place name ("St. Gunther", "Groß Hallerbek"); an institution named after its place is an
    # organisation: "Amtsgericht Weilstein", "Feuerwehr Traubenheim", "Quartiersverein Speicherkai"
    grown = []  # spans a mention was extended to: the mentions inside them go
    for i, m in enumerate(out):
        if m.label not in ("LOC", "PER", "ORG"):
            continue
        tail = re.search(r"\s+[A-ZÄÖÜ]{2,4}$", m.text)
        if tail and m.label == "LOC" and re.match(r"\s*\|", text[m.end:m.end + 3]):
            m = out[i] = _Mention(m.start, m.start + tail.start(), "LOC", m.text[:tail.start()])  # "Auenbach RK | …"
        before = text[max(0, m.start - 40):m.start]
        word = _WORD_BEFORE.search(before)
        noun = word.group(0).lower().rstrip() if word else ""
        lead, label = None, m.label
        if m.label != "ORG" and (hit := _UNIT.search(before) or _PLACE_PREFIX.search(before)):
            lead, label = hit.group(0), "LOC"
        elif m.label == "LOC" and noun.endswith(_INSTITUTIONS):
            lead, label = word.group(0), "ORG"
        elif m.label == "PER" and (_PLACE_START.match(m.text) or " " not in m.text and m.text not in surnames
                                   and _PLACE_END.search(m.text)):
            label = "LOC"  # "bei Groß Hallerbek", "doch Riedtal lehnt ab"
        elif m.label == "PER" and noun.endswith(_COMPANIES):
            label = "ORG"  # "die Bäckereikette Backhaus Reinert"
        if lead:
            out[i] = _Mention(m.start - len(lead), m.end, label, text[m.start - len(lead):m.end])
            grown.append((m.start - len(lead), m.end))
        elif label != m.label:
            out[i] = _Mention(m.start, m.end, label, m.text)
    if grown:
        out = [m for m in out if not any(a <= m.start and m.end <= b and (a, b) != (m.start, m.end) for a, b in grown)]
    head = text[:600]
    for hit in _DATELINE.finditer(head):
        start, end = hit.span(1)
        same = [m for m in out if m.start == start and m.end == end]
        if same:
            out = [_Mention(m.start, m.end, "LOC", m.text) if m in same else m for m in out]
        elif not any(m.start < end and start < m.end for m in out):
            out.append(_Mention(start, end, "LOC", text[start:end]))
    return sorted(out, key=lambda m: m.start)


# Other languages in Latin script: the German tagger finds their names too, but with many false ones (capitalised
# words that German would write small); only what it is sure of is kept (``_sure_outside_german``).
_LATIN_LANGUAGES = frozenset({"en", "pl", "fr", "nl", "it", "es", "pt", "cs", "da", "sv", "no"})
_TAGGED_LANGUAGES = _LATIN_LANGUAGES | {"de", "und"}


def tags_german(docs: list[Document]) -> list[Tagged | None]:
    """``tag_texts`` for the documents among ``docs`` the tagger reads (German, undetermined, other Latin-script
    languages; None for the others), for ``annotate``."""
    german = [k for k, d in enumerate(docs) if d.language in _TAGGED_LANGUAGES]
    out: list[Tagged | None] = [None] * len(docs)
    for k, tagged in zip(german, tag_texts([docs[k].text for k in german])):
        out[k] = tagged
    return out


def _sure_outside_german(mentions: list[_Mention]) -> list[_Mention]:
    """Of the tagger's mentions in a non-German text: people with two or more names, places the gazetteer knows,
    acronyms."""
    from .linking import Gazetteer

    gazetteer = Gazetteer.shipped()
    return [m for m in mentions
            if m.label == "PER" and len(m.text.split()) >= 2
            or m.label == "LOC" and gazetteer.lookup(m.text) is not None
            or m.label == "ORG" and m.text.isupper() and 2 <= len(m.text) <= 6]


def annotate(doc: Document, tagged: Tagged | None = None) -> Document:
    """Entities and nominal mentions of a document (``tagged``: its tagger output, when tagged in a batch)."""
    if doc.language not in _TAGGED_LANGUAGES:
        doc.entities, doc.nominals = [], []  # the tagger knows German: no entities rather than noise
        return doc
    found = recognise(doc.text, tagged)
    if doc.language in _LATIN_LANGUAGES:
        found = _sure_outside_german(found)
    mentions, aliases = acronyms(doc.text, propagate(doc.text, places(doc.text, person_surnames(doc.text, found))))
    doc.entities = [Entity(start=m.start, end=m.end, text=m.text, label=m.label, canonical=canonical)
                    for m, canonical in zip(mentions, canonical_names(mentions, aliases, doc.text))]
    roles(doc.text, doc.entities)
    doc.nominals = nominals(doc.text, doc.entities)
    return doc


# --- across documents --------------------------------------------------------------------------------------------

# Cyrillic (Russian and Ukrainian) in German transliteration (Duden), before the folds below: "Зеленський" and
# "Зеленский" meet "Selenskyj"
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "w", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "je", "ё": "jo", "ж": "sh", "з": "s",
    "и": "i", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "",
    "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"})

_FOLDS = (
    (r"(?:ij|yj|yy|iy|ii)\b", "y"),  # Selenskyj, Selenskij, Zelenskyy, Zelenskiy → …y
    (r"(?<=[^aeiouy\W])i\b", "y"),  # Zelenski (French, Polish), Dmitri → …y, as Zelensky, Dmitry
    (r"^z", "s"),  # Zelensky (English) ↔ Selenskyj (German)
    (r"tsch", "ch"), (r"sch", "sh"), (r"w", "v"), (r"ck", "k"), (r"ph", "f"), (r"th", "t"),
    (r"j(?=[aeiouy])", "y"), (r"(?<=[aeiou])j\b", ""),
    (r"ie(?=v\b)", "yi"),  # Kiev, Kiew → kyiv
    (r"(.)\1", r"\1"),  # double letters
)


# the folds compiled, "^" as the start of any word of the name
_FOLD_PATTERNS = tuple((re.compile(r"(?<!\S)" + p[1:] if p.startswith("^") else p), r) for p, r in _FOLDS)
_NOT_NAME_CHARS = re.compile(r"[^\w\s-]")
_OE = re.compile(r"([aou])e")
_ACRONYM_NAME = re.compile(r"[A-ZÄÖÜ]{2,6}")
_UKRAINIAN = re.compile(r"[іїєґ]|[сц]ьк")


@lru_cache(maxsize=32768)  # (pure; the story stage asks for the key of every entity of every article)
def name_key(name: str) -> str:
    """A key under which spellings and transliterations of one name meet: "Selenskyj", "Selenskij", "Zelensky"
    and "Zelenskyy" → "selensky"; "Kiew", "Kyjiw" and "Kyiv" → "kyiv"; "NATO" and "Nato" → "nato"."""
    lower = name.lower()
    if _UKRAINIAN.search(lower):  # Ukrainian: и is y ("Володимир" → "Wolodymyr")
        lower = lower.replace("и", "y")
    text = unicodedata.normalize("NFKD", lower.translate(_CYRILLIC))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _NOT_NAME_CHARS.sub("", text).replace("ß", "ss")
    text = _OE.sub(r"\1", text)  # "Mueller" as "Müller" (whose umlaut is gone by now)
    if _ACRONYM_NAME.fullmatch(name.strip()):  # an acronym is spelled, not transliterated: "THW" is not "TW"
        return text.strip()
    text = " ".join(text.split())
    for pattern, replacement in _FOLD_PATTERNS:  # word by word: no pattern reaches across a space
        text = pattern.sub(replacement, text)
    return text
