"""Metadata a press review needs: outlet, publication date, agencies — with the evidence for each."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

MONTHS = {
    "januar": 1, "jänner": 1, "jaenner": 1, "jan": 1, "februar": 2, "feber": 2, "feb": 2, "märz": 3, "maerz": 3,
    "mär": 3, "mrz": 3, "april": 4, "apr": 4, "mai": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "dezember": 12, "dez": 12,
    # English
    "january": 1, "february": 2, "march": 3, "mar": 3, "may": 5, "june": 6, "july": 7, "october": 10, "oct": 10,
    "december": 12, "dec": 12,
    # Polish (genitive, as in "17 listopada 2026")
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7, "sierpnia": 8,
    "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<d>\d{{1,2}})\.?\s?(?P<m>{_MONTH_RE})\.?\s+(?P<y>(19|20)\d{{2}})\b", re.I),
    re.compile(rf"\b(?P<m>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>(19|20)\d{{2}})\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})\.\s?(?P<m>\d{1,2})\.\s?(?P<y>(19|20)\d{2})\b"),
    re.compile(r"\b(?P<y>(19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
]
_PAGE_DATE_CONTEXT = re.compile(r"(veröffentlicht|aktualisiert|stand|erschienen|datum|uhr\b|\||updated|published)",
                                re.I)

AGENCIES = {
    "dpa": "dpa", "afp": "AFP", "ap": "AP", "reuters": "Reuters", "apa": "APA", "kna": "KNA", "epd": "epd",
    "sda": "sda", "keystone-sda": "Keystone-SDA", "dts": "dts", "ddp": "ddp", "ots": "ots", "ansa": "ANSA",
    "efe": "EFE", "bloomberg": "Bloomberg", "idea": "idea", "sid": "SID",
}
_AGENCY_ALT = "|".join(sorted((re.escape(a) for a in AGENCIES), key=len, reverse=True))
_AGENCY_LIST = rf"(?:{_AGENCY_ALT})(?:\s*[/,]\s*(?:{_AGENCY_ALT}|red|rtr|[a-z]{{2,4}}))*"
_AGENCY_PATTERNS = [
    re.compile(rf"\(\s*({_AGENCY_LIST})\s*\)", re.I),  # "Auenbach (dpa) –"
    re.compile(rf"^(?:von|quelle|mit material von)\s*:?\s*({_AGENCY_LIST})\b", re.I),  # "Von: APA/red"
    re.compile(rf"\bmit(?: material)?(?: von)?\s+({_AGENCY_LIST})\s*[·|]?\s*$", re.I),  # "Corinne Zaugg, mit sda"
    re.compile(rf"^({_AGENCY_LIST})\s*$", re.I),  # a byline line "dpa/AFP"
]
_DOMAIN = re.compile(r"\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:de|at|ch|com|net|org|eu|info|news|online|"
                     r"media|lu|li|be|it))\b", re.I)
_IGNORED_DOMAINS = ("facebook.com", "twitter.com", "x.com", "instagram.com", "youtube.com", "google.com",
                    "whatsapp.com", "tiktok.com", "linkedin.com", "t.me", "telegram.org")


@dataclass(frozen=True)
class Outlet:
    name: str
    domain: str
    markers: tuple[str, ...]


@cache
def known_outlets() -> tuple[Outlet, ...]:
    data = tomllib.loads(resources.files(__package__).joinpath("outlets.toml").read_text(encoding="utf-8"))
    return tuple(Outlet(o["name"], o["domain"], tuple(o.get("markers", [o["name"]]))) for o in data["outlet"])


def find_date(text: str) -> date | None:
    """The first valid calendar date written in ``text`` (German day-month-year forms or ISO)."""
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            month = m.group("m")
            month_no = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
            try:
                return date(int(m.group("y")), month_no or 0, int(m.group("d")))
            except (TypeError, ValueError):
                continue
    return None


def page_date(lines: list[str]) -> tuple[str, str] | None:
    """Publication date from page furniture ("Dienstag, 03. Dezember 2024 | 18:57 Uhr"), with the line as evidence.

    Only short lines that are mostly a date, or carry a date marker, count: a date inside the article text is an
    event date, not the publication date.
    """
    for line in lines:
        s = line.strip()
        if len(s) > 90:
            continue
        d = find_date(s)
        if d is None:
            continue
        mostly_date = len(re.sub(rf"[\d\W]|\b({_MONTH_RE}|uhr|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
                                 rf"sonntag|um|am|vom|stand|monday|tuesday|wednesday|thursday|friday|saturday|"
                                 rf"sunday|am|pm|gmt|cet|cest|mez|updated|aktualisiert)\b", "", s, flags=re.I)) <= 12
        if mostly_date or _PAGE_DATE_CONTEXT.search(s):
            return d.isoformat(), s
    return None


def agencies(lines: list[str]) -> list[str]:
    """Agencies named in bylines and datelines ("(dpa)", "Von: APA/Reuters/dpa", "AFP/dpa")."""
    found: list[str] = []
    for line in lines:
        s = line.strip()
        for pattern in _AGENCY_PATTERNS:
            m = pattern.search(s[:200]) if pattern is _AGENCY_PATTERNS[0] else pattern.match(s)
            if not m:
                continue
            for part in re.split(r"\s*[/,]\s*", m.group(1)):
                name = AGENCIES.get(part.lower())
                if name and name not in found:
                    found.append(name)
    return found


def outlet_from_text(lines: list[str]) -> tuple[str, str] | None:
    """Outlet domain from page furniture: a domain written on the page, or a known outlet's marker.

    Pass boilerplate lines (and the dateline): outlet names inside the article are often other outlets quoted.
    """
    for line in lines:
        for m in _DOMAIN.finditer(line):
            dom = m.group(1).lower().removeprefix("www.")
            if not dom.endswith(_IGNORED_DOMAINS) and "." in dom and not re.match(r"^\d", dom):
                return dom, line.strip()
    pattern, domain_of_marker = _marker_pattern()
    for line in lines:
        m = pattern.search(line)
        if m:
            return domain_of_marker[m.group(1)], line.strip()
    return None


@cache
def _marker_pattern() -> tuple[re.Pattern, dict[str, str]]:
    """One regex for all known outlets' markers (longest first), and the domain each marker stands for."""
    domain_of_marker = {m: o.domain for o in reversed(known_outlets()) for m in o.markers}
    alternatives = "|".join(re.escape(m) for m in sorted(domain_of_marker, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])"), domain_of_marker


