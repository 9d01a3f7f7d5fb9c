"""Plain-text page dumps: label every line body / boilerplate / comment and parse the comment section.

Rule-based and site-independent: layout signals (line length, sentence punctuation, position, repetition) plus
German page vocabulary (appeals, teaser blocks, comment widgets). The vocabulary lives in ``PATTERNS`` so it can
grow without touching the logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Comment, LineLabel

PATTERNS = {
    # whole-line page furniture
    "furniture": re.compile(
        r"^(piwik|matomo|google|tracking|pixel|noscript|img|no script img|.*\bno ?script img\b.*|yesterday|today|"
        r"direkt zum inhalt|zum inhalt( springen)?|hauptnavigation|navigation|seitenmenü|"
        r"startseite|home|menü|menu|suche|login|anmelden|abmelden|registrieren|newsletter|teilen|drucken|"
        r"artikel teilen|artikel drucken|merken|zur startseite|zurück|weiter|nach oben|impressum|datenschutz|"
        r"kontakt|agb|cookie.*|werbung|anzeige|sponsored|mehr laden|alle kommentare( anzeigen)?|"
        r"kommentar schreiben|jetzt kommentieren|diskutieren sie mit.*|\W*|\d+|[a-zäöü]+ \| [a-zäöü]+.*|"
        r"lesezeit:? .*|audio|video|podcast|galerie|bilder(strecke)?|vorlesen|artikel anhören.*)$", re.I),
    "caption": re.compile(r"^(foto|fotos|bild|bilder|bildquelle|quelle|grafik|video|illustration|symbolbild|"
                          r"credit|copyright)\s*:|©|\(c\)\s|\bimago\b|\bgetty images\b|/\s?(dpa|afp|ap|reuters|apa|"
                          r"picture alliance|keystone)\s*$", re.I),
    "teaser_block": re.compile(r"^(mehr zum thema|für sie ausgewählt|lesen sie auch|das könnte sie auch interessieren|"
                               r"auch interessant|weitere artikel|verwandte artikel|empfehlungen|mehr aus .*|"
                               r"meistgelesen|top-artikel|neueste artikel|aus dem ressort.*|themen|schlagworte)"
                               r"\s*:?$", re.I),
    "appeal": re.compile(r"(unterstütz|abonn|abo\b|spende|paywall|bezahlschranke|frei zugänglich|genossinnen|"
                         r"jetzt testen|gratis testen|\bplus\b.*testen|"
                         r"journalismus (braucht|kostet)|zahlen sie|monatlich kündbar|jetzt (lesen|weiterlesen|"
                         r"registrieren|unterstützen)|leser:innen|werbefrei|newsletter)", re.I),
    "comment_header": re.compile(r"^(\d+\s+)?(leser)?(kommentare?|postings?|reaktionen|diskussion|leserbriefe|"
                                 r"forum|comments?)(\s*\(\d+\))?\s*:?$", re.I),
    "comment_widget": re.compile(r"^(antworten|melden|zitieren|teilen|gefällt mir|empfehlen|\d+\s*(antworten|likes?|"
                                 r"empfehlungen|zustimmungen)|neueste zuerst|älteste zuerst|beliebteste( zuerst)?|"
                                 r"sortieren( nach)?:?.*|sortierung.*|kommentar (verfassen|schreiben)|"
                                 r"weitere antworten( anzeigen)?|antworten anzeigen|mehr kommentare.*|/|"
                                 r"\d+ weitere antworten.*|alle \d+ kommentare.*)$", re.I),
    "timestamp": re.compile(r"^(vor\s+(\d+|einer?|wenigen)\s+(sek|min|std|stunde|stunden|tag|tagen|woche|wochen|monat|"
                            r"monaten|jahr|jahren)\w*|gestern|heute|vorgestern|(gestern|heute),?\s+\d{1,2}[:.]\d{2}"
                            r"(\s*uhr)?|\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}(,?\s+(um\s+)?\d{1,2}[:.]\d{2}(\s*uhr)?)?|"
                            r"\d{1,2}[:.]\d{2}(\s*uhr)?)$", re.I),
    "rank": re.compile(r"^(top-?kommentator\w*|leser(in)? seit \d{4}|poster(in)? seit \d{4}|mitglied seit .*|"
                       r"premium(-?(abonnent|mitglied)\w*)?|abonnent\w*|verifiziert\w*|redaktion|moderator\w*|"
                       r"\d+ postings?|\d+ kommentare?|stammleser\w*|community-?\w+|level \d+|rang:? .*)$", re.I),
    "reply_to": re.compile(r"^\W{0,3}@\s?([^:]{1,40}):?\s*(.*)$"),
    "sentence_end": re.compile(r"[.!?…:;“\"»«)'’]\s*$"),
}

_BULLET = re.compile(r"^\s*[•·*▪►]\s+")  # a comment-list bullet; "-" items are lists inside comments


@dataclass
class Segmented:
    labels: list[LineLabel]
    body: list[str]
    comments: list[Comment] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)


def segment(text: str) -> Segmented:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds: dict[int, str] = {}
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    comment_start = _comment_section_start(lines, nonblank)
    seen: dict[str, int] = {}
    in_teaser_block = False
    for i in nonblank:
        raw = lines[i]
        s = _norm(raw)
        if comment_start is not None and i >= comment_start:
            kinds[i] = _comment_zone_kind(s)
            continue
        key = s.lower()
        if key in seen:  # a repeated headline or teaser: the first occurrence carries it
            kinds[i] = "boilerplate"
            continue
        seen[key] = i
        if PATTERNS["teaser_block"].match(s):
            in_teaser_block = True
            kinds[i] = "boilerplate"
            continue
        if in_teaser_block:
            if _is_prose(s):
                in_teaser_block = False
            else:
                kinds[i] = "boilerplate"
                continue
        kinds[i] = "boilerplate" if _is_boilerplate(s, position=nonblank.index(i)) else "body"
    _relabel_trailing(lines, nonblank, kinds, comment_start)
    labels = [LineLabel(line=i + 1, kind=kinds[i]) for i in nonblank]  # type: ignore[arg-type]
    body = [_norm(lines[i]) for i in nonblank if kinds[i] == "body"]
    comment_lines = [(i, lines[i]) for i in nonblank if kinds[i] == "comment"]
    return Segmented(labels=labels, body=body, comments=parse_comments(comment_lines),
                     boilerplate=[_norm(lines[i]) for i in nonblank if kinds[i] == "boilerplate"])


def _norm(line: str) -> str:
    return re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip()


def _is_prose(s: str) -> bool:
    return len(s.split()) >= 12 and bool(PATTERNS["sentence_end"].search(s))


def _is_boilerplate(s: str, position: int) -> bool:
    words = s.split()
    if PATTERNS["furniture"].match(s) or PATTERNS["caption"].search(s) or PATTERNS["comment_widget"].match(s):
        return True
    if PATTERNS["timestamp"].match(s) or _is_dateline_only(s):
        return True
    appeal_hits = len(PATTERNS["appeal"].findall(s))
    if appeal_hits >= 2 or (appeal_hits == 1 and len(words) <= 8):
        return True
    # A long line without sentence punctuation below the headline area is a photo caption.
    if position >= 2 and len(words) >= 9 and not PATTERNS["sentence_end"].search(s):
        return True
    return False


_DATE_LINE = re.compile(r"^(\w+,?\s+)?(\d{1,2}\.\s?(\d{1,2}\.|[A-Za-zäÄ]+)\s?\d{2,4}|\d{4}-\d{2}-\d{2})"
                        r"(\s*[|,–-]?\s*(um\s+)?\d{1,2}[:.]\d{2}(\s*uhr)?)?\s*$", re.I)


def _is_dateline_only(s: str) -> bool:
    return bool(_DATE_LINE.match(s)) or bool(re.match(r"^(veröffentlicht|aktualisiert|stand|erschienen)\b", s, re.I))


def _comment_section_start(lines: list[str], nonblank: list[int]) -> int | None:
    """Index of the first line of the comment section, or None: a comment header, or the first `@Name:` reply."""
    for i in nonblank:
        s = _norm(lines[i])
        if PATTERNS["comment_header"].match(s):
            return i
    for i in nonblank:
        if PATTERNS["reply_to"].match(_norm(_BULLET.sub("", lines[i]))):
            # back up over the thread's first comment: to the last boilerplate-looking line before it
            j = nonblank.index(i)
            while j > 0 and _is_prose(_norm(lines[nonblank[j - 1]])):
                j -= 1
            return nonblank[j]
    return None


def _comment_zone_kind(s: str) -> str:
    if PATTERNS["comment_header"].match(s) or PATTERNS["comment_widget"].match(s) or PATTERNS["furniture"].match(s):
        return "boilerplate"
    if PATTERNS["teaser_block"].match(s) or len(PATTERNS["appeal"].findall(s)) >= 2:
        return "boilerplate"
    return "comment"


def _relabel_trailing(lines: list[str], nonblank: list[int], kinds: dict[int, str], comment_start: int | None) -> None:
    """Teaser headlines between the last article paragraph and the comments are boilerplate, not body."""
    end = comment_start if comment_start is not None else len(lines)
    body = [i for i in nonblank if i < end and kinds[i] == "body"]
    last_prose = max((i for i in body if _is_prose(_norm(lines[i]))), default=None)
    if last_prose is None:
        return
    for i in body:
        if i > last_prose and not _is_prose(_norm(lines[i])):
            kinds[i] = "boilerplate"


def parse_comments(comment_lines: list[tuple[int, str]]) -> list[Comment]:
    """Group comment-section lines into comments with author, timestamp, reply target and text."""
    comments: list[Comment] = []
    authors: dict[str, int] = {}
    depth_stack: list[tuple[int, int]] = []  # (indent, comment index) of open bullet comments
    pending_author: str | None = None
    pending_posted: str | None = None
    current: Comment | None = None

    def start(author: str | None, indent: int | None) -> Comment:
        nonlocal pending_author, pending_posted
        c = Comment(author=author or pending_author, posted=pending_posted)
        pending_author = pending_posted = None
        if indent is not None:
            while depth_stack and depth_stack[-1][0] >= indent:
                depth_stack.pop()
            if depth_stack:
                c.reply_to = depth_stack[-1][1]
            depth_stack.append((indent, len(comments)))
        comments.append(c)
        if c.author:
            authors.setdefault(c.author.lower(), len(comments) - 1)
        return c

    for _, raw in comment_lines:
        indent = len(raw) - len(raw.lstrip())
        bullet = bool(_BULLET.match(raw))
        s = _norm(_BULLET.sub("", raw))
        if not s:
            continue
        reply = PATTERNS["reply_to"].match(s)
        if PATTERNS["rank"].match(s):
            continue
        if PATTERNS["timestamp"].match(s):
            if current is not None and not current.text:
                current.posted = current.posted or s
            else:
                pending_posted = s
            continue
        if reply:
            name, rest = reply.group(1).strip(), reply.group(2).strip()
            current = start(None, indent if bullet else None)
            target = authors.get(name.lower())
            if current.reply_to is None:
                current.reply_to = target if target is not None else _last_index(comments, exclude=len(comments) - 1)
            current.text = rest
            continue
        if _looks_like_author(s):
            if current is not None and current.text == "" and current.author is None:
                current.author = s
            else:
                pending_author = s
                current = None
            continue
        if bullet or current is None or pending_author:
            current = start(None, indent if bullet else None)
        current.text = f"{current.text}\n{s}" if current.text else s
    return [c for c in comments if c.text]


def _last_index(comments: list[Comment], exclude: int) -> int | None:
    return exclude - 1 if exclude > 0 else None


def _looks_like_author(s: str) -> bool:
    """A username line: one to three words, short, no sentence punctuation."""
    return (1 <= len(s.split()) <= 3 and len(s) <= 32 and not PATTERNS["sentence_end"].search(s)
            and not PATTERNS["timestamp"].match(s))
