"""Sentence spans of German article text: the unit of tense (time expressions), timelines and quotations.

A sentence ends at a line break or at ".", "!", "?" (and a closing quotation mark) followed by white space and an
upper-case letter, a digit or an opening quotation mark — unless the full stop belongs to an ordinal number
("am 3. Dezember"), an abbreviation ("Dr.", "z. B.", "Nr.") or a single initial ("Anna B. Berger").
"""

from __future__ import annotations

import re
from functools import lru_cache

_ABBREVIATIONS = frozenset("""dr prof nr st abs art bzw ca vgl evtl ggf inkl jh jhd mio mrd tsd usw z b d h u a o ä
dipl ing mag hr fr str tel mr ms mrs jr sr bd vol kap min max co corp inc ltd gmbh ag kg dt engl franz ital
jan feb mär apr jun jul aug sep sept okt nov dez mo di mi do sa so""".split())

_BOUNDARY = re.compile(r"([.!?…]+[\"“”»«')\]]*)(\s+)(?=[\"„“»«'(\[]?[A-ZÄÖÜ0-9])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of ``text``, covering every non-blank stretch."""
    return list(_spans(text))


@lru_cache(maxsize=64)  # the analysis stages (time expressions, entities, quotes) ask, batch by batch (pipeline.BATCH)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        start = line_start
        for m in _BOUNDARY.finditer(line):
            end = line_start + m.end(1)
            if m.group(1) == "." and _is_abbreviation(line, m.start(1)):
                continue
            if end > start and text[start:end].strip():
                spans.append(_trim(text, start, end))
            start = line_start + m.end()
        end = line_start + len(line)
        if end > start and text[start:end].strip():
            spans.append(_trim(text, start, end))
    return tuple(spans)


def _is_abbreviation(line: str, dot: int) -> bool:
    before = line[max(0, dot - 40):dot].rsplit(None, 1)  # the word before the full stop
    if not before or line[dot - 1:dot].isspace():
        return False
    token = before[-1].lstrip("(\"„»'").lower()
    if token.isdigit() and len(token) <= 2:  # "am 3. Dezember", "der 2. Liga": an ordinal
        return True
    if len(token) == 1 and token.isalpha():  # an initial
        return True
    return token in _ABBREVIATIONS or token.split(".")[-1] in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span that holds ``offset``."""
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return None
