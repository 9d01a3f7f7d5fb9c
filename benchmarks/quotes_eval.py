"""Score quotation extraction (pressespiegel.analyse.quotes) on German Wikinews with gold quotes and speakers.

Data: ../shared/data/spkatt-news-train/task2 (GermEval 2023 speaker attribution, news; CC BY-NC-SA — evaluation and
rule development only). Each article's tokens are joined into text as a newspaper prints it (no space before
punctuation and closing quotation marks, none after opening ones), with the publication date of the file name; the
whole analysis (entities, then quotes) runs on it and the predicted character spans are mapped back to tokens.

Method (GUIDE section 4): top-level gold annotations (`IsNested` false) of every form (Direct, Indirect,
IndirectFreeIndirect, FreeIndirect, Reported). A predicted quote matches a gold one when the message tokens they
share cover at least half of the gold message's words (one-to-one, greedy by overlap; punctuation tokens such as the
quotation marks, which the output contract keeps out of a quote, are not counted — ``--count-marks`` counts them). The speaker is right when the tokens
of the predicted speaker mention overlap the gold source (or both are empty). Reported: message P/R/F1, joint
message+speaker P/R/F1, recall by form, speaker accuracy over the matched quotes (all, and those whose gold names a source), token-level message F1.
Speed: articles per second of the quotes stage alone, one core (median of 3 runs). Skips cleanly when ../shared is
absent.

With ``--gold tests/gold/quotes_examples.json``: scores the whole pipeline on the project's own quote gold (text
dumps of the example corpus and the real dumps of ../shared/examples, annotated blind): a predicted quote matches a
gold one when it covers at least half of the gold message's characters; the speaker is right when the predicted
speaker mention overlaps the gold one, or the canonical names meet (entities.name_key); recall for direct and
indirect speech separately.

    python benchmarks/quotes_eval.py [--record] [--limit N] [--half even|odd] [--show-errors N] [--gold FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from _common import ROOT, SHARED, report

DATA = SHARED / "data" / "spkatt-news-train" / "task2"
_NO_SPACE_BEFORE = set(",.;:!?)]“”«’%") | {"...", "…"}
_NO_SPACE_AFTER = set("„(»[‚")


def detokenize(sentences: list[list[str]]) -> tuple[str, dict[tuple[int, int], tuple[int, int]]]:
    """Text and the character span of every (sentence, token)."""
    out: list[str] = []
    spans = {}
    pos = 0
    straight_open = False
    for si, tokens in enumerate(sentences):
        for ti, tok in enumerate(tokens):
            space = bool(out)
            prev = out[-1] if out else ""
            if tok in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
                space = False
            if tok == '"':
                space = not straight_open and bool(out)
                straight_open = not straight_open
            elif prev == '"' and straight_open:
                space = False
            if space:
                out.append(" ")
                pos += 1
            spans[(si, ti)] = (pos, pos + len(tok))
            out.append(tok)
            pos += len(tok)
    return "".join(out), spans


def _is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def positions(items: list[str]) -> set[tuple[int, int]]:
    return {(int(p.split(":")[0]), int(p.split(":")[1])) for p in items}


def tokens_in(spans: dict, start: int | None, end: int | None) -> set[tuple[int, int]]:
    if start is None or end is None:
        return set()
    return {k for k, (a, b) in spans.items() if a < end and start < b}


def _entity_names(doc, spans: dict, tokens: set[tuple[int, int]]) -> set[str]:
    """Canonical names of the document's entities and resolved nominal mentions that the gold tokens overlap."""
    chars = [spans[t] for t in tokens if t in spans]
    return {m.canonical for m in [*doc.entities, *doc.nominals]
            if m.canonical and any(a < m.end and m.start < b for a, b in chars)}


def load(limit: int | None, half: str | None = None) -> list[dict]:
    files = sorted(DATA.glob("*.json"))
    if half is not None:  # even or odd index of the sorted files: develop on one half, check on the other
        files = files[half == "odd"::2]
    files = files[:limit] if limit else files
    docs = []
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        sents = [s["Tokens"] for s in sorted(data["Sentences"], key=lambda s: int(s["SentenceId"]))]
        date = re.search(r"\((\d{4}-\d{2}-\d{2})\)\.json$", path.name)
        docs.append({"name": path.name, "sentences": sents, "published": date.group(1) if date else None,
                     "gold": [a for a in data["Annotations"] if not a["IsNested"]]})
    return docs


