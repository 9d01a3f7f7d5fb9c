"""Plain-text page dumps: label every line body / boilerplate / comment and parse the comment section.

Rule-based and site-independent: layout signals (line length, sentence punctuation, position, repetition) plus
German page vocabulary (appeals, teaser blocks, comment widgets). The vocabulary lives in ``PATTERNS`` so it can
grow without touching the logic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Comment, LineLabel
from . import comments, metadata
from .linecache import line_cache

PATTERNS = {
    # whole-line page furniture
    "furniture": re.compile(
        r"^(piwik|matomo|google|tracking|pixel|noscript|img|no script img|.*\bno ?script img\b.*|yesterday|today|"
        r"direkt zum inhalt|zum inhalt( springen)?|hauptnavigation|navigation|seitenmenü|"
        r"startseite|home|menü|menu|suche|login|anmelden|abmelden|registrieren|newsletter|teilen|drucken|"
        r"artikel teilen|artikel drucken|merken|zur startseite|zurück|weiter|nach oben|impressum|datenschutz|"
        r"kontakt|agb|cookie.*|werbung|anzeige|sponsored|mehr laden|alle kommentare( anzeigen)?|"
        r"kommentar schreiben|jetzt kommentieren|diskutieren sie mit.*|\W*|\d+|"
        r"lesezeit:? .*|\d+ min\.? lesezeit|audio|video|podcast|galerie|bilder(strecke)?|vorlesen|.*artikel anhören.*|"
        r"weiterlesen( nach der anzeige)?|"
        r"alle akzeptieren.*|nur notwendige.*|einstellungen|ablehnen|zustimmen|akzeptieren|mehr erfahren|live|"
        r"liveblog aktualisieren|neueste einträge zuerst|älteste einträge zuerst|"
        r"beitrag auf (instagram|x|facebook|tiktok|youtube|threads|bluesky|mastodon) ansehen|gefällt [\d.]+ mal|"
        r"(bild|foto) \d+ (von|/) \d+|\W*zurück\W+weiter\W*|jetzt (bestellen|anmelden|abonnieren|registrieren)|"
        r"(ihre )?e-mail-adresse|reading time:? .*|\d+ min(ute)?s? read|log in to comment|sign in to comment|"
        r"kommentar hinzufügen\W*|facebook-kommentare-plugin|sie müssen angemeldet sein.*|kommentare zu:?|"
        r"read more|share( this)?( article)?|advertisement|sponsored content|most read|sign up|subscribe( now)?|"
        r"czytaj (także|też)\W*|udostępnij\W?.*|reklama|zobacz (także|też)\W*|zdjęcie \d+ z \d+|"
        r"video abspielen|video ansehen|audio abspielen|sendung verpasst\??|weiter\W*|\W*zurück( zum artikel)?\W*|"
        r"wetter:? .*\d+ ?°c.*|e-mail-adresse eingeben|kostenlos anmelden|(jetzt )?newsletter abonnieren|"
        r"dieser artikel erschien zuerst (bei|beim|in|im) .*|zuerst erschienen (bei|in) .*|"
        r"this (article|story) (first )?appeared .*|.*powered by \w+|sort by \w+|sortieren nach:? \w+|"
        r"teilen mit:?|wird geladen\W*|bild anzeigen|bild vergrößern|inhaltsverzeichnis|video verfügbar bis .*|"
        r"vorschau auf den nächsten artikel|nächster artikel|vorheriger artikel|zum nächsten artikel|"
        r"bildergalerie:? .*|alle \d+ (bilder|fotos)( ansehen)?\W*|liveblog|live-?ticker|audio:? .*\|\s*[\d:]+ min\.?|"
        r"(audio|video) herunterladen.*|ein beitrag geteilt von .*|wczoraj|dzisiaj|"
        r".{0,30}\b(noscript|tracking|pixel|piwik|matomo)\b.{0,30}|artikel (verschenken|speichern|hören|vorlesen)|"
        r"zur merkliste( hinzufügen)?|merkliste|zur aktie|save|speichern|"
        r"\d{1,2}:\d{2} / \d{1,2}:\d{2}|vorgelesen von .*|audio starten|audio:? .*\(\d+ min\.?\)|"
        r"(lesedauer|czas czytania|reading time):? \d+ min\w*\.?|listen to this article|view this post on \w+|"
        r"a post shared by .*|nichts (mehr )?verpassen\W*|(jetzt )?kostenlos (anmelden|registrieren|abonnieren)|"
        r"facebook-kommentare-plug-?in|[\w -]{1,25} \*|(deine|ihre) e-mail-adresse wird nicht veröffentlicht.*|"
        r"twój adres e-mail nie zostanie opublikowany.*|kommentar abschicken|opublikuj komentarz|"
        r"foto-?serie mit \d+ bildern|\d+ / \d+ .{0,200}\(quelle: .*\)|"
        r"\d+ kommentare|inhalt|auf einer seite lesen|seite \d+ (—|-|–) .*|seite \d+ ?/ ?\d+|nächste seite|"
        r"anmelden,? um zu kommentieren|posting verfassen|regeln für die diskussion|wtyczka komentarzy .*|"
        r"alle (\d+ )?(beiträge|lesermeinungen|kommentare|postings|antworten) anzeigen|beiträge sortieren nach:? .*|"
        r"auf (facebook|whatsapp|x|twitter|linkedin|xing|telegram|threads|bluesky) teilen|artikel merken|"
        r"artikel vorlesen lassen|(vorheriges|nächstes) bild|externer inhalt|inhalt anzeigen|"
        r"dieser inhalt wird von .{1,40} bereitgestellt.*|\d+ min\.? lesedauer|"
        r"(dpa|apa|afp|reuters|imago|keystone|epa|ap|getty|picture alliance)(/[\w.\- ]{2,40})+|"
        r"melden sie sich an,? um (mit)?zu(diskutieren|kommentieren).*|kommentieren sie als .*|diskussion beitreten\W*|"
        r"facebook comments plug-?in|ihr name|ihr kommentar|absenden|mit dem absenden akzeptieren .*|"
        r"mit der anmeldung akzeptieren .*|abo|push-benachrichtigungen( aktivieren)?|zum seitenanfang|"
        r"bildergalerie|artikel teilen:? .*|inhalte von .{1,30} zulassen|"
        r"(um )?externe inhalte( anzuzeigen)?.{0,60}zustimmung.*|der inhalt kann nicht angezeigt werden.*|"
        r"zum kommentieren bitte (anmelden|einloggen).*)$", re.I),
    "caption": re.compile(r"^(foto|fotos|bild|bilder|bildquelle|quelle|grafik|video|illustration|symbolbild|"
                          r"credit|copyright|photo|image|picture|zdjęcie|fot\.)\s*:|\b(foto|fotos|bild|bildquelle)\s*:\s*[\w/ .&+-]{2,50}\)?$|©|\(c\)\s|\bimago\b|\bgetty images\b|/\s?(dpa|afp|ap|reuters|apa|"
                          r"picture alliance|keystone)\s*$", re.I),
    "teaser_block": re.compile(r"^(mehr zum thema|für sie ausgewählt|lesen sie auch|das könnte sie auch interessieren|"
                               r"auch interessant|weitere artikel( zum thema)?|verwandte artikel|empfehlungen|"
                               r"empfohlene (beiträge|artikel)|auch lesen|mehr themen|weitere themen|"
                               r"mehr aus (dem|der|den) [\w-]+( [\w-]+)?|mehr aus [\w-]+|meistgelesen|meist gelesen|"
                               r"top-artikel|top-themen( bei .*)?|neueste artikel|mehr news|weitere news|news|aus dem ressort.*|themen|schlagworte|"
                               r"kommentierte artikel|ähnliche (beiträge|artikel)|passend zum thema|weiterlesen|"
                               r"über (den autor|die autorin|die autoren)|zur person|about the author|related( articles)?|"
                               r"more (on this|from us)|read also|see also|beiträge aus dem forum|auch auf [\w.-]+|"
                               r"mehr zum thema auf [\w.-]+)"
                               r"\s*:?$", re.I),
    "appeal": re.compile(r"(unterstütz|abonn|abo\b|spende|paywall|bezahlschranke|frei zugänglich|genossinnen|"
                         r"genossenschaft|keinem konzern|frei lesbar|kündbar|im ersten monat|helfen sie mit|"
                         r"jetzt testen|gratis testen|\bplus\b.*testen|"
                         r"journalismus (braucht|kostet)|zahlen sie|monatlich kündbar|jetzt (lesen|weiterlesen|"
                         r"registrieren|unterstützen)|leser:innen|werbefrei|newsletter|weiterlesen mit|freien artikel|"
                         r"ohne limit|ohne aufpreis|€ (monatlich|im monat|pro monat)|e-paper|abonnent|"
                         r"in ihrem postfach|abbestellbar|schicken sie (sie )?uns|leserkanal|leser-reporter|"
                         r"in your inbox|free newsletter|subscribe|sign up|kostenlosen artikel|unbegrenzt|"
                         r"kostenlos[^.]{0,30}postfach|jederzeit (abbestellbar|kündbar)|kostenlos abonnieren|"
                         r"alle weiteren [\w+-]+artikel|in der app|briefing|newsletter|"
                         r"jeden (werktag|morgen|freitag|montag|samstag|sonntag)|lokaljournalismus)", re.I),
    "comment_header": re.compile(r"^(\d+\s+)?(leser-?|[\w]+-)?(kommentare?|postings?|reaktionen|diskussion( zum artikel)?|leserbriefe|"
                                 r"forum|comments?|komentarz[ey]?|leserstimmen|lesermeinungen|ihre meinung)"
                                 r"(\s*\(\d+\)|\s*:\s*\d+|\s+(zu|do|on|to)\s+.{3,120})?\s*:?$",
                                 re.I),
    "comment_widget": re.compile(r"^(antworten|melden|zitieren|teilen|gefällt mir|empfehlen|\d+\s*(antworten|likes?|"
                                 r"empfehlungen|zustimmungen)|neueste zuerst|älteste zuerst|beliebteste( zuerst)?|"
                                 r"sortieren( nach)?:?.*|sortierung.*|kommentar (verfassen|schreiben)|"
                                 r"weitere antworten( anzeigen)?|antworten anzeigen|mehr kommentare.*|/|"
                                 r"weitere (kommentare|postings|antworten)( laden| anzeigen)?.*|"
                                 r"bitte (melden sie sich an|loggen sie sich ein|registrieren sie sich).*|"
                                 r"\d+ weitere antworten.*|alle \d+ kommentare.*|dodaj komentarz.*|sortuj.*|"
                                 r"(neues )?posting (schreiben|verfassen)|kommentieren|jetzt kommentieren)$", re.I),
    "sentence_end": re.compile(r"[.!?…:;“\"»«)'’]\s*$"),
}



@dataclass
class Segmented:
    labels: list[LineLabel]
    body: list[str]
    comments: list[Comment] = field(default_factory=list)
    boilerplate: list[str] = field(default_factory=list)
    headline: str | None = None


def segment(text: str) -> Segmented:
    """Label every non-blank line and parse the comments.

    One pass labels each line by its wording and by the blocks it sits in (comment section, teaser block, ad);
    then layout passes correct it: captions above credits, pull quotes and bios, the page header above the
    headline, the article's own dates, and teaser headlines after the last paragraph.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kinds: dict[int, str] = {}
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    comment_start = _comment_section_start(lines, nonblank)
    seen: dict[str, int] = {}
    in_teaser_block = after_comments = False
    ad_lines = 0
    tables = _table_rows(lines, nonblank)
    for position, i in enumerate(nonblank):
        raw = lines[i]
        s = _norm(raw)
        if comment_start is not None and i >= comment_start:
            kinds[i] = "boilerplate" if after_comments else _comment_zone_kind(s)
            # teaser blocks and the page footer close the comment section
            after_comments = after_comments or bool(PATTERNS["teaser_block"].match(s) or _is_footer(s))
            continue
        if i in tables:
            kinds[i] = "body"
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
        if _AD_LABEL.match(s):
            ad_lines = 3  # the ad's own copy follows its label: a headline, a line, a button
            kinds[i] = "boilerplate"
            continue
        if ad_lines:
            ad_lines -= 1
            if len(s.split()) < 20 and _AD_COPY.search(s):
                kinds[i] = "boilerplate"
                continue
            ad_lines = 0
        if in_teaser_block:
            nxt = _norm(lines[nonblank[position + 1]]) if position + 1 < len(nonblank) else ""
            if _ends_teaser_block(s, nxt):
                in_teaser_block = False
            else:
                kinds[i] = "boilerplate"
                continue
        kinds[i] = "boilerplate" if _is_boilerplate(s, position=position) or _is_nav_row(raw) else "body"
    _relabel_captions(lines, nonblank, kinds, tables)
    _relabel_repeats(lines, nonblank, kinds)
    headline = _relabel_header(lines, nonblank, kinds)
    _relabel_article_times(lines, nonblank, kinds, headline, comment_start)
    _relabel_trailing(lines, nonblank, kinds, comment_start, keep=tables)
    if not any(k == "body" for k in kinds.values()):  # never lose the article: the longest line is its body
        longest = max((i for i in nonblank if kinds[i] != "comment"), key=lambda i: len(lines[i]), default=None)
        if longest is not None and len(lines[longest].split()) >= 12:
            kinds[longest] = "body"
    labels = [LineLabel(line=i + 1, kind=kinds[i]) for i in nonblank]  # type: ignore[arg-type]
    body = [_norm(lines[i]) for i in nonblank if kinds[i] == "body"]
    comment_lines = [(i, lines[i]) for i in nonblank if kinds[i] == "comment"]
    return Segmented(labels=labels, body=body, comments=comments.assemble(comment_lines),
                     boilerplate=[_norm(lines[i]) for i in nonblank if kinds[i] == "boilerplate"],
                     headline=_norm(lines[headline]) if headline is not None else None)


