"""Entity linking: one id and one canonical name per real-world entity, across documents, spellings and languages.

A ``Registry`` holds the entities seen so far (in memory for ``analyze``, loaded from and saved to the store for
``run``) and links each new document's entities to them, in this order:

1. an optional knowledge base the user supplies (JSON Lines: ``id``, ``label``, ``aliases``, ``type``,
   ``description`` — a Wikidata extract, say): a name that is a label or alias of exactly one entry of a fitting type,
   or of several where the document's words overlap one entry's description clearly more than the others';
2. places: the GeoNames gazetteer shipped in ``models/geonames-de.tsv.gz`` (``scripts/build_gazetteer.py``) with the
   German names of ``names_de.toml`` — "Kyjiw", "Kiew" and "Kyiv" are GeoNames 703448, shown as "Kiew"; "USA" and
   "Vereinigte Staaten" are one country;
3. organisations in ``names_de.toml`` ("Nato" = "NATO" = "Nordatlantikpakt"; "EZB" = "Europäische Zentralbank");
4. a lone surname to the one person of that surname the registry knows ("Selenskyj" → "Wolodymyr Selenskyj"); of
   several, to the one whose earlier documents share this document's other entities — otherwise it stays apart;
5. anything else by its label and ``entities.name_key`` (transliterations: "Selenskyj", "Selenskij", "Zelensky").

Ids are stable strings derived from what the entity was linked to (``kb:Q57661``, ``geonames:703448``,
``org:nato``) or from its label and name key (``per:3f0c…``), so the same entity gets the same id in every run and
every store. A person and a place of one name never share an id (the label is part of the key). The canonical name
is the knowledge base's label, the curated German name, or the first spelling seen.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..model import Document
from .entities import name_key

LABELS = ("PER", "ORG", "LOC", "OTH")
_KB_TYPES = {"per": "PER", "person": "PER", "human": "PER", "org": "ORG", "organisation": "ORG",
             "organization": "ORG", "loc": "LOC", "location": "LOC", "place": "LOC", "gpe": "LOC", "oth": "OTH",
             "other": "OTH", "misc": "OTH"}
_WORD = re.compile(r"\w{4,}")


@dataclass
class Record:
    """One real-world entity: what every mention of it links to."""

    id: str
    label: str
    canonical: str
    key: str = ""
    geonames_id: int | None = None
    kb_id: str | None = None
    description: str | None = None
    aliases: set[str] = field(default_factory=set)
    context: Counter[str] = field(default_factory=Counter)  # ids of entities named in the same documents
    mentions: int = 0
    documents: int = 0

    def to_row(self) -> dict:
        return {"id": self.id, "label": self.label, "canonical": self.canonical, "name_key": self.key,
                "geonames_id": self.geonames_id, "kb_id": self.kb_id, "description": self.description,
                "aliases": json.dumps(sorted(self.aliases), ensure_ascii=False),
                "context": json.dumps(dict(self.context.most_common(50)), ensure_ascii=False),
                "mentions": self.mentions, "documents": self.documents}

    @classmethod
    def from_row(cls, row: dict) -> Record:
        return cls(id=row["id"], label=row["label"], canonical=row["canonical"], key=row.get("name_key") or "",
                   geonames_id=row.get("geonames_id"), kb_id=row.get("kb_id"), description=row.get("description"),
                   aliases=set(json.loads(row.get("aliases") or "[]")),
                   context=Counter(json.loads(row.get("context") or "{}")),
                   mentions=row.get("mentions") or 0, documents=row.get("documents") or 0)


def _hash_id(label: str, key: str) -> str:
    return f"{label.lower()}:{hashlib.blake2b(key.encode('utf-8'), digest_size=6).hexdigest()}"


def _variants(name: str) -> list[str]:
    """The name and its uninflected forms: "Kiews" → "Kiew", "Russlands" → "Russland"."""
    out = [name]
    if name.endswith(("s", "'", "’")) and len(name) > 4:
        out.append(name[:-1])
    return out


# --- vocabulary and gazetteer -----------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def vocabulary() -> dict:
    return tomllib.loads(resources.files(__package__).joinpath("names_de.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def organisations() -> dict[str, tuple[str, str]]:
    """name key → (organisation key, preferred name)."""
    index = {}
    for org, names in vocabulary()["organisations"].items():
        for name in names:
            index[name_key(name)] = (org, names[0])
    return index


@dataclass(frozen=True)
class Place:
    geonames_id: int
    kind: str  # country, continent, city
    country: str
    population: int
    name: str  # the name it is shown under
    curated: bool  # the name is a German one from names_de.toml


class Gazetteer:
    """Places by name key; a name several places share goes to countries before continents before cities, then to
    the largest, with a preference for Germany, Austria and Switzerland ("Frankfurt" is the one on the Main)."""

    RANK = {"country": 0, "continent": 1, "city": 2}

    def __init__(self, lines: list[str]) -> None:
        curated = {int(k): v[0] for k, v in vocabulary()["places"].items()}
        self.index: dict[str, Place] = {}
        for line in lines:
            gid, kind, country, population, names = line.rstrip("\n").split("\t")
            place = Place(int(gid), kind, country, int(population), names.split("|")[0], int(gid) in curated)
            for name in names.split("|"):
                key = name_key(name)
                old = self.index.get(key)
                if old is None or self._better(place, old):
                    self.index[key] = place

    def _better(self, new: Place, old: Place) -> bool:
        if new.curated != old.curated:
            return new.curated
        rank = (self.RANK[new.kind], -(new.population * (3 if new.country in ("DE", "AT", "CH") else 1)))
        return rank < (self.RANK[old.kind], -(old.population * (3 if old.country in ("DE", "AT", "CH") else 1)))

    @classmethod
    @lru_cache(maxsize=1)
    def shipped(cls) -> Gazetteer:
        data = resources.files(__package__).joinpath("models", "geonames-de.tsv.gz").read_bytes()
        return cls(gzip.decompress(data).decode("utf-8").splitlines())

    def lookup(self, name: str) -> Place | None:
        for variant in _variants(name):
            place = self.index.get(name_key(variant))
            if place is not None:
                return place
        return None


@dataclass
class KnowledgeBase:
    """A user's knowledge base: entries by the name keys of their labels and aliases."""

    entries: dict[str, dict]
    index: dict[str, list[str]]

    @classmethod
    def load(cls, path: str | Path) -> KnowledgeBase:
        """Read a JSON Lines file; a line that is not an object with an ``id`` and a ``label`` is an error naming its
        line number."""
        entries: dict[str, dict] = {}
        index: dict[str, list[str]] = {}
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON ({exc.msg})") from None
                if not isinstance(entry, dict) or not entry.get("id") or not entry.get("label"):
                    raise ValueError(f"{path}:{n}: an entry needs an 'id' and a 'label'")
                kid = str(entry["id"])
                entry["type"] = _KB_TYPES.get(str(entry.get("type") or "").lower())
                entries[kid] = entry
                aliases = entry.get("aliases") or []
                for name in [entry["label"], *(aliases if isinstance(aliases, list) else [])]:
                    if isinstance(name, str) and name.strip():
                        ids = index.setdefault(name_key(name), [])
                        if kid not in ids:
                            ids.append(kid)
        return cls(entries, index)

    def lookup(self, names: list[str], label: str, text: str) -> dict | None:
        candidates: list[str] = []
        for name in names:
            for variant in _variants(name):
                for kid in self.index.get(name_key(variant), []):
                    if kid not in candidates and self.entries[kid]["type"] in (None, label):
                        candidates.append(kid)
            if candidates:
                break
        if len(candidates) == 1:
            return self.entries[candidates[0]]
        if not candidates:
            return None
        words = set(_WORD.findall(text.lower()))
        scored = sorted(((len(words & set(_WORD.findall(str(self.entries[k].get("description") or "").lower()))), k)
                         for k in candidates), reverse=True)
        return self.entries[scored[0][1]] if scored[0][0] > scored[1][0] else None


