"""The bad-input run of issue 2, timed and measured: a folder of broken and hostile inputs next to good ones.

    python benchmarks/bad_input.py [--record]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, report

sys.path.insert(0, str(ROOT / "tests"))
from badinputs import build  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        files = build(folder)
        db = Path(tmp) / "bad.db"
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pressespiegel", "run", str(folder), "--db", str(db)],
                              capture_output=True, text=True)
        seconds = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {"inputs": len(files), "exit_code": proc.returncode, "seconds": round(seconds, 2),
              "peak_rss_mb": round(peak_mb, 1), "summary": proc.stderr.strip().splitlines()[-1],
              "traceback_shown": "Traceback" in proc.stderr}
    report(result, args.record, "Bad-input run (issue 2)", "python benchmarks/bad_input.py --record",
               "Empty, blank, binary, random-bytes .html, NUL bytes, truncated gzip, JSON Lines with 3 bad lines, "
               "RSS entity bomb, HTML nested 200,000 deep, a 40 MB text file; plus 3 good files and 2 good lines.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