def _ends_teaser_block(s: str, next_line: str) -> bool:
    """The article goes on: a sentence (teaser headlines do not end with a full stop), or a subheading with article
    text below it."""
    return _is_prose(s) or (len(s.split()) >= 4 and bool(re.search(r"[.!?“\"]$", s))) or (
        _is_prose(next_line) and len(s.split()) <= 8)


def drop_furniture(lines: list[str]) -> list[str]:
    """Lines of already extracted text (HTML, feeds) without page furniture, appeals and teaser blocks.

    Only the rules that hold wherever a line stands: no position or layout heuristics, since the extractor has
    already found the article.
    """
    kept: list[str] = []
    in_teaser_block = False
    for n, line in enumerate(lines):
        s = _norm(line).strip("| ")  # trafilatura writes table cells as "| … |"
        if not s:
            continue
        if PATTERNS["teaser_block"].match(s):
            in_teaser_block = True
            continue
        if in_teaser_block:
            if _ends_teaser_block(s, next((_norm(x) for x in lines[n + 1:] if x.strip()), "")):
                in_teaser_block = False
            else:
                continue
        if (_is_furniture(s) and not _is_dateline_only(s)) or _is_appeal(s):  # the article's date line stays
            continue
        kept.append(s)
    return kept


_SPACES = re.compile(r"[ \t\u00a0\u200b]+")


