"""Search quality: pqbot's engine beside two baselines, on the queries in eval/queries.jsonl.

    python eval/evaluate.py ../shared/corpus [--db STORE] [--show-misses]

Builds a store of the bundled seeds plus CORPUS/api and CORPUS/wrans (or uses --db, a store
already holding them), runs every query through three searches in this one process, and prints
Recall@1, Recall@3 and MRR for each:

- engine: pqbot's search (synonyms, typo correction, filters, re-ranking);
- fts5 bm25: the raw query handed to SQLite FTS5, ranked by plain BM25;
- rapidfuzz wratio: the raw query against every heading + question, ranked by WRatio.

A query with relevant records scores by the rank of the first of them. A query with no answer
in the store ("no_answer") counts as right at every rank when the search says it has no
confident match (baselines, having no such notion, only when they return nothing).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from store.db import QuestionStore
from store.ingest import ingest_paths
from store.search import QueryError, SearchEngine
from store.seeding import ensure_seeded

QUERIES = Path(__file__).parent / "queries.jsonl"
DEPTH = 10

# A search: query text in; ranked record ids and whether it claims a confident match, out.
Search = Callable[[str], tuple[list[str], bool]]


def engine_search(store: QuestionStore) -> Search:
    engine = SearchEngine(store)

    def search(query: str) -> tuple[list[str], bool]:
        try:
            result = engine.search(query, limit=DEPTH)
        except QueryError:
            return [], False
        return [hit.record["id"] for hit in result.hits], result.confident

    return search


def bm25_search(store: QuestionStore) -> Search:
    def search(query: str) -> tuple[list[str], bool]:
        try:
            rows = store.db.execute(
                "SELECT questions.id FROM questions_fts JOIN questions ON questions.rowid = questions_fts.rowid "
                "WHERE questions_fts MATCH ? ORDER BY bm25(questions_fts) LIMIT ?",
                [query, DEPTH],
            ).fetchall()
        except sqlite3.OperationalError:  # FTS5 syntax it cannot parse: a miss, as a user would see it
            return [], True
        return [row[0] for row in rows], bool(rows)

    return search


def wratio_search(store: QuestionStore) -> Search:
    choices = {
        record_id: default_process(f"{heading or ''} {question}")
        for record_id, heading, question in store.db.execute("SELECT id, heading, question FROM questions")
    }

    def search(query: str) -> tuple[list[str], bool]:
        matches = process.extract(default_process(query), choices, scorer=fuzz.WRatio, processor=None, limit=DEPTH)
        return [key for _, _, key in matches], bool(matches)

    return search


def rank_of_first_relevant(ids: list[str], confident: bool, relevant: set[str]) -> int | None:
    """1-based rank of the first relevant id; for a no-answer query, 1 when the search holds back."""
    if not relevant:
        return 1 if not confident or not ids else None
    return next((rank for rank, record_id in enumerate(ids, 1) if record_id in relevant), None)


def evaluate(searches: dict[str, Search], queries: list[dict], show_misses: bool) -> dict[str, dict[str, list]]:
    """Ranks per search, per query kind (and "all")."""
    ranks: dict[str, dict[str, list]] = {name: defaultdict(list) for name in searches}
    for item in queries:
        relevant = set(item["relevant"])
        for name, search in searches.items():
            ids, confident = search(item["query"])
            rank = rank_of_first_relevant(ids, confident, relevant)
            ranks[name][item["kind"]].append(rank)
            ranks[name]["all"].append(rank)
            if show_misses and name == "engine" and (rank is None or rank > 1):
                print(f"  miss ({rank}): [{item['kind']}] {item['query']!r} got {ids[:3]} want {sorted(relevant)[:3]}")
    return ranks


def metrics(ranks: list[int | None]) -> tuple[float, float, float]:
    """Recall@1, Recall@3 and MRR."""
    count = len(ranks)
    return (
        sum(rank == 1 for rank in ranks) / count,
        sum(rank is not None and rank <= 3 for rank in ranks) / count,
        sum(1 / rank for rank in ranks if rank) / count,
    )


def print_tables(ranks: dict[str, dict[str, list]]) -> None:
    print("| search | Recall@1 | Recall@3 | MRR |")
    print("|---|---|---|---|")
    for name, by_kind in ranks.items():
        print("| {} | {:.2f} | {:.2f} | {:.2f} |".format(name, *metrics(by_kind["all"])))
    kinds = sorted(kind for kind in ranks["engine"] if kind != "all")
    print("\nRecall@3 by kind of query\n")
    print("| kind | queries | " + " | ".join(ranks) + " |")
    print("|---|---|" + "---|" * len(ranks))
    for kind in kinds:
        cells = " | ".join(f"{metrics(by_kind[kind])[1]:.2f}" for by_kind in ranks.values())
        print(f"| {kind} | {len(ranks['engine'][kind])} | {cells} |")


def build_store(corpus: Path, folder: Path) -> QuestionStore:
    store = QuestionStore.open(folder / "eval.db")
    ensure_seeded(store)
    report = ingest_paths(store, [corpus / "api", corpus / "wrans"])
    if report.failures:
        raise SystemExit(f"could not ingest: {report.failures}")
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder, holding api/ and wrans/")
    parser.add_argument("--db", type=Path, help="a store already holding the seeds and the corpus")
    parser.add_argument("--show-misses", action="store_true", help="list the engine's queries not answered first")
    args = parser.parse_args()
    queries = [json.loads(line) for line in QUERIES.read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        store = QuestionStore.open(args.db) if args.db else build_store(args.corpus, Path(folder))
        searches = {
            "engine": engine_search(store),
            "fts5 bm25": bm25_search(store),
            "rapidfuzz wratio": wratio_search(store),
        }
        print(f"{len(queries)} queries over {store.count():,} records\n")
        print_tables(evaluate(searches, queries, args.show_misses))


if __name__ == "__main__":
    main()
