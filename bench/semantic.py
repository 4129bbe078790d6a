"""Search by meaning at scale: the cost of SemanticIndex.nearest at 100,000 and 600,000 answers.

    python bench/semantic.py SOURCE [--store /tmp/pqbot-vectors-600k.db] [--records 600000] [--rounds 3]

SOURCE is a store whose answers are embedded (for instance eval/semantic.py's, kept with
--keep). Its real vectors are copied, each copy nudged to a new direction about 0.9 cosine from
its original (so copies crowd round real answers as new answers on old topics would), into
--store up to --records vectors; built once, in a child process so its memory is not counted,
and reused. Then this process runs the evaluation's queries through SemanticIndex.nearest and
reports, for each query, the time to embed it and the time to search (the sign-bit scan over
every vector, then exact int8 rescoring of the shortlist), the first search of a process (which
reads every vector's sign bits), peak memory, and how many of the exact top 10 the search found.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from store.db import QuestionStore
from store.semantic import SemanticIndex, shared_embedder
from store.semantic.vectors import cosine_int8, sign_bits, to_int8

EVAL_QUERIES = Path(__file__).parent.parent / "eval" / "queries.jsonl"
# Per-dimension noise that moves a 384-dimension unit vector to about 0.9 cosine from where it was.
NUDGE = 0.025
COPY_BATCH = 20_000
TARGET_SEARCH_MS, TARGET_PEAK_MB = 30, 300
# Exact search reads every vector from SQLite, so the share of the true top 10 found is measured on this many.
RECALL_QUERIES = 30


def build(source: Path, path: Path, records: int) -> None:
    """Copy SOURCE's vectors into a new store at path, nudged, until it holds `records`."""
    real = QuestionStore.open(source)
    rows = real.db.execute("SELECT vector FROM question_vectors").fetchall()
    model = real.db.execute("SELECT value FROM semantic_state WHERE key = 'model'").fetchone()[0]
    real.close()
    base = np.frombuffer(b"".join(row[0] for row in rows), dtype=np.int8).reshape(len(rows), -1).astype(np.float32)
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    store = QuestionStore.open(path)
    store.db.execute("INSERT OR REPLACE INTO semantic_state (key, value) VALUES ('model', ?)", [model])
    generator = np.random.default_rng(12)
    for start in range(0, records, COPY_BATCH):
        count = min(COPY_BATCH, records - start)
        numbers = np.arange(start, start + count)
        copies = (numbers >= len(base))[:, None]
        picked = base[numbers % len(base)]
        nudged = picked + copies * generator.normal(0, NUDGE, picked.shape)
        nudged = (nudged / np.linalg.norm(nudged, axis=1, keepdims=True)).astype(np.float32)
        bits, small = sign_bits(nudged), to_int8(nudged)
        with store.transaction():
            store.db.conn.executemany(
                "INSERT INTO question_vectors (question_rowid, seq, bits, vector) VALUES (?, 1, ?, ?)",
                ((start + i + 1, bits[i].tobytes(), small[i].tobytes()) for i in range(count)),
            )
    store.close()


def exact_top(store: QuestionStore, query: np.ndarray, k: int) -> set[int]:
    """The true k nearest by int8 cosine over every vector, read in chunks."""
    best: list[tuple[float, int]] = []
    cursor = store.db.execute("SELECT question_rowid, vector FROM question_vectors")
    while rows := cursor.fetchmany(50_000):
        stored = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.int8).reshape(len(rows), -1)
        scores = cosine_int8(query, stored)
        top = np.argpartition(-scores, k)[:k]
        best = sorted(best + [(float(scores[i]), rows[i][0]) for i in top], reverse=True)[:k]
    return {rowid for _, rowid in best}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="a store whose answers are embedded")
    parser.add_argument("--store", type=Path, default=Path("/tmp/pqbot-vectors-600k.db"))
    parser.add_argument("--records", type=int, default=600_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.source, args.store, args.records)
        return
    if not args.store.exists():
        subprocess.run(
            [
                sys.executable,
                __file__,
                str(args.source),
                "--store",
                str(args.store),
                "--records",
                str(args.records),
                "--build-only",
            ],
            check=True,
        )
    queries = [json.loads(line)["query"] for line in EVAL_QUERIES.read_text("utf-8").splitlines() if line.strip()]
    store = QuestionStore.open(args.store)
    index, embedder = SemanticIndex(store), shared_embedder()
    embed_ms = []
    for query in queries:
        started = time.perf_counter()
        embedder.embed_query(query)
        embed_ms.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    index.nearest(queries[0], 10)
    first_ms = (time.perf_counter() - started) * 1000
    search_ms = []
    for _ in range(args.rounds):
        for query in queries:
            started = time.perf_counter()
            index.nearest(query, 10)
            search_ms.append((time.perf_counter() - started) * 1000)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = [
        len({r for r, _ in index.nearest(q, 10)} & exact_top(store, embedder.embed_query(q), 10)) / 10
        for q in queries[:RECALL_QUERIES]
    ]
    count = store.db.execute("SELECT count(*) FROM question_vectors").fetchone()[0]
    p95 = statistics.quantiles(search_ms, n=20)[-1]
    print(f"{count:,} vectors, {len(queries)} queries x {args.rounds} rounds\n")
    print(
        "| vectors | embed query p50 (ms) | search p50 (ms) | search p95 | search max | first search | peak RSS "
        "| exact top-10 found |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {count:,} | {statistics.median(embed_ms):.1f} | {statistics.median(search_ms):.1f} | {p95:.1f} "
        f"| {max(search_ms):.1f} | {first_ms:,.0f} ms | {peak_mb:.0f} MB | {statistics.mean(found):.2f} |"
    )
    met = p95 <= TARGET_SEARCH_MS and peak_mb <= TARGET_PEAK_MB
    print(f"\ntarget: search p95 <= {TARGET_SEARCH_MS} ms, peak <= {TARGET_PEAK_MB} MB: {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