@line_cache
def _norm(line: str) -> str:
    """A line with its white space collapsed (cached: every rule looks at the same lines)."""
    return _SPACES.sub(" ", line).strip()


@line_cache
def _is_prose(s: str) -> bool:
    return len(s.split()) >= 12 and bool(PATTERNS["sentence_end"].search(s))


_COOKIE = re.compile(r"\bcookies?\b", re.I)
_CONSENT = re.compile(r"\b(verwenden|nutzen|setzen|einsetzen|akzeptieren|zustimmen|datenschutz\w*|tracking)\b", re.I)
_WIDGET_WORDS = frozenset("""teilen merken drucken e-mail mail facebook twitter x whatsapp telegram linkedin xing
kommentieren kommentare vorlesen anhören link kopieren speichern senden pocket threads bluesky mastodon""".split())


def _table_rows(lines: list[str], nonblank: list[int]) -> set[int]:
    """Rows of a table in the article: consecutive lines with the same number of "|" or tab cells, with figures."""
    def cells(i: int) -> int:
        line = lines[i].strip().strip("|")
        return max(line.count("|"), line.count("\t")) + 1

    rows: set[int] = set()
    run: list[int] = []
    for i in nonblank + [-1]:
        if i >= 0 and cells(i) >= 2 and (not run or cells(i) == cells(run[-1])):
            run.append(i)
            continue
        if len(run) >= 2 and any(re.search(r"\d", lines[r]) for r in run):
            rows.update(run)
        run = [i] if i >= 0 and cells(i) >= 2 else []
    return rows


