"""Word tokens with their character offsets, split the way the GermEval-2014 NER data is tokenised.

Hyphenated compounds stay one token ("EU-Kommission", "NATO-Generalsekretär"), as do numbers with separators
("1.000", "3,5"), abbreviations that end in a full stop ("Dr.", "Prof.", "z.B.") and ordinals ("3."); quotation
marks and other punctuation are tokens of their own.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .sentences import _ABBREVIATIONS

_TOKEN = re.compile(r"""
    \d+(?:[.,:]\d+)+                           # "1.000", "3,5", "18:57", "12.11.2026"
  | \d{1,2}\.(?=\s+\w)                          # ordinals: "am 3. Dezember", "der 2. Liga"
  | \d+
  | [^\W\d_](?:\.[^\W\d_])+\.?                   # "z.B.", "U.S.A."
  | \w+(?:[-–’'&]\w+)*(?:-(?=\s))?                # words, hyphenated compounds, "Nord-", "O'Neill"
  | [^\w\s]                                      # punctuation, one character a token
""", re.X)


class Token(NamedTuple):  # (a tuple: built several times faster than a frozen dataclass, per token of every text)
    text: str
    start: int
    end: int


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of ``text[start:end]``, offsets into ``text``."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        token = m.group()
        # "Dr." is one token; a full stop after another word ends the sentence
        if token == "." and out and out[-1].end == m.start() and out[-1].text.lower() in _ABBREVIATIONS:
            prev = out.pop()
            out.append(Token(prev.text + ".", prev.start, m.end()))
            continue
        out.append(Token(token, m.start(), m.end()))
    return out
