"""Reader comments in a pasted comment section: which lines are widgets, and which lines make up which comment.

Comment systems differ in layout but not in their parts: a header (number, username, time, reply marker) in one or
more lines, the comment's text, and a footer of actions that may carry the time ("Gefällt mir · Antworten · 3 Std.").
Each line is classified into one of those parts by its wording; a small state machine then assembles comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Comment
from .linecache import line_cache

_MONTHS = (r"(jan(uar)?|jänner|feb(ruar)?|feber|mär(z)?|mar(ch)?|apr(il)?|mai|may|jun[ie]?|jul[iy]?|aug(ust)?|"
           r"sep(t(ember)?)?|okt(ober)?|oct(ober)?|nov(ember)?|dez(ember)?|dec(ember)?|stycznia|lutego|marca|"
           r"kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia)\.?")
_UNIT = (r"(sek(unden?)?|sec(onds?)?|min(uten?|utes?)?|std|stunden?|h|hours?|hrs?|godz|tag(en?)?|days?|dni|woche(n)?|wochen|"
         r"weeks?|monat(en?)?|months?|jahr(en?)?|years?)\.?")
_CLOCK = r"\d{1,2}[:.]\d{2}(\s*uhr)?"
TIME = re.compile(
    rf"^(am\s+|on\s+)?(((vor|seit)\s+)?(\d+|einer?|einem|wenigen|an?)\s*{_UNIT}(\s+ago)?"  # vor 3 Std., 47 Min., 2 hours ago
    rf"|(gestern|heute|vorgestern|yesterday|today|just now|gerade eben)(,?\s*(um\s+)?{_CLOCK})?"
    rf"|((mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\w*\.?,?\s+)?\d{{1,2}}\.?\s*({_MONTHS}|\d{{1,2}}\.)\s*"
    rf"(\d{{2,4}})?(\s*[·,|–-]?\s*((um|o|at)\s+)?{_CLOCK})?"  # 12.11.2026, 19:04 / Do 19. Nov 2026, 15:02 / 10 Nov 2026
    rf"|{_MONTHS}\s+\d{{1,2}},?\s+\d{{4}}(,?\s*(at\s+)?\d{{1,2}}:\d{{2}}\s*(am|pm)?)?"  # Nov 10, 2026
    rf"|\d{{4}}-\d{{2}}-\d{{2}}([ t]{_CLOCK})?"
    rf"|{_CLOCK})$", re.I)

# Words of comment widgets: actions, votes, sorting, paging (German, English, a little Polish).
_ACTION = re.compile(
    r"^([▲▼👍👎❤️♥+\-–−|·•/()\d.,:]+|antworten|antwort|melden|teilen|zitieren|gefällt|mir|likes?|dislikes?|empfehlen|"
    r"empfehlungen|zustimmungen|zustimmen|ablehnen|hilfreich|neueste|älteste|beliebteste|beste|bestbewertete|zuerst|"
    r"sortieren|sortierung|sortiert|nach|mehr|anzeigen|laden|weitere|kommentare|reply|report|share|like|flag|"
    r"newest|oldest|top|first|best|load|more|comments|show|odpowiedz|zgłoś|sortuj|pokaż|więcej|komentarzy|"
    r"top-kommentare|reaktionen|zitieren|sort|by|newest|oldest|anmelden|registrieren|neuer|beitrag|nach|oben|"
    r"daumen|hoch|runter|permalink|bewertung|bewerten|postings|posting|von|seite|lubię|to!|"
    r"[•›‹»«]|[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F]+)$", re.I)
_BADGE = re.compile(r"^(top-?kommentar\w*|redaktionsempfehlung|redaktionstipp|empfehlung der redaktion|"
                    r"top-?kommentator\w*|leser(in)? seit \d{4}|poster(in)? seit \d{4}|mitglied seit .*|"
                    r"premium(-?(abonnent|mitglied)\w*)?|abonnent(in)?|verifiziert\w*|moderator\w*|stammleser\w*|"
                    r"community-?\w+|level \d+|rang:? .*|[\d.]+ (postings?|beiträge|kommentare|follower)(,? [\d.]+ \w+)*|"
                    r"autor(in)?|top-?fan|superfan|bearbeitet|edited|\(bearbeitet\)|"
                    r"featured|editor'?s pick|verified)$", re.I)
_REPLY_MARKER = re.compile(r"^(↳|↪|→|>)?\s*(antwort (auf|an)( (posting|beitrag|kommentar) von)?|als antwort auf|"
                           r"reply to|in reply to|replying to|"
                           r"odpowiedź (do|na))\s*:?\s*@?(?P<name>[^:]{1,40}?):?$", re.I)
# "Ana_M → TomInAltwerder", "~Marek do ~gość", "Lisa an Tom"
_ARROW_REPLY = re.compile(r"^(?P<author>[^→]{1,40}?)(\s*→\s*|\s+(do|an|to|für)\s+)@?(?P<name>[^→]{1,40})$")
_ADDRESS = re.compile(r"^\W{0,3}@\s?(?P<name>[^:]{1,40}?):")  # "@Name: text" or "@Name:" alone
_ADDRESS_SOFT = re.compile(r"^@(?P<name>\S{2,30})\s")  # "@Kiezdoc Fax habt ihr noch?"
BULLET = re.compile(r"^\s*[•·*▪►]\s+")  # a comment-list bullet; "-" items are lists inside comments
_SAYS = re.compile(r"^(?P<name>.{1,40}?)\s+(sagt|says|schreibt|meint|wrote|schrieb|pisze|napisał[a]?)\s*:$", re.I)
_NUMBER = re.compile(r"^#\s?\d+(\.\d+)*\s*[·|:.–—-]?\s*")
_NUMBER_ONLY = re.compile(r"^#?\d{1,4}(\.\d{1,3})*\.?$")
_LEAD = re.compile(r"^((↳|↪)\s*)?((antwort von|beitrag von|leserkommentar von|kommentar von|geschrieben von|"
                   r"gepostet von|posted by|reply from|von|by)\s+)?", re.I)
_SEPARATOR = re.compile(r"\s+[|·–»]\s+|\s{3,}|\s+-\s+|\s+(?=(?:am|on)\s+\d)|\s+(?:schrieb|schreibt|wrote)\s+")
_SENTENCE_END = re.compile(r"[.!?…:;“\"»«)'’]\s*$")
_INITIALS = re.compile(r"^([A-ZÄÖÜ]\.\s?)?[\wÄÖÜäöüßąćęłńóśźż\-]+( [A-ZÄÖÜ]\.)?$")
_DELETED = re.compile(r"(dieser kommentar wurde|dieses posting wurde|(kommentar|posting) wurde (von der (redaktion|moderation) )?"
                      r"(entfernt|gelöscht)|von der moderation entfernt|"
                      r"this comment (was|has been) (removed|deleted))", re.I)


@dataclass(frozen=True)
class Header:
    author: str | None = None
    posted: str | None = None
    reply_name: str | None = None
    is_reply: bool = False  # "↳": answers the comment above


@line_cache
def is_badge(s: str) -> bool:
    """"Top-Kommentar", "Poster seit 2009 · 2.418 Postings": rank and badge lines, whole or in segments."""
    segments = [p.strip() for p in re.split(r"\s+[|·]\s+", s.strip()) if p.strip()]
    return bool(segments) and all(_BADGE.match(p) for p in segments)


@line_cache
def is_time(s: str) -> bool:
    return bool(TIME.match(s.strip()))


_WORD_SPLIT = re.compile(r"[\s|·]+")
_SEGMENT_SPLIT = re.compile(r"\s*[|·]\s*")


@line_cache
def is_widget(s: str) -> bool:
    """Actions, votes, sorting and paging: "Antworten | 👍 8 | Melden", "Neueste zuerst", "Load more comments"."""
    parts = [p.strip("()[].,:!…") or p for p in _WORD_SPLIT.split(s.strip()) if p]
    return bool(parts) and all(_ACTION.match(p) for p in parts) and not _time_part(s)


@line_cache
def footer_time(s: str) -> str | None:
    """"Gefällt mir · Antworten · 3 Std." → "3 Std.": an action row that carries the comment's time."""
    segments = [p.strip() for p in _SEGMENT_SPLIT.split(s.strip()) if p.strip()]
    times = [p for p in segments if is_time(p)]
    rest = [p for p in segments if not is_time(p)]
    if len(times) == 1 and rest and all(all(_ACTION.match(w) for w in p.split()) for p in rest):
        return times[0]
    return None