@line_cache
def _is_nav_row(s: str) -> bool:
    """"Politik | Wirtschaft | Sport": three or more short items, no digits (table rows have figures)."""
    cells = [c.strip() for c in re.split(r"\s[|·•]\s|\s{2,}", s) if c.strip()]
    return len(cells) >= 3 and all(len(c.split()) <= 3 for c in cells) and not re.search(r"\d", s)


@line_cache
def _is_furniture(s: str) -> bool:
    """Lines that are page furniture by their wording alone, wherever they stand."""
    words = s.lower().replace("|", " ").replace("·", " ").split()
    if words and len(words) <= 8 and all(w.strip(":,") in _WIDGET_WORDS for w in words):
        return True
    if _COOKIE.search(s) and _CONSENT.search(s):
        return True
    return bool((len(s) <= 200 and PATTERNS["furniture"].match(s)) or (len(s) <= 300 and PATTERNS["caption"].search(s))
                or PATTERNS["comment_widget"].match(s) or comments.is_time(s) or _is_dateline_only(s)
                or _is_nav_row(s))


_APPEAL_HINTS = ("unterstütz", "abo", "spende", "paywall", "bezahl", "frei ", "genoss", "konzern", "kündbar", "monat",
                 "helfen", "testen", "journalismus", "zahlen", "jetzt", "leser", "werbefrei", "newsletter", "weiterlesen",
                 "artikel", "limit", "aufpreis", "€", "e-paper", "postfach", "abbestell", "schicken", "inbox",
                 "subscribe", "sign up")


