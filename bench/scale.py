"""Benchmark: a province's scale, the annual review, the compliance report (CSV, XLSX), the
dashboard and the alerts at growing numbers of officers, 20 ledger entries each.

    python bench/scale.py [--sizes 10000,100000,300000] [--entries-per-officer 20]

For each size it runs `bench/annual_review.py` (the dry run, the review and the audit,
each in a fresh process: wall time and the process's peak memory) and `bench/report.py`
(every report from a fresh server: seconds to the last byte and the server's peak
memory), each on a database of its own, and prints their lines as they come, under the
size, so the growth from one size to the next is visible.

Targets at 300,000 officers: annual review under 60 s and 1 GB, CSV report under 30 s,
dashboard under 1 s. Loading 6,000,000 entries takes minutes; the sizes can be narrowed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *arguments: str) -> None:
    """One benchmark script in its own process, its output passed through."""
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - this interpreter, our own scripts
        [sys.executable, str(HERE / script), *arguments],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.strip():
            print(f"    {line.strip()}", flush=True)
    if done.returncode != 0:
        sys.exit(f"{script} failed:\n{done.stderr[-2000:]}")
    print(f"    ({script}: {time.perf_counter() - started:.0f} s with loading)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--entries-per-officer", type=int, default=20)
    parser.add_argument("--formats", default="csv,xlsx,dashboard,alerts")
    args = parser.parse_args()
    for officers in (int(size) for size in args.sizes.split(",")):
        entries = officers * args.entries_per_officer
        print(f"\n{officers:,} officers, {entries:,} ledger entries:", flush=True)
        size = ["--officers", str(officers), "--entries", str(entries)]
        run("annual_review.py", *size)
        run("report.py", *size, "--formats", args.formats)


if __name__ == "__main__":
    main()
