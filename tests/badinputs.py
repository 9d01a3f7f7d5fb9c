"""Build a folder of hostile and broken inputs next to good ones (used by the tests and the benchmark)."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

GOOD_TEXT = """Startseite | Politik
Gemeinderat Kleinhafen beschließt neuen Radweg

Kleinhafen (epd) – Der Gemeinderat von Kleinhafen hat am Dienstagabend einstimmig den Bau eines Radwegs entlang der Hafenstraße beschlossen. Die Arbeiten sollen im Frühjahr beginnen und rund 1,2 Millionen Euro kosten.
„Das ist ein guter Tag für alle, die hier täglich mit dem Rad unterwegs sind“, sagte Bürgermeisterin Birte Sönksen nach der Sitzung.
Foto: Weserblatt/Jan Hollmann
"""


def build(folder: Path, huge_mb: int = 40) -> dict[str, str]:
    """Write the inputs; returns {file name: "good" | "bad"} (a JSON Lines file with both is "mixed")."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1994)
    files: dict[str, str] = {}

    def put(name: str, data: bytes, kind: str) -> None:
        (folder / name).write_bytes(data)
        files[name] = kind

    put("good.txt", GOOD_TEXT.encode("utf-8"), "good")
    put("good-cp1252.txt", GOOD_TEXT.replace("Radweg", "Fußweg").encode("cp1252"), "good")
    put("good.txt.gz", gzip.compress(GOOD_TEXT.replace("Dienstagabend", "Mittwochabend").encode("utf-8")), "good")
    put("empty.txt", b"", "bad")
    put("blank.txt", b"  \n\n \t\n", "bad")
    put("binary.bin", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096)), "bad")
    put("random.html", bytes(rng.randrange(256) for _ in range(8192)), "bad")
    put("nul.txt", b"Ein Text\x00mit\x00NUL\x00Bytes\x00" * 50 + bytes(rng.randrange(256) for _ in range(200)), "bad")
    put("truncated.txt.gz", gzip.compress(GOOD_TEXT.encode("utf-8") * 20)[:150], "bad")
    good_line = {"id": "amd-ok-1", "title": "Gute Zeile", "published": "2026-11-17",
                 "text": "Halle (dpa) – Die Stadt Halle hat am Montag ein neues Schwimmbad eröffnet."}
    lines = [json.dumps(good_line, ensure_ascii=False), "{kaputt", "[1, 2, 3]", '{"title": "ohne Text"}',
             json.dumps({**good_line, "id": "amd-ok-2", "text": good_line["text"].replace("Montag", "Freitag")},
                        ensure_ascii=False)]
    put("mixed.jsonl", ("\n".join(lines) + "\n").encode("utf-8"), "mixed")
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">\n' for i in range(9))
            + ']>\n<rss version="2.0"><channel><title>Bombe</title><item><title>&j;</title>'
            + "<description>&j;</description></item></channel></rss>\n")
    put("bomb.rss", bomb.encode("utf-8"), "bad")
    depth = 200_000
    put("deep.html", b"<html><body>" + b"<div>" * depth + b"<p>Tief verschachtelt.</p>" + b"</div>" * depth
        + b"</body></html>", "bad")
    sentence = "Dies ist ein sehr langer Text, der nur aus Wiederholungen besteht und kein Artikel ist. "
    with open(folder / "huge.txt", "w", encoding="utf-8") as fh:
        block = sentence * 1000
        for _ in range(huge_mb * 1024 * 1024 // len(block.encode("utf-8")) + 1):
            fh.write(block + "\n")
    files["huge.txt"] = "bad"
    return files