def _time_part(s: str) -> bool:
    return any(is_time(p) for p in _SEGMENT_SPLIT.split(s.strip()) if p.strip())


@line_cache
def looks_like_name(s: str) -> bool:
    """A username: one to four words, short, no sentence punctuation ("Marie H.", "H. Thomsen" pass)."""
    s = s.strip()
    if not (1 <= len(s.split()) <= 4 and len(s) <= 40) or is_time(s) or is_widget(s) or is_badge(s):
        return False
    handle = len(s.split()) == 1 and bool(re.search(r"[_\d]|[a-zäöü][A-ZÄÖÜ]", s))  # "Hüttenwirt_a.D."
    return not _SENTENCE_END.search(s) or bool(_INITIALS.match(s)) or handle


@line_cache
def header(s: str) -> Header | None:
    """Parse a comment header line, or return None if the line is not one."""
    s = s.strip()
    first, *rest = [p.strip() for p in _SEPARATOR.split(s) if p.strip()] or [s]
    m = _REPLY_MARKER.match(first)
    if m and all(is_time(p) for p in rest):  # "Antwort auf HeinzDieter_58 · 09.11.2026, 09:40 Uhr"
        return Header(reply_name=m["name"].strip(), is_reply=True, posted=rest[0] if rest else None)
    m = _ARROW_REPLY.match(s)
    if m and looks_like_name(m["author"]) and looks_like_name(m["name"]):
        return Header(author=m["author"].strip(), reply_name=m["name"].strip())
    is_reply = s.startswith(("↳", "↪"))
    says = _SAYS.match(s)
    if says and looks_like_name(says["name"]):  # WordPress: "Jasmin sagt:", "Marek z Białomostu pisze:"
        return Header(author=says["name"].strip())
    core = _LEAD.sub("", _NUMBER.sub("", s)).strip().rstrip(":")
    if is_time(core) and not (is_reply or _NUMBER.match(s)):
        return None  # a time alone: see assemble()
    parts = [p.strip() for p in _SEPARATOR.split(core) if p.strip()]
    if not parts:
        return None
    times = [p for p in parts if is_time(p)]
    names = [p for p in parts if not is_time(p) and not _BADGE.match(p) and not is_widget(p)]
    numbered = bool(_NUMBER.match(s))
    if len(names) > 1 or (not names and not times):
        return None
    author = names[0] if names else None
    if author is not None and not looks_like_name(author):
        return None
    if times or numbered or is_reply or len(parts) > 1:
        return Header(author=author, posted=times[0] if times else None, is_reply=is_reply)
    return None  # a lone name is decided by its neighbours, see assemble()


