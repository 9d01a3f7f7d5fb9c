"""HTML pages: main text and metadata through trafilatura; reader comments through our own widget parser.

Comment widgets are cut out of the page before trafilatura sees it, so comment text can never leak into the
article, and what they contain becomes structured ``Comment`` records (author, time, reply structure, text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from ..model import Comment
from .textdump import drop_furniture

# Page regions that hold reader comments: one whole id or class token ("comment-status-open" on a WordPress
# <article> is not one, "comments-area" is).
_WIDGET = re.compile(r"^(comments?|kommentare?|leserkommentare|postings?|forum|discussion|disqus_thread|wpdiscuz|"
                     r"user-?comments|reader-?comments|comment-?(list|section|area|thread|container|wrapper|stream)|"
                     r"comments-?(list|section|area|thread|container|wrapper|block|box|module|widget)|commentlist|"
                     r"kommentar(e)?-?(bereich|liste|box)|lk-liste|forum__postings|wc-thread-wrapper)$", re.I)
# Regions to drop without reading comments from them: comment forms, sidebar "recent comments" lists.
_COMMENT_FURNITURE = re.compile(r"^(respond|comment-?respond|comment-?form(-\w+)?|commentform|reply-?form|"
                                r"recentcomments|widget_recent_comments|recent-?comments|comment-?notes)$", re.I)
# One comment inside a widget.
_ITEM = re.compile(r"(^|[-_\s])(comment|kommentar|posting|post|reply|antwort)($|[-_\s])", re.I)
_NOT_ITEM = re.compile(r"(count|form|head|meta|foot|author|user|name|date|time|text|body|content|actions?|message|"
                       r"button|link|avatar|replies|list|vote|rat(e|ing)|reply-?link|respond|since|rank|badge|"
                       r"toolbar|sort|rules|hinweis|report|share)", re.I)
_PARENT_ATTRS = ("data-parent", "data-parent-id", "data-reply-to", "data-in-reply-to", "data-parentid")
_DELETED = re.compile(r"^(nutzer|user|benutzer)(in)? gelöscht$|^gelöschte[rs]? (nutzer|user|benutzer)(in)?$|^\[?gelöscht\]?$",
                      re.I)
_AUTHOR = re.compile(r"(author|user|username|name|nick|poster|fn)\b", re.I)
_DATE = re.compile(r"(date|time|posted|timestamp|datum)", re.I)
_TEXT = re.compile(r"(text|body|content|message|entry|comment-?content)", re.I)
_ACTION_WORDS = re.compile(r"^\s*(antworten|melden|teilen|gefällt mir|zitieren|\d+\s*(likes?|antworten)|"
                           r"mehr anzeigen|weniger anzeigen|reply|report|share)\s*$", re.I)
_SKIP_TAGS = {"script", "style", "button", "form", "noscript", "svg", "template", "textarea", "input", "select"}


FULL_MODE_BELOW = 1000  # characters of main text under which trafilatura runs again with its fallbacks


@dataclass
class HtmlArticle:
    text: str
    title: str | None = None
    published: str | None = None
    sitename: str | None = None
    url: str | None = None
    author: str | None = None
    comments: list[Comment] = field(default_factory=list)


def extract(html: str, url: str | None = None) -> HtmlArticle | None:
    """The article of a page, or None when the page holds no readable text."""
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    meta = page_metadata(tree)  # before trafilatura, which changes the tree
    comments = _take_comments(tree)
    doc = _trafilatura(tree, html, url)
    text = _clean(doc.text) if doc is not None and doc.text else ""
    if text:  # trafilatura keeps teaser blocks, share widgets and credits now and then: our line rules drop them
        text = "\n".join(drop_furniture(text.split("\n"))) or text
    if not text:
        text = fragment_text(tree)
    if not text:
        return None
    return HtmlArticle(text=text, title=meta.get("title"), published=meta.get("published"),
                       sitename=meta.get("sitename"), url=meta.get("url") or url, author=meta.get("author"),
                       comments=comments)


_META_KEYS = {
    "title": ("og:title", "twitter:title", "dc.title"),
    "published": ("article:published_time", "og:article:published_time", "datepublished", "date", "pubdate",
                  "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"),
    "sitename": ("og:site_name", "application-name", "publisher"),
    "author": ("author", "article:author", "dc.creator", "parsely-author"),
    "url": ("og:url",),
}


def page_metadata(tree: HtmlElement) -> dict[str, str | None]:
    """Title, publication date, site name, author and URL from meta tags and JSON-LD, the cheap and reliable way.

    (trafilatura's own metadata extraction costs as much as the text extraction; htmldate is the fallback for
    the date, see extract().)
    """
    found: dict[str, str | None] = {}
    metas: dict[str, str] = {}
    for m in tree.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        if key and m.get("content") and key not in metas:
            metas[key] = m.get("content").strip()
    for field_name, keys in _META_KEYS.items():
        found[field_name] = next((metas[k] for k in keys if metas.get(k)), None)
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            _from_json_ld(script.text, found)
    if not found["title"]:
        h1 = next(tree.iter("h1"), None)
        title_el = next(tree.iter("title"), None)
        found["title"] = _text(h1) or (_text(title_el) or "").split(" | ")[0].strip() or None
    found["title"] = _without_site_name(_clean(found["title"]), found["sitename"]) if found["title"] else None
    if not found["published"]:  # <time datetime="…"> in the article, or itemprop="datePublished"
        found["published"] = next((el.get("datetime") or el.get("content") for el in tree.iter("time", "span", "div")
                                   if (el.tag == "time" and el.get("datetime") and _in_article(el))
                                   or el.get("itemprop") == "datePublished"), None)
    found["published"] = _iso_date(found["published"])
    return found


_TITLE_SEPARATOR = re.compile(r"(\s+[|–—-]\s+|\s+::\s+)")
_DOMAIN_LIKE = re.compile(r"(www\.)?[\w-]+\.(de|at|ch|com|net|org|eu|info|tv)")


def _without_site_name(title: str, sitename: str | None) -> str:
    """"Wurmkiste | selbst.de" → "Wurmkiste": title parts that only name the site go (one part always stays)."""
    parts = _TITLE_SEPARATOR.split(title)  # text, separator, text, …
    names = [n for n in (sitename or "").lower().split(" | ") if len(n) >= 3]

    def names_site(part: str) -> bool:
        p = part.lower().strip()
        return bool(p) and (any(p in n or (n in p and len(p) <= len(n) + 12) for n in names) or _DOMAIN_LIKE.fullmatch(p) is not None)

    while len(parts) > 2 and names_site(parts[-1]):
        parts = parts[:-2]
    while len(parts) > 2 and names_site(parts[0]):
        parts = parts[2:]
    return "".join(parts).strip()


def _in_article(el: HtmlElement) -> bool:
    """Inside <article> or <header>, not in a comment or a teaser."""
    return any(a.tag in ("article", "header", "main") for a in el.iterancestors()) and not any(
        _WIDGET.match(t) for a in el.iterancestors() for t in _tokens(a).split())


def _from_json_ld(raw: str, found: dict[str, str | None]) -> None:
    import json

    try:
        data = json.loads(raw)
    except ValueError:
        return
    items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
    for item in items:
        if not isinstance(item, dict) or "Article" not in str(item.get("@type", "")):
            continue
        found["title"] = found["title"] or _str(item.get("headline"))
        found["published"] = found["published"] or _str(item.get("datePublished"))
        publisher, author = item.get("publisher"), item.get("author")
        if isinstance(publisher, dict):
            found["sitename"] = found["sitename"] or _str(publisher.get("name"))
        if isinstance(author, list):
            author = author[0] if author else None
        if isinstance(author, dict):
            found["author"] = found["author"] or _str(author.get("name"))


def _str(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", value)
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def _trafilatura(tree: HtmlElement, html: str, url: str | None):
    """trafilatura's main-text extraction (fast mode; full mode on a fresh tree when that finds little)."""
    kwargs = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": False}
    try:
        # fast mode skips trafilatura's fallback extractors, which pay off only when it finds little text: a short
        # result is redone in full mode on a fresh tree (same F1 on the evaluation pages, clearly faster)
        doc = trafilatura.bare_extraction(tree, fast=True, **kwargs)
        if doc is not None and doc.text and len(doc.text) >= FULL_MODE_BELOW and _prose_share(doc.text) >= 0.1:
            return doc
    except (AssertionError, ValueError, TypeError, AttributeError, IndexError):  # seen on broken trees
        pass
    fresh = trafilatura.load_html(html)  # the first run changed the tree
    if fresh is None:
        return None
    _take_comments(fresh)
    try:
        return trafilatura.bare_extraction(fresh, **kwargs)
    except (AssertionError, ValueError, TypeError, AttributeError, IndexError):
        return None