# --- the registry -----------------------------------------------------------------------------------------------

class Registry:
    """Entities across documents. ``link(doc)`` sets ``id``, ``canonical``, ``geonames_id`` and ``kb_id`` of every
    entity of the document and records what changed in ``dirty`` (for the store to save)."""

    def __init__(self, records: list[Record] | None = None, kb: KnowledgeBase | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.records: dict[str, Record] = {r.id: r for r in records or []}
        self.kb = kb
        self.gazetteer = gazetteer if gazetteer is not None else Gazetteer.shipped()
        self.dirty: set[str] = set()
        self.merged: dict[str, str] = {}  # a lone surname's record → the person it turned out to be
        self._surnames: dict[str, set[str]] = {}
        for r in self.records.values():  # stored records: their merges were made when they were linked
            self._index(r, merge=False)

    def _index(self, record: Record, merge: bool = True) -> None:
        if record.label == "PER" and " " in record.canonical:
            surname = name_key(record.canonical.split()[-1])
            owners = self._surnames.setdefault(surname, set())
            owners.add(record.id)
            lone = self.records.get(_hash_id("PER", surname)) if merge else None
            if lone is not None and len(owners) == 1 and lone.id != record.id:
                # "Sönksen" was seen before "Birte Sönksen": the earlier mentions are hers
                record.aliases |= lone.aliases
                record.mentions += lone.mentions
                record.documents += lone.documents
                record.context.update(lone.context)
                del self.records[lone.id]
                self.dirty.discard(lone.id)
                self.merged[lone.id] = record.id
                self.dirty.add(record.id)

    def _resolve(self, label: str, canonical: str, names: list[str], text: str,
                 doc_ids: set[str]) -> tuple[str, dict]:
        """(id, attributes of a new record) for one entity of a document."""
        if self.kb is not None:
            entry = self.kb.lookup([canonical, *names], label, text)
            if entry is not None:
                place = self.gazetteer.lookup(entry["label"]) if label == "LOC" else None
                return f"kb:{entry['id']}", {"canonical": entry["label"], "kb_id": str(entry["id"]),
                                             "description": entry.get("description"),
                                             "geonames_id": place.geonames_id if place else None}
        if label != "PER":
            place = next((p for p in map(self.gazetteer.lookup, [canonical, *names]) if p), None)
            if place is not None and (label == "LOC" or place.curated and place.kind == "country"):
                return f"geonames:{place.geonames_id}", {"canonical": place.name if place.curated else canonical,
                                                          "geonames_id": place.geonames_id, "label": "LOC"}
        if label != "PER":
            for name in [canonical, *names]:
                hit = next((organisations()[name_key(v)] for v in _variants(name) if name_key(v) in organisations()),
                           None)
                if hit:
                    return f"org:{hit[0]}", {"canonical": hit[1], "label": "ORG"}
        key = name_key(canonical)
        if label == "PER" and " " not in canonical:
            owners = self._surnames.get(key, set())
            if len(owners) == 1:
                return next(iter(owners)), {}
            if owners:  # two people of one surname: the one whose documents name this document's entities
                scored = sorted(((sum(self.records[o].context[i] for i in doc_ids), o) for o in owners), reverse=True)
                if scored[0][0] > scored[1][0]:
                    return scored[0][1], {}
        return _hash_id(label, key), {"canonical": canonical, "key": key}

    def link(self, doc: Document) -> None:
        groups: dict[tuple[str, str], list[int]] = {}
        for i, e in enumerate(doc.entities):
            groups.setdefault((e.label, e.canonical), []).append(i)
        doc_words_ids: set[str] = set()
        resolved: dict[tuple[str, str], str] = {}
        # lone surnames last: they are resolved with the document's other entities as context
        for (label, canonical), idx in sorted(groups.items(), key=lambda kv: kv[0][0] == "PER" and " " not in kv[0][1]):
            names = sorted({doc.entities[i].text for i in idx})
            rid, attrs = self._resolve(label, canonical, names, doc.text, doc_words_ids)
            record = self.records.get(rid)
            if record is None:
                record = Record(id=rid, label=attrs.get("label", label),
                                canonical=attrs.get("canonical", canonical), key=attrs.get("key", name_key(canonical)),
                                geonames_id=attrs.get("geonames_id"), kb_id=attrs.get("kb_id"),
                                description=attrs.get("description"))
                self.records[rid] = record
                self._index(record)
            record.aliases.update(names)
            record.mentions += len(idx)
            record.documents += 1
            self.dirty.add(rid)
            resolved[(label, canonical)] = rid
            doc_words_ids.add(rid)
        for (label, canonical), rid in resolved.items():
            record = self.records[rid]
            record.context.update(doc_words_ids - {rid})
            for i in groups[(label, canonical)]:
                e = doc.entities[i]
                e.id, e.canonical, e.geonames_id, e.kb_id = rid, record.canonical, record.geonames_id, record.kb_id
        for n in doc.nominals:  # "der Niederländer": the person the entities stage resolved it to
            rid = resolved.get(("PER", n.canonical or ""))
            if rid is not None:
                n.entity_id, n.canonical = rid, self.records[rid].canonical

    def take_dirty(self) -> tuple[list[Record], dict[str, str]]:
        """The records changed since the last call, and the records merged away (old id → new id)."""
        out = [self.records[r] for r in sorted(self.dirty) if r in self.records]
        merged = dict(self.merged)
        self.dirty.clear()
        self.merged.clear()
        return out, merged

    def keep_dirty(self, records: list[Record], merged: dict[str, str]) -> None:
        """Put what ``take_dirty`` gave back (it was not saved): the next call gives it again."""
        self.dirty.update(r.id for r in records)
        self.merged = {**merged, **self.merged}