@line_cache
def line_kind(s: str) -> str:
    """`boilerplate` or `comment` for a line inside a comment section."""
    s = s.strip()
    if _NUMBER_ONLY.match(s):
        return "comment"  # "1.", "#12": the number heading one comment
    if footer_time(s):
        return "comment"  # the comment's only time line
    if is_widget(s) or _DELETED.search(s):
        return "boilerplate"
    return "comment"


def assemble(lines: list[tuple[int, str]]) -> list[Comment]:
    """Group the comment lines (index, raw line) into comments with author, time, reply target and text."""
    comments: list[Comment] = []
    by_author: dict[str, int] = {}
    stack: list[tuple[int, int]] = []  # (indent, comment index) of bullet comments, for indented replies
    current: Comment | None = None
    pending = Header()
    last_top: int | None = None  # latest comment that is not a "↳" reply

    def begin(h: Header, indent: int | None = None) -> Comment:
        nonlocal current, pending, last_top
        c = Comment(author=h.author, posted=h.posted)
        if h.reply_name:
            c.reply_to = by_author.get(h.reply_name.lstrip("@").lower())
        if h.is_reply and c.reply_to is None:
            c.reply_to = last_top
        if indent is not None:
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack and c.reply_to is None:
                c.reply_to = stack[-1][1]
            stack.append((indent, len(comments)))
        comments.append(c)
        if not h.is_reply and c.reply_to is None:
            last_top = len(comments) - 1
        current, pending = c, Header()
        return c

    def remember(c: Comment) -> None:
        if c.author:
            by_author[c.author.lstrip("~").lower()] = comments.index(c)
            by_author[c.author.lower()] = comments.index(c)

    texts = [(i, raw) for i, raw in lines]
    for n, (_, raw) in enumerate(texts):
        s = re.sub(r"[ \t\u00a0]+", " ", raw).strip()
        bullet = bool(BULLET.match(raw))
        indent = len(raw) - len(raw.lstrip())
        s = BULLET.sub("", s)
        if not s or is_badge(s) or is_widget(s) or _DELETED.search(s):
            continue
        ft = footer_time(s)
        if ft:
            if current is not None and not current.posted:
                current.posted = ft
            continue
        h = header(s)
        if h is not None:
            if current is not None and not current.text and not (h.author and current.author):
                # more header for the comment being opened: "Antwort auf @X", or name and time on two lines
                current.author = current.author or h.author
                current.posted = current.posted or h.posted
                if h.reply_name:
                    current.reply_to = by_author.get(h.reply_name.lstrip("@").lower(), current.reply_to)
                remember(current)
                continue
            begin(h, indent if bullet else None)
            remember(current)
            continue
        if is_time(s):
            if current is not None and not current.text and not current.posted:
                current.posted = s
            else:
                begin(Header(author=pending.author, posted=s))
                remember(current)
            continue
        nxt = _next_text(texts, n)
        if current is not None and not current.text and current.author is None and looks_like_name(s) and (
                nxt is not None and not looks_like_name(nxt)):
            current.author = s  # "Antwort an X" first, the name below it
            remember(current)
            continue
        if looks_like_name(s) and not bullet and (current is None or current.text) and (
                nxt is not None and (is_time(nxt) or not looks_like_name(nxt))):
            # a username line: followed by its time, or directly by the comment's text
            begin(Header(author=s), None)
            remember(current)
            continue
        if bullet and looks_like_name(s) and nxt is not None and is_time(nxt):
            begin(Header(author=s), indent)  # "• Henrike Sasse" over "19.11.2026, 08:14"
            remember(current)
            continue
        if current is None or bullet or (current.text and _starts_new(s, current)):
            begin(Header(), indent if bullet else None)
        address = _ADDRESS.match(s) or (not current.text and _ADDRESS_SOFT.match(s))
        if address and not current.text and current.reply_to is None:
            target = by_author.get(address["name"].strip().lstrip("@").lower())
            current.reply_to = target if target is not None else (len(comments) - 2 if len(comments) > 1 else None)
        current.text = f"{current.text}\n{s}" if current.text else s
    kept = [c for c in comments if c.text]
    _authors_from_addressing(kept)
    return kept


def _authors_from_addressing(comments: list[Comment]) -> None:
    """"@Nobodys Hero: …" answering a comment whose username was lost names that comment's author."""
    for c in comments:
        m = _ADDRESS.match(c.text)
        if m and c.reply_to is not None and 0 <= c.reply_to < len(comments):
            target = comments[c.reply_to]
            if target.author is None:
                target.author = m["name"].strip()


def starts_with_address(s: str) -> bool:
    """"@Name: …": a reply, the surest sign of a comment section."""
    return bool(_ADDRESS.match(s))


def _next_text(lines: list[tuple[int, str]], n: int) -> str | None:
    for _, raw in lines[n + 1:]:
        s = raw.strip()
        if s and not is_widget(s) and not is_badge(s):
            return BULLET.sub("", s)
    return None


def _starts_new(s: str, current: Comment) -> bool:
    """An "@Name:" line after a comment's text opens a reply."""
    return bool(_ADDRESS.match(s)) and bool(current.text)