_APPEAL_HINT = re.compile("|".join(re.escape(h) for h in _APPEAL_HINTS))  # matched on the lower-cased line


@line_cache
def _is_appeal(s: str) -> bool:
    """Subscription and donation appeals: dense in appeal vocabulary (an article may say "unterstützen" twice)."""
    # the full pattern is slow; most lines hold no hint at all, and a long paragraph too few to be an appeal
    hints, n_words = len(_APPEAL_HINT.findall(s.lower())), len(s.split())
    if not hints or (n_words > 8 and hints * 20 < n_words):
        return False
    hits = len(PATTERNS["appeal"].findall(s))
    return (hits >= 2 and hits * 20 >= n_words) or (hits == 1 and n_words <= 8)


def _is_boilerplate(s: str, position: int) -> bool:
    words = s.split()
    if _is_furniture(s):
        return True
    if _is_appeal(s):
        return True
    # A long line without sentence punctuation below the headline area is a photo caption (list items are not).
    if position >= 2 and len(words) >= 9 and not PATTERNS["sentence_end"].search(s) and not _LIST_ITEM.match(s):
        return True
    return False


_DATE_LINE = re.compile(r"^(\w+,?\s+)?(\d{1,2}\.\s?(\d{1,2}\.|[A-Za-zäÄ]+)\s?\d{2,4}|\d{4}-\d{2}-\d{2})"
                        r"(\s*[|,–-]?\s*(um\s+)?\d{1,2}[:.]\d{2}(\s*uhr)?)?\s*$", re.I)


