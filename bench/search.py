"""Search speed on a 100,000-record (or larger) store, beside a bare FTS5 BM25 query on the same store.

    python bench/search.py ../shared/corpus [--store /tmp/pqbot-100k.db] [--records 100000] [--rounds 5]
        [--queries mixed|eval]

Besides p50, p95 and max over the queries (bench/queries.txt by default), it reports the slowest of
a few hostile 4,000-character queries and the first query after a new answer is stored.

The store is the real corpus plus copies of it under new UINs and later dates, built once (in a
child process, so that its memory is not counted) and reused when --store already exists. Then,
in this process, every query in eval/queries.jsonl is run --rounds times through pqbot's engine
and as a bare FTS5 BM25 query of the same words, and p50 and p95 latencies are reported with
this process's peak memory.
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

from store.db import QuestionStore
from store.ingest import ingest_paths
from store.record import RECORD_FIELDS, Question
from store.search import QueryError, SearchEngine
from store.search.fts import phrase
from store.search.plan import STOP_WORDS
from store.search.query import parse_query
from store.seeding import ensure_seeded

EVAL_QUERIES = Path(__file__).parent.parent / "eval" / "queries.jsonl"
# Mixed campaigner queries: keywords, acronyms, typos, plain sentences, pasted questions, single
# common words, filters alone and members' names; a line each.
MIXED_QUERIES = Path(__file__).parent / "queries.txt"
# Queries Slack could send that no campaigner would: each must still finish within the bound.
HOSTILE_QUERIES = ["a " * 2000, " ".join(f"word{n}" for n in range(600)), "support " * 500, '" * : NEAR OR NOT ' * 200]
TARGET_P95_MS, TARGET_PEAK_MB, TARGET_RATIO = 50, 300, 3


def build(corpus: Path, path: Path, records: int) -> None:
    """The seeds and the corpus, then shifted copies (new UIN, dates a year on) up to `records`."""
    store = QuestionStore.open(path)
    ensure_seeded(store)
    ingest_paths(store, [corpus / "api", corpus / "wrans"])
    columns = ", ".join(RECORD_FIELDS)
    copy = 1
    while store.count() < records:
        shifted = {field: field for field in RECORD_FIELDS} | {
            "uin": f"uin || '-{copy}'",
            "date_asked": f"date(date_asked, '+{copy} years')",
            "date_answered": f"date(date_answered, '+{copy} years')",
            "id": f"date(date_asked, '+{copy} years') || '/' || uin || '-{copy}'",
            "url": "NULL",
        }
        with store.transaction():
            store.db.execute(
                f"INSERT INTO questions ({columns}, question_key, first_seen, updated_at) "
                f"SELECT {', '.join(shifted.values())}, question_key, first_seen, updated_at FROM questions "
                f"WHERE uin IS NOT NULL AND date_asked IS NOT NULL AND uin NOT LIKE '%-%' LIMIT ?",
                [records - store.count()],
            )
        copy += 1
    for index in ("questions_fts", "questions_words"):
        store.db.execute(f"INSERT INTO {index}({index}) VALUES ('optimize')")
    store.close()


def lend_vectors(path: Path, embedded: Path) -> int:
    """Give every record of the bench store the vector of the record with the same words in an
    embedded store of the corpus (`pqbot embed` over the evaluation's store): the copies share
    their originals' text, so this is what embedding them would give, in a minute, not hours."""
    store = QuestionStore.open(path)
    with store.transaction():
        store.db.execute("ATTACH DATABASE ? AS embedded", [str(embedded)])
        store.db.execute("DELETE FROM question_vectors")
        store.db.execute(
            "INSERT INTO question_vectors (question_rowid, seq, bits, vector) "
            "SELECT questions.rowid, 1, min(vectors.bits), min(vectors.vector) FROM questions "
            "JOIN embedded.questions AS original ON original.question_key = questions.question_key "
            "AND original.heading IS questions.heading "
            "JOIN embedded.question_vectors AS vectors ON vectors.question_rowid = original.rowid "
            "GROUP BY questions.rowid"
        )
        store.db.execute(
            "INSERT OR REPLACE INTO semantic_state (key, value) SELECT key, value FROM embedded.semantic_state"
        )
    store.db.execute("DETACH DATABASE embedded")
    (count,) = store.db.execute("SELECT count(*) FROM question_vectors").fetchone()
    store.close()
    return count


def bare_bm25(store: QuestionStore, query: str, operator: str) -> list:
    """A baseline: the query's words (stop words out), quoted and joined by AND (FTS5's default)
    or OR (classic BM25, which ranks every record holding any word), top 5 by FTS5's BM25."""
    words = [word for word in parse_query(query).words if word not in STOP_WORDS]
    if not words:
        return []
    expression = f" {operator} ".join(phrase((word,)) for word in words)
    return store.db.execute(
        "SELECT rowid FROM questions_fts WHERE questions_fts MATCH ? ORDER BY rank LIMIT 5", [expression]
    ).fetchall()


def timings(run, queries: list[str], rounds: int) -> list[float]:
    """Milliseconds per query, every query run `rounds` times."""
    results = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            run(query)
            results.append((time.perf_counter() - started) * 1000)
    return results


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--store", type=Path, default=Path("/tmp/pqbot-100k.db"))
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--queries",
        choices=["mixed", "eval"],
        default="mixed",
        help="bench/queries.txt (default) or the evaluation's queries",
    )
    parser.add_argument(
        "--vectors-from",
        type=Path,
        metavar="EMBEDDED_STORE",
        help="give the store's records the vectors of an embedded store of the corpus first",
    )
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.corpus, args.store, args.records)
        return
    if not args.store.exists():
        print(f"building {args.store} …", file=sys.stderr)
        subprocess.run(
            [
                sys.executable,
                __file__,
                str(args.corpus),
                "--store",
                str(args.store),
                "--records",
                str(args.records),
                "--build-only",
            ],
            check=True,
        )

    if args.vectors_from:
        print(f"{lend_vectors(args.store, args.vectors_from):,} records given vectors", file=sys.stderr)
    store = QuestionStore.open(args.store)
    engine = SearchEngine(store)
    if args.queries == "eval":
        queries = [json.loads(line)["query"] for line in EVAL_QUERIES.read_text("utf-8").splitlines() if line.strip()]
    else:
        queries = [line for line in MIXED_QUERIES.read_text("utf-8").splitlines() if line.strip()]

    words_alone = SearchEngine(store, by_meaning=False)

    def search(query: str, searching: SearchEngine = engine) -> None:
        try:
            searching.search(query)
        except QueryError:
            pass

    started = time.perf_counter()
    search("EHC timeliness")
    search("what is being done about waiting times")  # a sentence: reads the meaning index too
    first_ms = (time.perf_counter() - started) * 1000
    runs = {
        "pqbot engine": timings(search, queries, args.rounds),
        "pqbot engine, words alone": timings(lambda query: search(query, words_alone), queries, args.rounds),
        "bare FTS5 BM25, words ANDed": timings(lambda query: bare_bm25(store, query, "AND"), queries, args.rounds),
        "bare FTS5 BM25, words ORed": timings(lambda query: bare_bm25(store, query, "OR"), queries, args.rounds),
    }
    hostile_ms = max(timings(search, HOSTILE_QUERIES, 1))
    writer = QuestionStore.open(args.store)
    writer.save([Question(question=f"To ask about benchmarkword{time.time_ns()} in the store.")])
    writer.close()
    started = time.perf_counter()
    search("EHC timeliness benchmarkword")
    after_ingest_ms = (time.perf_counter() - started) * 1000
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours_p95 = percentile(runs["pqbot engine"], 0.95)

    print(
        f"{store.count():,} records, {len(queries)} queries × {args.rounds} rounds; "
        f"first queries of a process (read the typo vocabulary and the meaning index): {first_ms:.0f} ms; "
        "first query after a new answer: "
        f"{after_ingest_ms:.0f} ms; slowest hostile query (4,000 characters): {hostile_ms:.0f} ms; "
        f"peak RSS {peak_mb:.0f} MB\n"
    )
    print("| search | p50 (ms) | p95 (ms) | max (ms) | engine p95 ÷ this p95 |")
    print("|---|---|---|---|---|")
    for name, times in runs.items():
        p95 = percentile(times, 0.95)
        print(f"| {name} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.0f} | {ours_p95 / p95:.1f}× |")
    print(f"\ntargets: p95 ≤ {TARGET_P95_MS} ms, peak RSS ≤ {TARGET_PEAK_MB} MB, within {TARGET_RATIO}× of bare BM25")


if __name__ == "__main__":
    main()