_COMPANY_SUFFIX = re.compile(r"([\s-]+(\d{4}|medien|verlags-?gmbh|verlag\w*|gmbh|ag|eg|kg|se|ltd|media|mediengruppe|"
                             r"zeitungsverlag|&\s*co\.?|co\.?))+$", re.I)


def outlet_name_from_text(lines: list[str]) -> tuple[str, str] | None:
    """The outlet's name from its copyright line ("© 2026 Moorfelder Tageblatt"), when no domain is written."""
    for line in reversed(lines):
        s = line.strip()
        if not s.startswith("©"):
            continue
        name = re.split(r"\s+[|·–—-]\s+|,|\s{2,}", s[1:].strip())[0]
        name = _COMPANY_SUFFIX.sub("", re.sub(r"^\d{4}\s+", "", name).strip()).strip()
        if 2 < len(name) <= 40 and name[0].isupper() and "." not in name:
            return name, s
    return None


def dateline_outlet(first_body_lines: list[str]) -> tuple[str, str] | None:
    """"Brüssel taz | In der Nato ..." — the outlet's short name in a dateline."""
    for line in first_body_lines:
        m = re.match(r"^[A-ZÄÖÜ][\w.\- ]{1,40}?\s+([\w.\-]{2,30})\s+\|\s", line)
        if m:
            for outlet in known_outlets():
                if m.group(1) in outlet.markers or m.group(1).lower() == outlet.name.lower():
                    return outlet.domain, line[:80]
    return None


def outlet_from_sitename(sitename: str | None) -> str | None:
    if not sitename:
        return None
    for outlet in known_outlets():
        if sitename.strip().lower() in (outlet.name.lower(), *(m.lower() for m in outlet.markers), outlet.domain):
            return outlet.domain
    return None





# Camel-case words that are names, not a kicker glued to a headline.
_CAMEL_NAMES = frozenset("""whatsapp paypal youtube linkedin tiktok iphone ipad biontech openai github deepmind spacex
blackrock jpmorgan mckinsey playstation powerpoint facetime airbnb easyjet eurowings deutschlandticket""".split())


def split_kicker(line: str) -> tuple[str | None, str]:
    """"Hochwasser im Kreis ErftaueDeich an der Erft gebrochen" → ("Hochwasser im Kreis Erftaue", "Deich an …").

    Copy-paste glues the kicker to the headline when both were separate HTML elements; the join shows inside
    what looks like one word: a lower-case letter followed by a capital ("ErftaueDeich", "LigaFC"), or an
    acronym followed by a capitalised word ("NRWNach").
    """
    for m in re.finditer(r"(?<=[a-zäöüß])(?=[A-ZÄÖÜ])|(?<=[A-ZÄÖÜ]{2})(?=[A-ZÄÖÜ][a-zäöüß]{2})", line):
        headline = line[m.start():].strip()
        word_start = line.rfind(" ", 0, m.start()) + 1
        left = line[word_start: m.start()]
        word_end = line.find(" ", m.start())
        whole = line[word_start: word_end if word_end >= 0 else len(line)].strip(":,").lower()
        acronym = left.isupper()
        if (len(left) >= 4 or (acronym and len(left) >= 2)) and whole not in _CAMEL_NAMES \
                and len(headline.split()) >= 3:
            return line[: m.start()].strip(), headline
    return None, line.strip()