_SENTENCE = re.compile(r"[.!?:;\"“”»«)]\s*$")


def _prose_share(text: str) -> float:
    """Share of the text in sentence-like lines; a fast-mode result that is mostly link lists (navigation) is
    redone in full mode, whose comparison with other extractors finds the article."""
    lines = text.split("\n")
    prose = sum(len(line) for line in lines if len(line.split()) >= 6 and _SENTENCE.search(line))
    return prose / max(1, sum(len(line) for line in lines))


def fragment_text(tree: HtmlElement) -> str:
    """Plain text of an HTML fragment (feed item, JSON Lines `html`), one line per block element."""
    parts: list[str] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        if el.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "div", "td", "dd", "dt", "br"):
            parts.append("\n")
        if el.text and not _inside_skipped(el):
            parts.append(el.text)
        if el.tail and not _inside_skipped(el.getparent()):
            parts.append(el.tail)
    return _clean("".join(parts))


def _inside_skipped(el: HtmlElement | None) -> bool:
    while el is not None:
        if isinstance(el.tag, str) and el.tag in _SKIP_TAGS:
            return True
        el = el.getparent()
    return False


def _clean(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _tokens(el: HtmlElement) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


# Substrings (case aside) of the ids and classes of comment regions. XPath hands back every class and id value (in
# C), and one regex picks the few that could name a comment region: far cheaper than a contains() test per element.
_HINTS = ("omment", "OMMENT", "osting", "orum", "iscuss", "isqus", "espond")
_ATTRS = etree.XPath("//@class|//@id")
_HINT = re.compile("|".join(_HINTS))


def _candidates(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose id or class could name a comment region, in document order, each once."""
    found = {el: None for value in _ATTRS(tree) if _HINT.search(value)
             for el in [value.getparent()] if isinstance(el.tag, str)}
    return list(found)


def _take_comments(tree: HtmlElement) -> list[Comment]:
    """Find comment widgets, parse their comments, and remove the widgets (and comment forms) from the tree."""
    widgets, furniture = [], []
    for el in list(_candidates(tree)):
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "a", "span", "main"):
            continue
        tokens = _tokens(el).split()
        if any(_WIDGET.match(t) for t in tokens):
            widgets.append(el)
        elif any(_COMMENT_FURNITURE.match(t) for t in tokens):
            furniture.append(el)
    marked = set(widgets) | set(furniture)
    comments: list[Comment] = []
    for el in widgets + furniture:
        if any(a in marked for a in el.iterancestors()) or _holds_article(el):
            continue
        if el in widgets:
            comments.extend(_parse_widget(el))
        if el.getparent() is not None:
            el.drop_tree()
    return comments


def _holds_article(el: HtmlElement) -> bool:
    """A region with the page's headline or its <article> is not a comment widget, whatever its class says."""
    return el.tag == "article" and el.find(".//h1") is not None or next(el.iter("h1"), None) is not None


def _parse_widget(widget: HtmlElement) -> list[Comment]:
    items = _comment_items(widget)
    position: dict[int, int] = {}  # item -> its index in `comments`
    by_html_id: dict[str, int] = {}
    comments: list[Comment] = []
    for el in items:
        own = _own_descendants(el, items)
        author = next((t for d in own if _AUTHOR.search(_tokens(d)) or d.tag == "cite" for t in [_text(d)] if t), None)
        if author:
            author = _SAYS.sub("", author).strip() or None  # WordPress: "Jasmin sagt:"
        if author and _DELETED.match(author):
            author = None
        posted = next((d.get("datetime") or d.get("title") or _text(d) for d in own
                       if (d.tag == "time" or _DATE.search(_tokens(d))) and re.search(r"\d", _text(d) or "")), None)
        text_els = [d for d in own if _TEXT.search(_tokens(d)) and not _AUTHOR.search(_tokens(d))]
        # the innermost text container: "post-body" holds a header and votes, "post-message" just the text
        text_els = [d for d in text_els if not any(x is not d and d in x.iterancestors() for x in text_els)]
        if not text_els:
            text_els = [d for d in own if d.tag == "p"]
        text = "\n".join(t for t in (_block_text(d, items) for d in text_els) if t)
        text = _strip_header_lines(text, author, posted)
        if not text or (comments and comments[-1].text == text and comments[-1].author == author):
            continue  # nothing said, or a wrapper element repeating the comment inside it
        reply_to = next((position[id(a)] for a in el.iterancestors() if id(a) in position), None)
        parent_ref = next((el.get(k) for k in _PARENT_ATTRS if el.get(k)), None)
        if parent_ref:  # flat lists that name the parent: data-parent="9120441" → id="posting-9120441"
            reply_to = next((n for key, n in by_html_id.items() if key == parent_ref or key.endswith(f"-{parent_ref}")),
                            reply_to)
        if el.get("id"):
            by_html_id[el.get("id")] = len(comments)
        position[id(el)] = len(comments)
        comments.append(Comment(author=author, reply_to=reply_to, posted=posted, text=text))
    return comments


_SAYS = re.compile(r"\s+(sagt|says|schreibt|meint|wrote|schrieb)\s*:?\s*$", re.I)


def _strip_header_lines(text: str, author: str | None, posted: str | None) -> str:
    """Comment text without the author and date lines that some themes put inside the text container."""
    from .comments import is_time

    lines = text.split("\n")
    while lines and (is_time(lines[0]) or _SAYS.search(lines[0]) or (author and lines[0].strip() == author)
                     or (posted and lines[0].strip() == posted)):
        lines = lines[1:]
    return "\n".join(lines).strip()


def _comment_items(widget: HtmlElement) -> list[HtmlElement]:
    """The elements that are one comment each: by class name, else the list items that hold paragraphs."""
    named = [el for el in widget.iter() if isinstance(el.tag, str) and el is not widget
             and el.tag in ("li", "article", "div", "section") and _is_item(el)]
    named = [el for el in named if _has_prose(el)]
    if named:
        return named
    return [el for el in widget.iter("li", "article") if _has_prose(el)]


_ITEM_TOKENS = frozenset(("comment", "kommentar", "posting", "post", "reply", "comment-item", "comment-reply",
                          "lk-item", "wc-comment", "comment-entry", "commentary"))


def _is_item(el: HtmlElement) -> bool:
    """One comment: a class token that says so ("comment", even beside "comment-author-jasmin" as WordPress
    writes it), or a comment-ish token that is not a part of a comment (author, date, text, actions …)."""
    tokens = _tokens(el).lower().split()
    return any(t in _ITEM_TOKENS for t in tokens) or (
        bool(_ITEM.search(" ".join(tokens))) and not _NOT_ITEM.search(" ".join(tokens)))


def _has_prose(el: HtmlElement) -> bool:
    return any(len(_text(p) or "") >= 10 for p in el.iter("p", "div", "span") if not _AUTHOR.search(_tokens(p)))


def _own_descendants(el: HtmlElement, items: list[HtmlElement]) -> list[HtmlElement]:
    """Descendants of a comment that do not belong to a nested reply."""
    nested = {id(x) for x in items if x is not el}
    out = []
    stack = list(el)
    while stack:
        d = stack.pop(0)
        if not isinstance(d.tag, str) or id(d) in nested or d.tag in _SKIP_TAGS:
            continue
        out.append(d)
        stack[0:0] = list(d)
    return out


def _block_text(el: HtmlElement, items: list[HtmlElement]) -> str:
    nested = {id(x) for x in items}
    paras: list[str] = []
    current: list[str] = []

    def walk(node: HtmlElement) -> None:
        if not isinstance(node.tag, str) or node.tag in _SKIP_TAGS or (node is not el and id(node) in nested):
            if node.tail:
                current.append(node.tail)
            return
        block = node.tag in ("p", "div", "br", "li", "blockquote")
        if block and current:
            paras.append("".join(current))
            current.clear()
        if node.text:
            current.append(node.text)
        for child in node:
            walk(child)
        if block and current:
            paras.append("".join(current))
            current.clear()
        if node.tail and node is not el:
            current.append(node.tail)

    walk(el)
    if current:
        paras.append("".join(current))
    lines = [re.sub(r"\s+", " ", p).strip() for p in paras]
    return "\n".join(p for p in lines if p and not _ACTION_WORDS.match(p))


def _text(el: HtmlElement | None) -> str | None:
    if el is None:
        return None
    t = re.sub(r"\s+", " ", etree.tostring(el, method="text", encoding="unicode", with_tail=False)).strip()
    return t or None
