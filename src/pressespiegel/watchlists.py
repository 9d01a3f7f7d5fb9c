"""Saved watchlists: what a reader follows — entities, keywords, outlets — kept in a TOML file.

The file (default ``watchlists.toml`` beside the store; ``[digest] watchlists`` in the settings names another) holds
one table per watchlist::

    [watchlists.ukraine]
    entities = ["Selenskyj", "geonames:703448"]   # names or entity ids of the store's entity registry
    keywords = ["Waffenruhe", "*hilfe"]           # words in title or text
    outlets = ["rheinkurier.de"]                  # only these outlets (empty: all)

How a watchlist matches an article (``Matcher``):

- **entities**: an entity id, or a name matched through the entity registry's canonical names and aliases by name
  key, so "Selenskij", "Zelensky" and "Selenskyj" find the same person; a single word also finds the people whose
  full name ends in it ("Sönksen" → "Birte Sönksen"). An article matches when it mentions one of these entities
  (by name or by a nominal mention such as "der Präsident"). A name the registry does not know (yet) still matches
  mentions whose name has the same key.
- **keywords**: case-insensitive, at the start of a word, so "Streik" finds "Streiks" and "Streikende"; a leading
  ``*`` lets the keyword start inside a word ("*streik" also finds "Warnstreik"). Several words must follow each
  other.
- **outlets**: restrict the articles to these outlets ("rheinkurier.de"; "www." and a scheme are ignored; a name
  without a dot, "rheinkurier", stands for any domain that starts with it).

An article matches a watchlist when it comes from one of its outlets (or the list names none) and mentions one of
its entities or keywords (or the list names neither: then every article of its outlets matches).
"""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .analyse.entities import name_key
from .analyse.linking import Record

FILENAME = "watchlists.toml"
FIELDS = ("entities", "keywords", "outlets")
MAX_TERMS = 500  # per field of one watchlist
MAX_TERM_CHARS = 200
_NAME = re.compile(r"^\w[\w .-]{0,63}$")


class WatchlistError(ValueError):
    """A watchlist file that cannot be read or does not hold valid watchlists; the message says where and why."""


@dataclass
class Watchlist:
    name: str
    entities: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)

    def to_table(self) -> dict[str, list[str]]:
        return {f: list(getattr(self, f)) for f in FIELDS}

    def merged(self, other: Watchlist) -> Watchlist:
        """This watchlist with the terms of ``other`` added (each term once, in order)."""
        return Watchlist(self.name, *(_unique([*getattr(self, f), *getattr(other, f)]) for f in FIELDS))


def default_path(db: str | None, configured: str | None = None) -> Path:
    """The watchlists file: the configured one, else ``watchlists.toml`` beside an SQLite store (or in the current
    folder for a database URL)."""
    if configured:
        return Path(configured)
    if db and "://" not in db:
        return Path(db).parent / FILENAME
    return Path(FILENAME)


def check_name(name: str) -> str:
    """A watchlist name: letters, digits, space, '.', '-' or '_', starting with a letter or digit, at most 64."""
    name = name.strip() if isinstance(name, str) else name
    if not isinstance(name, str) or not _NAME.match(name):
        raise WatchlistError(f"invalid watchlist name {name!r}: use letters, digits, space, '.', '-' or '_' "
                             "(at most 64, starting with a letter or digit)")
    return name


def normalise_outlet(outlet: str) -> str:
    """"https://www.Rheinkurier.de/" → "rheinkurier.de"."""
    o = outlet.strip().lower()
    o = re.sub(r"^[a-z][a-z0-9+.-]*://", "", o)
    o = o.split("/", 1)[0]
    return o[4:] if o.startswith("www.") else o


