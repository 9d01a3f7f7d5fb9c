"""Story grouping of a list of articles (``group``: the online story index of stories.index, fed all at once; its
agency copies: ``find_duplicates``), and the text helpers the index uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
# Short German function words; they carry no topic.
STOPWORDS = frozenset("""
aber alle allem allen aller alles als also am an ander andere anderen auch auf aus bei beim bin bis bisher bereits
da dabei damit dann darauf darum das dass daß dein deine dem den denn der des deshalb dessen die dies diese diesem
diesen dieser dieses doch dort du durch ein eine einem einen einer eines einige er es etwa euch für gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in indem ins ist
ja jede jedem jeden jeder jedes jetzt kann kein keine keinem keinen keiner können könne könnte man mehr mein
mit muss müsse müssen nach nach nicht nichts noch nun nur ob oder ohne schon sehr sei seien sein seine seinem seinen
seiner seit sich sie sind so solche soll sollen sollte sondern sowie über um und uns unser unter viel vom von vor
war waren warum was weil welche welchem welchen welcher wenn wer werde werden wie wieder will wir wird wo wurde
wurden zu zum zur zwar zwei zwischen sagte sagt sagten hieß heißt laut so am prozent uhr jahr jahre jahren
""".split())


@dataclass(frozen=True)
class Article:
    id: int
    title: str | None
    text: str
    published: str | None
    outlet: str | None
    # what the analysis found (stories.index.signals); empty when the article was not analysed
    entities: tuple[str, ...] = ()  # name keys of the people, organisations and places it names
    key_entities: tuple[str, ...] = ()  # those named in the headline and the lead
    event_days: tuple[int, ...] = ()  # the days (ordinals) the dates of the lead point to
    event_kinds: tuple[str, ...] = ()  # the bodies that meet or the summits the lead names (index.event_kinds)


@dataclass
class Grouping:
    duplicate_of: dict[int, int]  # copy -> the earliest article it copies
    story_of: dict[int, int]  # article -> story id (the id of the story's first article)
    story_titles: dict[int, str]


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if len(w) > 2 and w not in STOPWORDS and not w.isdigit()]


def shingles(text: str) -> set[str]:
    """The word 3-shingles of a text (lower case)."""
    tokens = _WORD.findall(text.lower())
    return {" ".join(tokens[i:i + 3]) for i in range(max(1, len(tokens) - 2))}


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """The share of the smaller shingle set found in the larger, from their Jaccard similarity and sizes."""
    return jaccard * (size_a + size_b) / ((1 + jaccard) * max(1, min(size_a, size_b)))


def find_duplicates(articles: list[Article]) -> dict[int, int]:
    """Copies (agency texts carried twice, shortened or re-titled, re-crawls) → the earliest article of their
    duplicate group, as the story index finds them (MinHash of word 3-shingles, containment; stories.index)."""
    return group(articles).duplicate_of


def group(articles: list[Article], threshold: float | None = None, max_gap_days: int | None = None) -> Grouping:
    """Assign every article to a story, as the online story index does when the articles arrive together: in
    publication order, each joins the most similar story active within ``max_gap_days`` (cosine of its vector to the
    story's centroid at least ``threshold``) or starts a new one; agency copies join their original's story;
    stories an article bridges are merged (stories.index). Deterministic: the same documents give the same groups
    and the same story ids (the id of a story's first article).

    Same topic is not same story: a story only takes an article published within ``max_gap_days`` of one of its
    articles, so a strike in September and another in November stay two stories.
    """
    from .index import MAX_GAP_DAYS, THRESHOLD, StoryIndex  # heavy imports, only when grouping runs

    index = StoryIndex(threshold=THRESHOLD if threshold is None else threshold,
                       max_gap_days=MAX_GAP_DAYS if max_gap_days is None else max_gap_days)
    index.add(articles)
    return Grouping(duplicate_of=index.duplicates(), story_of=index.story_of(),
                    story_titles={s.id: s.title or "" for s in index.stories()})
