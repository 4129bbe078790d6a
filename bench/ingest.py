"""Ingest speed: the real corpus through the `pqbot ingest` command, start-up included.

    python bench/ingest.py ../shared/corpus [--runs 3]

Each run ingests CORPUS/api and CORPUS/wrans into a new, empty store and prints records per
second; the best and the median run are reported, with the peak memory of the command.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_RECORDS_PER_SECOND = 2000


def one_run(corpus: Path) -> tuple[int, float]:
    """(records stored, seconds) for one `pqbot ingest` into a fresh store."""
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"PQBOT_DB": str(Path(folder) / "bench.db")}
        started = time.perf_counter()
        result = subprocess.run(
            ["pqbot", "ingest", str(corpus / "api"), str(corpus / "wrans")],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - started
    new = int(re.search(r"(\d+) new", result.stdout)[1])
    return new, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder, holding api/ and wrans/")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rates = []
    for run in range(1, args.runs + 1):
        records, seconds = one_run(args.corpus)
        rates.append(records / seconds)
        print(f"run {run}: {records} records in {seconds:.2f} s = {records / seconds:,.0f} records/s")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print("\n| records | best (records/s) | median (records/s) | peak RSS | target |")
    print("|---|---|---|---|---|")
    print(
        f"| {records:,} | {max(rates):,.0f} | {statistics.median(rates):,.0f} | {peak_mb:.0f} MB "
        f"| ≥ {TARGET_RECORDS_PER_SECOND:,} |"
    )
    sys.exit(0 if statistics.median(rates) >= TARGET_RECORDS_PER_SECOND else 1)


if __name__ == "__main__":
    main()