@line_cache
def _is_dateline_only(s: str) -> bool:
    """A line that only dates the page: "Dienstag, 03. Dezember 2024 | 18:57 Uhr", "November 20, 2026"."""
    if _DATE_LINE.match(s) or re.match(r"^(veröffentlicht|aktualisiert|stand|erschienen|updated|published|opublikowano)\b",
                                       s, re.I):
        return True
    if len(s) <= 90 and metadata.page_date([s]) is not None and len(s.split()) <= 14:
        return True
    # "12.11.2026, 07:58 Uhr · aktualisiert 13:24 Uhr", "10.11.2026 · 14:35 · Lesezeit 3 Min."
    return bool(re.match(r"^\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}\b", s)) and len(s.split()) <= 12 and \
        bool(re.search(r"\b(uhr|aktualisiert|lesezeit|min\.?)\b|\d{1,2}[:.]\d{2}", s, re.I))


_CREDIT_LINE = re.compile(r"^(foto|fotos|bild|bildquelle|quelle|credit|photo|image|picture|fot\.)\s*:", re.I)


def _relabel_article_times(lines: list[str], nonblank: list[int], kinds: dict[int, str], headline: int | None,
                           comment_start: int | None) -> None:
    """Dates that belong to the article: the date line under the headline, and the time stamps of a live blog."""
    end = comment_start if comment_start is not None else len(lines)
    zone = [i for i in nonblank if (headline is None or i > headline) and i < end]
    if headline is not None:
        for i in zone[:6]:
            if kinds[i] == "boilerplate" and (_is_dateline_only(_norm(lines[i])) or comments.is_time(_norm(lines[i]))):
                kinds[i] = "body"
    stamps = []
    for i, nxt in zip(zone, zone[1:]):
        s = _norm(lines[i])
        if len(s.split()) <= 3 and comments.is_time(s) and kinds[nxt] == "body":
            stamps.append(i)
    if len(stamps) >= 3:  # a live blog: "15:52 Uhr" above each entry
        for i in stamps:
            kinds[i] = "body"


_AD_LABEL = re.compile(r"^(anzeige|werbung|advertisement|sponsored|reklama|promotion|gesponsert)\s*:?$", re.I)
_AD_COPY = re.compile(r"\b(jetzt|buchen|sichern|prüfen|unverbindlich|kostenlos|gratis|angebot\w*|bestellen|testen|"
                      r"rabatt|sparen|termin|hier|info|mehr erfahren|shop|gmbh|ag)\b|%|€|www\.|\.de\b", re.I)
_BIO = re.compile(r"^[A-ZÄÖÜ][\w-]+( [A-ZÄÖÜ][\w-]+){1,2}(, \d{2},)? ((ist|war|arbeitet als|schreibt seit) (\w+ ){0,4}"
                  r"(redakteur|redakteurin|korrespondent|korrespondentin|reporter|reporterin|autor|autorin|"
                  r"volontär|volontärin|journalist|journalistin|kolumnist|kolumnistin|chefredakteur)|"
                  r"(berichtet|schreibt|arbeitet) seit \d{4})", re.I)


def _relabel_repeats(lines: list[str], nonblank: list[int], kinds: dict[int, str]) -> None:
    """Pull quotes (a quotation repeated from the text) and author bios are not article text."""
    body = [i for i in nonblank if kinds[i] == "body"]
    for i in body:
        s = _norm(lines[i])
        inner = s.strip("„“”\"»«‚‘’' ")
        # a quotation repeating an earlier sentence is a pull quote; one that the next paragraph goes on to quote is
        # a subheading ("„Wir müssen diplomatische Lösungen finden“" above the paragraph that quotes it)
        if s[:1] in "„\"»«" and 4 <= len(inner.split()) <= 40 and any(
                j < i and inner in _norm(lines[j]) and len(_norm(lines[j])) > len(inner) + 10 for j in body):
            kinds[i] = "boilerplate"
        elif _BIO.match(s):
            kinds[i] = "boilerplate"


def _relabel_captions(lines: list[str], nonblank: list[int], kinds: dict[int, str], tables: set[int]) -> None:
    """A short line directly above a photo credit ("Foto: …") is the photo's caption (a table row is not)."""
    for prev, cur in zip(nonblank, nonblank[1:]):
        if kinds[prev] == "body" and prev not in tables and _CREDIT_LINE.match(_norm(lines[cur])) and len(lines[prev].split()) < 40:
            kinds[prev] = "boilerplate"