def validate(data: object, source: str = "watchlists") -> dict[str, Watchlist]:
    """Watchlists from parsed TOML (``{"watchlists": {name: {entities, keywords, outlets}}}``); raises
    ``WatchlistError`` naming the watchlist and field at fault."""
    if not isinstance(data, Mapping):
        raise WatchlistError(f"{source}: expected a TOML document")
    unknown = set(data) - {"watchlists"}
    if unknown:
        raise WatchlistError(f"{source}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                             "watchlists go in tables [watchlists.NAME]")
    tables = data.get("watchlists", {})
    if not isinstance(tables, Mapping):
        raise WatchlistError(f"{source}: 'watchlists' must be a table of watchlists ([watchlists.NAME])")
    out: dict[str, Watchlist] = {}
    for raw_name, table in tables.items():
        try:
            name = check_name(raw_name)
        except WatchlistError as exc:
            raise WatchlistError(f"{source}: {exc}") from None
        if not isinstance(table, Mapping):
            raise WatchlistError(f"{source}: watchlist {name!r} must be a table with entities, keywords, outlets")
        bad = set(table) - set(FIELDS)
        if bad:
            raise WatchlistError(f"{source}: watchlist {name!r}: unknown key(s) {', '.join(sorted(bad))} "
                                 f"(allowed: {', '.join(FIELDS)})")
        values = {}
        for f in FIELDS:
            terms = table.get(f, [])
            if isinstance(terms, str):
                terms = [terms]
            if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
                raise WatchlistError(f"{source}: watchlist {name!r}: {f} must be a list of strings")
            terms = [t.strip() for t in terms if t.strip()]
            if len(terms) > MAX_TERMS or any(len(t) > MAX_TERM_CHARS for t in terms):
                raise WatchlistError(f"{source}: watchlist {name!r}: {f}: at most {MAX_TERMS} terms of at most "
                                     f"{MAX_TERM_CHARS} characters")
            if f == "keywords" and any(not _keyword_words(t) for t in terms):
                raise WatchlistError(f"{source}: watchlist {name!r}: a keyword must contain a letter or digit")
            values[f] = _unique(normalise_outlet(t) for t in terms) if f == "outlets" else _unique(terms)
        wl = Watchlist(name, **values)
        if not (wl.entities or wl.keywords or wl.outlets):
            raise WatchlistError(f"{source}: watchlist {name!r} is empty: give entities, keywords or outlets")
        if name in out:
            raise WatchlistError(f"{source}: watchlist {name!r} is defined twice")
        out[name] = wl
    return out


def load(path: Path) -> dict[str, Watchlist]:
    """The watchlists of a file, by name; an absent file holds none."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise WatchlistError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WatchlistError(f"{path} is not valid TOML: {exc}") from None
    return validate(data, str(path))


def dumps(watchlists: Iterable[Watchlist]) -> str:
    import tomli_w

    tables = {w.name: w.to_table() for w in sorted(watchlists, key=lambda w: w.name)}
    header = "# pressespiegel watchlists: `pressespiegel watchlist --help`\n\n"
    return header + tomli_w.dumps({"watchlists": tables})


def save(path: Path, watchlists: Iterable[Watchlist]) -> Path:
    """Write the watchlists (validated first), atomically: readers see the old file or the new one."""
    items = list(watchlists)
    text = dumps(items)
    validate(tomllib.loads(text), str(path))  # what we write must read back
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".watchlists-", suffix=".toml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def add(path: Path, watchlist: Watchlist) -> Watchlist:
    """Add a watchlist to the file, or add its terms to the watchlist of that name; returns what is stored."""
    check_name(watchlist.name)
    lists = load(path)
    new = validate({"watchlists": {watchlist.name: watchlist.to_table()}}, "new watchlist")[watchlist.name]
    stored = lists[new.name].merged(new) if new.name in lists else new
    lists[new.name] = stored
    save(path, lists.values())
    return stored


def remove(path: Path, name: str) -> None:
    lists = load(path)
    if name not in lists:
        raise KeyError(name)
    del lists[name]
    save(path, lists.values())


# --- matching ------------------------------------------------------------------------------------------------------


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _keyword_words(keyword: str) -> list[str]:
    return re.findall(r"\w+", keyword)


def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """A keyword as a case-insensitive pattern: at the start of a word, or anywhere in one after a leading '*'."""
    inside = keyword.lstrip().startswith("*")
    words = _keyword_words(keyword)
    body = r"\W+".join(re.escape(w) for w in words)
    return re.compile(("" if inside else r"(?<!\w)") + body, re.IGNORECASE)


@dataclass
class Matcher:
    """A watchlist (or several) resolved against a store's entity registry."""

    entity_ids: set[str]
    name_keys: set[str]  # name keys of the watched entities' names and of unresolved names
    loose_keys: set[str]  # name keys of the unresolved names only
    keywords: list[re.Pattern[str]]
    outlets: list[str]
    unresolved: list[str]  # entity names the registry does not know (yet)
    names: dict[str, str]  # entity id → canonical name, for display

    @classmethod
    def build(cls, watchlists: Iterable[Watchlist], records: Iterable[Record]) -> Matcher:
        records = list(records)
        by_id = {r.id: r for r in records}
        by_key: dict[str, set[str]] = {}
        by_last: dict[str, set[str]] = {}
        for r in records:
            for name in {r.canonical, *r.aliases}:
                key = name_key(name)
                by_key.setdefault(key, set()).add(r.id)
                if r.label == "PER" and " " in key:
                    by_last.setdefault(key.rsplit(" ", 1)[1], set()).add(r.id)
            if r.key:
                by_key.setdefault(r.key, set()).add(r.id)
        ids: set[str] = set()
        keys: set[str] = set()
        loose: set[str] = set()
        unresolved: list[str] = []
        keywords: list[re.Pattern[str]] = []
        outlets: list[str] = []
        for wl in watchlists:
            for term in wl.entities:
                key = name_key(term)
                found = {term} if term in by_id else by_key.get(key) or \
                    (by_last.get(key, set()) if " " not in key else set())
                if found:
                    ids |= found
                else:
                    unresolved.append(term)
                    loose.add(key)
                keys.add(key)
            keywords += [keyword_pattern(k) for k in wl.keywords]
            outlets += [normalise_outlet(o) for o in wl.outlets]
        for i in ids:
            keys |= {name_key(n) for n in {by_id[i].canonical, *by_id[i].aliases}}
        keys.discard("")
        loose.discard("")
        return cls(entity_ids=ids, name_keys=keys, loose_keys=loose, keywords=keywords, outlets=_unique(outlets),
                   unresolved=unresolved, names={i: by_id[i].canonical for i in ids})

    @property
    def selects(self) -> bool:
        """Whether the watchlist names entities or keywords (else it only restricts outlets)."""
        return bool(self.entity_ids or self.name_keys or self.keywords)

    def outlet_ok(self, outlet: str | None) -> bool:
        if not self.outlets:
            return True
        o = normalise_outlet(outlet or "")
        return any(o == w or ("." not in w and o.startswith(w + ".")) for w in self.outlets)

    def entity(self, entity_id: str | None, name: str | None) -> bool:
        """Whether a mention (its registry id, its canonical name or text) is of a watched entity. A mention
        linked to the registry matches by id (or by the name of a watched entity the registry does not know), one
        without an id (a quote's speaker) by name."""
        if entity_id:
            return entity_id in self.entity_ids or (bool(name) and name_key(name) in self.loose_keys)
        return bool(name) and name_key(name) in self.name_keys

    def keyword(self, *texts: str | None) -> bool:
        return any(p.search(t) for p in self.keywords for t in texts if t)

    def article(self, outlet: str | None, title: str | None, text: str | None,
                mentions: Iterable[tuple[str | None, str | None]] = ()) -> bool:
        """Whether an article matches: its outlet, its title and text (keywords), its entity mentions
        ``(entity_id, name)`` (entity and nominal mentions)."""
        if not self.outlet_ok(outlet):
            return False
        if not self.selects:
            return True
        return any(self.entity(i, n) for i, n in mentions) or self.keyword(title, text)