def own_gold(path: Path, record: bool, show: int) -> int:
    from pressespiegel.analyse.entities import name_key
    from pressespiegel.config import Settings
    from pressespiegel.model import Document
    from pressespiegel.pipeline import analyze

    gold_docs = json.loads(path.read_text(encoding="utf-8"))["documents"]
    n_gold = n_pred = matched = joint = 0
    by_kind, found_kind = Counter(), Counter()
    shown = 0
    for g in gold_docs:
        source = ROOT / g["source"]
        if not source.is_file():
            print(f"skipped {g['source']}: not here", file=sys.stderr)
            continue
        doc = next((d for d in analyze([str(source)], Settings()) if isinstance(d, Document)), None)
        if doc is None:
            continue
        preds, golds = doc.quotes, g["quotes"]
        n_gold += len(golds)
        n_pred += len(preds)
        pairs = sorted(((min(q.end, x["end"]) - max(q.start, x["start"])) / max(1, x["end"] - x["start"]), gi, pi)
                       for gi, x in enumerate(golds) for pi, q in enumerate(preds)
                       if q.start < x["end"] and x["start"] < q.end)
        used_g, used_p, errors = set(), set(), []
        for cover, gi, pi in sorted(pairs, reverse=True):
            if cover < 0.5 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            x, q = golds[gi], preds[pi]
            matched += 1
            found_kind[x["kind"]] += 1
            span_ok = x["speaker_start"] is not None and q.speaker_start is not None and \
                q.speaker_start < x["speaker_end"] and x["speaker_start"] < q.speaker_end
            name_ok = (x["speaker"] is None and q.speaker is None) or (
                x["speaker"] is not None and q.speaker is not None and name_key(x["speaker"]) == name_key(q.speaker))
            joint += span_ok or name_ok
            if not (span_ok or name_ok):
                errors.append(f"  SPEAKER {q.text[:50]!r}: got {q.speaker!r}, gold {x['speaker']!r}")
        for gi, x in enumerate(golds):
            by_kind[x["kind"]] += 1
            if gi not in used_g:
                errors.append(f"  MISSED  {x['kind']}: {doc.text[x['start']:x['end']][:90]!r} ({x['speaker']})")
        for pi, q in enumerate(preds):
            if pi not in used_p:
                errors.append(f"  SPURIOUS {q.kind}: {q.text[:90]!r} ({q.speaker})")
        if errors and shown < show:
            shown += 1
            print(f"[{g['source']}]\n" + "\n".join(errors), file=sys.stderr)

    def prf(tp: int, pred: int, gold: int) -> dict:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    result = {"documents": len(gold_docs), "gold_quotes": n_gold, "predicted_quotes": n_pred,
              "message": prf(matched, n_pred, n_gold), "joint_message_speaker": prf(joint, n_pred, n_gold),
              "recall_by_kind": {k: round(found_kind[k] / by_kind[k], 4) for k in sorted(by_kind)},
              "speaker_accuracy_of_matched": round(joint / matched, 4) if matched else 0.0}
    report(result, record, f"Quotes on {name}", f"python benchmarks/quotes_eval.py --gold {name} --record",
           "Whole pipeline on the project's own blind quote gold; a quote matches when it covers >= 50 % of the gold "
           "message; speaker right when the mention overlaps or the canonical names meet.")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="append the result to BENCHMARKS.md")
    ap.add_argument("--limit", type=int, help="only the first N articles (sorted by file name)")
    ap.add_argument("--show-errors", type=int, default=0, metavar="N", help="print the errors of N articles")
    ap.add_argument("--half", choices=("even", "odd"), help="only the articles of even or odd index (sorted by file "
                    "name): develop rules on one half, check them on the other")
    ap.add_argument("--count-marks", action="store_true", help="count the quotation marks and other punctuation "
                    "tokens of a gold message when asking whether a prediction covers half of it (stricter)")
    ap.add_argument("--gold", type=Path, help="score on this gold file of the project instead of spkatt")
    args = ap.parse_args()
    if args.gold is not None:
        path = args.gold if args.gold.is_absolute() else ROOT / args.gold
        if not path.is_file():
            print(f"skipped: {path} does not exist", file=sys.stderr)
            return 0
        return own_gold(path, args.record, args.show_errors)
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent", file=sys.stderr)
        return 0
    from pressespiegel import analyse
    from pressespiegel.analyse import quotes as quotes_stage
    from pressespiegel.model import Document

    docs = load(args.limit, args.half)
    n_gold = n_pred = matched = joint = 0
    by_form, found_form = Counter(), Counter()
    speaker_ok = speaker_total = 0
    sourced = [0, 0]  # matched quotes whose gold names a source; of them with the speaker right
    same_entity = 0  # matched quotes whose speaker is right by mention, or names the entity the gold mention is
    tok_tp = tok_pred = tok_gold = 0
    shown = 0
    texts = [detokenize(d["sentences"]) for d in docs]
    analysed = analyse.annotate_all([Document(source=d["name"], content_hash=d["name"], kind="text", text=text,
                                              published=d["published"]) for d, (text, _) in zip(docs, texts)])
    for d, (text, spans), doc in zip(docs, texts, analysed):
        preds = [(tokens_in(spans, q.start, q.end), tokens_in(spans, q.speaker_start, q.speaker_end), q)
                 for q in doc.quotes]
        golds = [(positions(a["Message"]), positions(a["Source"]), a["Form"]) for a in d["gold"] if a["Message"]]
        n_gold += len(golds)
        n_pred += len(preds)
        pred_tokens = set().union(*(p[0] for p in preds)) if preds else set()
        gold_tokens = set().union(*(g[0] for g in golds)) if golds else set()
        tok_tp += len(pred_tokens & gold_tokens)
        tok_pred += len(pred_tokens)
        tok_gold += len(gold_tokens)
        # coverage over the gold message's words: its quotation marks and other punctuation tokens do not count
        # (the output contract keeps marks out of a quote, so „überzogen“ would otherwise be found at 1/3)
        gold_words = [g[0] if args.count_marks else ({t for t in g[0] if _is_word(d["sentences"][t[0]][t[1]])} or g[0])
                      for g in golds]
        pairs = sorted(((len(w & p[0]) / len(w), gi, pi) for gi, (g, w) in enumerate(zip(golds, gold_words))
                        for pi, p in enumerate(preds) if w & p[0]), reverse=True)
        used_g, used_p = set(), set()
        errors = []
        for cover, gi, pi in pairs:
            if cover < 0.5 or gi in used_g or pi in used_p:
                continue
            used_g.add(gi)
            used_p.add(pi)
            matched += 1
            found_form[golds[gi][2]] += 1
            g_src, p_src = golds[gi][1], preds[pi][1]
            ok = bool(g_src & p_src) or (not g_src and not p_src)
            joint += ok
            speaker_total += 1
            speaker_ok += ok
            sourced[0] += bool(g_src)
            sourced[1] += bool(g_src) and ok
            same_entity += ok or bool(g_src) and preds[pi][2].speaker in _entity_names(doc, spans, g_src)
            if not ok:
                q = preds[pi][2]
                got = text[q.speaker_start:q.speaker_end] if q.speaker_start is not None else None
                errors.append(f"  SPEAKER {q.kind} {q.text[:50]!r}: got {got!r} ({q.cue}), gold "
                              f"{' '.join(d['sentences'][s][t] for s, t in sorted(g_src))!r}")
        for gi, g in enumerate(golds):
            by_form[g[2]] += 1
            if gi not in used_g:
                words = " ".join(d["sentences"][s][t] for s, t in sorted(g[0]))
                errors.append(f"  MISSED  {g[2]}: {words[:100]!r}")
        for pi, p in enumerate(preds):
            if pi not in used_p:
                errors.append(f"  SPURIOUS {p[2].kind}: {p[2].text[:100]!r} ({p[2].speaker})")
        if errors and shown < args.show_errors:
            shown += 1
            print(f"[{d['name']}]", file=sys.stderr)
            print("\n".join(errors), file=sys.stderr)

    def prf(tp: int, pred: int, gold: int) -> dict:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return {"p": round(p, 4), "r": round(r, 4), "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}

    rates = []
    for _ in range(3):
        t0 = time.process_time()
        for doc in analysed:
            quotes_stage.extract(doc)
        rates.append(len(analysed) / (time.process_time() - t0))
    result = {
        "articles": len(docs), "gold_quotes": n_gold, "predicted_quotes": n_pred,
        "message": prf(matched, n_pred, n_gold),
        "joint_message_speaker": prf(joint, n_pred, n_gold),
        "message_tokens": prf(tok_tp, tok_pred, tok_gold),
        "recall_by_form": {f: round(found_form[f] / by_form[f], 4) for f in sorted(by_form)},
        "speaker_accuracy_of_matched": round(speaker_ok / speaker_total, 4) if speaker_total else 0.0,
        # the same over the matched quotes whose gold names a source (about 5 % name none; there only "no speaker"
        # counts as right)
        "speaker_accuracy_where_gold_names_a_source": round(sourced[1] / sourced[0], 4) if sourced[0] else 0.0,
        # right by mention, or the speaker's canonical name is that of an entity or a nominal mention (resolved to a
        # person) that the gold source mention overlaps: "sagte er" with the gold on "der Ministerpräsident" two
        # sentences before, both resolved to the same person
        "speaker_accuracy_same_entity": round(same_entity / speaker_total, 4) if speaker_total else 0.0,
        "quotes_stage_articles_per_s": round(statistics.median(rates), 1),
    }
    report(result, args.record, "Quotes on German Wikinews (spkatt-news-train)",
           "python benchmarks/quotes_eval.py --record",
           "GermEval 2023 speaker attribution, news track, training part (700 articles; evaluation only). "
           "Top-level annotations; a quote matches when it covers >= 50 % of the gold message tokens; joint = "
           "matched and speaker tokens overlap the gold source.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