def _relabel_header(lines: list[str], nonblank: list[int], kinds: dict[int, str]) -> int | None:
    """Page header above the headline is boilerplate; returns the headline's index if one is found.

    The headline is the last headline-like body line (3-25 words, no final full stop, no breadcrumb) before the
    first prose paragraph; one short line directly above it is its kicker ("Tirol", "Streik bei der Nordbahn").
    """
    first_prose = next((i for i in nonblank if kinds[i] == "body" and (
        _is_prose(_norm(lines[i])) or len(lines[i].split()) >= 40)), None)
    if first_prose is None:
        return None
    # a long headline may have been taken for a photo caption: only hard page furniture is excluded here
    before = [i for i in nonblank if i < first_prose and kinds[i] != "comment" and not _is_furniture(_norm(lines[i]))]
    headline = next((i for i in reversed(before) if headline_like(lines[i])), None)
    if headline is None:
        return None
    kinds[headline] = "body"
    kicker = [i for i in before if i < headline][-1:]
    for i in kicker:
        short = len(lines[i].split()) <= 6 and not _BREADCRUMB.search(lines[i])
        kinds[i] = "body" if short and _norm(lines[i]).lower() not in _SECTIONS else "boilerplate"
    for i in before:
        if i < headline and i not in kicker:
            kinds[i] = "boilerplate"
    return headline


# Generic section names: above a headline they are navigation, not a kicker.
_SECTIONS = frozenset("""politik wirtschaft panorama sport kultur international inland ausland lokales wissen digital
meinung gesellschaft ratgeber reise auto leben welt region regional nachrichten news home startseite""".split())
_BREADCRUMB = re.compile(r"[›»>/|·]|\s{3,}")


# A dateline on a line of its own: "Brakenhude (dpa) –", "Heubrunn (AFP) -", "BERLIN –"
_DATELINE_ONLY = re.compile(r"^[\w .'/-]{2,40}?\s*(\([^)]{1,20}\))?\s*[–—-]\s*$")


def headline_like(raw: str) -> bool:
    """2-25 words, no sentence end, not a breadcrumb, a section name, a byline or a dateline."""
    s = raw.strip()
    words = s.split()
    return 2 <= len(words) <= 25 and not s.endswith((".", ",", ";")) and not _BREADCRUMB.search(raw) \
        and s.lower() not in _SECTIONS \
        and not re.match(r"^(von|by)\s", s, re.I) and not _DATELINE_ONLY.match(s)


def _comment_section_start(lines: list[str], nonblank: list[int]) -> int | None:
    """Index of the first line of the comment section, or None: a comment header, or the first `@Name:` reply."""
    candidates = [n for n, i in enumerate(nonblank) if PATTERNS["comment_header"].match(_norm(lines[i]))]
    for k, n in enumerate(candidates):
        # "87 Kommentare" beside the byline, "Forum" above the article on a comment page: article text follows
        # before the next such header, so the comment section starts further down
        if k + 1 < len(candidates):  # a later header exists: skip this one if article text lies in between
            if not _article_follows(lines, [nonblank[m] for m in range(n + 1, candidates[k + 1])]):
                return nonblank[n]
        elif not _article_follows(lines, nonblank[n + 1:n + 4], needed=2):
            return nonblank[n]
    for i in nonblank:
        if comments.starts_with_address(_norm(comments.BULLET.sub("", lines[i]))):
            # back up over the thread's first comment: to the last boilerplate-looking line before it
            j = nonblank.index(i)
            while j > 0 and _is_prose(_norm(lines[nonblank[j - 1]])):
                j -= 1
            return nonblank[j]
    return None


def _article_follows(lines: list[str], following: list[int], needed: int = 1) -> bool:
    """Article paragraphs come next (before any comment header or time line): not the comment section yet."""
    long_prose = 0
    for i in following:
        s = _norm(lines[i])
        if comments.is_time(s) or (comments.header(s) or comments.Header()).author or comments.BULLET.match(lines[i]):
            break
        long_prose += len(s.split()) >= 15 and _is_prose(s) and not lines[i].startswith((" ", "\t"))
    return long_prose >= needed


