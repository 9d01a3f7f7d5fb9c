"""Shared helpers of the benchmark scripts: where things are, and appending a result to BENCHMARKS.md."""

from __future__ import annotations

import json
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLD = ROOT / "tests" / "gold" / "examples"
SHARED = ROOT.parent / "shared"


def report(result: dict, save: bool, name: str, command: str, notes: str = "") -> None:
    """Print the result as JSON; with ``save``, also append it to BENCHMARKS.md with the command behind it."""
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if save:
        record(name, command, result, notes)


def record(name: str, command: str, result: dict, notes: str = "") -> None:
    """Append a result to BENCHMARKS.md with the command that produced it."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip()
    except OSError:
        commit = "?"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"\n### {name} — {stamp} (commit {commit}, {platform.python_version()}, {platform.machine()})\n",
             f"`{command}`\n"]
    if notes:
        lines.append(f"\n{notes}\n")
    lines.append("\n```json\n" + json.dumps(result, ensure_ascii=False, indent=1) + "\n```\n")
    with open(ROOT / "BENCHMARKS.md", "a", encoding="utf-8") as fh:
        fh.writelines(lines)


def load_examples():
    """Every document of the example corpus, analysed, with its gold annotation (same order)."""
    from pressespiegel.config import Settings
    from pressespiegel.model import Document
    from pressespiegel.pipeline import analyze

    docs, golds = [], []
    for path in sorted(EXAMPLES.iterdir()):
        items = [d for d in analyze([str(path)], Settings()) if isinstance(d, Document)]
        container = len(items) > 1 or path.suffix in (".rss", ".jsonl")
        for n, doc in enumerate(items, 1):
            key = f"{path.stem}__{n}" if container else path.stem
            docs.append(doc)
            golds.append(json.loads((GOLD / f"{key}.json").read_text(encoding="utf-8")))
    return docs, golds


GNAD = SHARED / "data" / "10kgnad" / "articles.csv"


def gnad_texts(n: int | None = None) -> list[str]:
    """The article texts of 10kGNAD (one per line, `label;'text'`), the first n of them."""
    import csv

    with open(GNAD, encoding="utf-8") as fh:
        texts = [row[1].strip("'") for row in csv.reader(fh, delimiter=";", quotechar="\x07") if len(row) > 1]
    return texts[:n] if n else texts