# Moderation notices above or below a comment section.
_COMMENT_NOTICE = re.compile(r"forenregeln|netiquette|community-?richtlinien|nutzungsbedingungen|"
                             r"geben nicht (notwendigerweise )?die meinung|"
                             r"(kommentare|postings|beiträge) werden (\w+ ){0,4}(geprüft|moderiert|freigeschaltet)|"
                             r"anonyme (beiträge|kommentare)|mit ihrem (vollen|echten) namen",
                             re.I)


def _comment_zone_kind(s: str) -> str:
    if PATTERNS["comment_header"].match(s) or PATTERNS["comment_widget"].match(s) or PATTERNS["furniture"].match(s):
        return "boilerplate"
    if all(PATTERNS["comment_widget"].match(part.strip()) for part in re.split(r"\s[|·]\s", s)):
        return "boilerplate"  # "Neueste zuerst | Älteste zuerst"
    if PATTERNS["teaser_block"].match(s) or _is_appeal(s) or _is_footer(s) or _COMMENT_NOTICE.search(s):
        return "boilerplate"
    if _FOOTER_LINK.match(s):  # footer links one per line ("Barrierefreiheit"), or the comment rules' link
        return "boilerplate"
    if _is_nav_row(s) and not comments.header(s):  # sort controls, page links (a "Name · time" header is not)
        return "boilerplate"
    return comments.line_kind(s)


_LEGAL = re.compile(r"\b(impressum|datenschutz\w*|agb|kontakt|cookie-einstellungen|nutzungsbedingungen|"
                    r"forenregeln|alle rechte vorbehalten|about us|advertise|imprint|privacy|contact|terms|"
                    r"redakcja|reklama|regulamin|polityka prywatności|mediadaten|abo-service)\b", re.I)


@line_cache
def _is_footer(s: str) -> bool:
    """The page footer (it closes a comment section): copyright, a row of legal links."""
    return s.startswith("©") or len(_LEGAL.findall(s)) >= 2


_FOOTER_LINK = re.compile(r"^(impressum|datenschutz(erklärung|-manager|einstellungen)?|privatsphäre-einstellungen|"
                          r"barrierefreiheit|offenlegung|mediadaten|inserieren|anzeigen aufgeben|agb|kontakt|"
                          r"nutzungsbedingungen|kommentarrichtlinien|cookie-einstellungen|über uns|karriere|"
                          r"abo-service|leserservice|newsletter|rss|sitemap|hilfe|faq|jobs)$", re.I)


def _relabel_trailing(lines: list[str], nonblank: list[int], kinds: dict[int, str], comment_start: int | None,
                      keep: set[int]) -> None:
    """Teaser headlines between the last article paragraph and the comments are boilerplate, not body.

    Table rows, list items and the agency sign-off ("dpa", "Mit Material von dpa", "bk/ilo") stay in the article.
    """
    end = comment_start if comment_start is not None else len(lines)
    body = [i for i in nonblank if i < end and kinds[i] == "body"]
    last_prose = max((i for i in body if _is_prose(_norm(lines[i]))), default=None)
    if last_prose is None:
        return
    for i in body:
        s = _norm(lines[i])
        if i > last_prose and not _is_prose(s) and i not in keep and not _LIST_ITEM.match(s) and not _SIGN_OFF.match(s):
            kinds[i] = "boilerplate"


_LIST_ITEM = re.compile(r"^([•·▪►*–-]|\d{1,2}[.)])\s+\S")
_SIGN_OFF = re.compile(r"^(mit material (von|der|aus) [\w/,.\- ]{2,60}|mit (dpa|afp|apa|reuters|kna|epd|sda)[\w/ ,]{0,30}|"
                       r"\((red|[a-z]{2,4})[,/] ?(dpa|afp|apa|reuters|kna|epd|sda)\)|(mit material (von|der) )?([\w-]+/)*(dpa|afp|ap|reuters|apa|kna|epd|sda|dts|ddp|ots)"
                       r"(-afx)?(/[\w-]+)*|[a-z]{2,4}(/[a-z]{2,4})+|\((reporting|writing|editing) by .*\))\s*[.)]?$",
                       re.I)


