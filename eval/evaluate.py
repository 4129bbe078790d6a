"""Search quality: pqbot's engine beside two baselines, on a set of graded queries.

    python eval/evaluate.py ../shared/corpus [--queries FILE] [--db STORE] [--show-misses]

Three query sets live beside this script, one line of JSON per query (`query`, `relevant` record
ids, `kind`, `note`, and `second_reading`: records a second reader, reading the top answers the
engine gave that the first had not graded, found answer the query too, each with the reason):

- eval/queries.jsonl (the default): the set the engine is tuned on;
- eval/heldout.jsonl: a second set written apart from it, across many campaigns (benefits, NHS,
  social care, asylum, housing, schools, justice, energy, carers, SEND), never used for tuning
  the ranking, so that its figures say how the engine does on queries it has not seen;
- eval/confirm.jsonl: a third, written later by someone who had seen neither the engine nor the
  other sets, to check the confident flag once calibrated (eval/calibrate.py now calibrates the
  flag on all three).

Run another set with `--queries FILE`.

Builds a store of the bundled seeds plus CORPUS/api and CORPUS/wrans (or uses --db, a store
already holding them; embedding it for search by meaning takes `pqbot embed`, about ten minutes
here, so pass --db a store you have embedded), runs every query through five searches in this one
process, and prints Recall@1, Recall@3 and MRR for each, overall and by kind of query, with the
median and 95th percentile time per query and the process's peak memory:

- engine: pqbot's search, words and meaning together (synonyms, typo correction, filters, re-ranking,
  and for sentences closeness in meaning);
- words alone: the same engine with meaning switched off;
- meaning alone: the records nearest the query in meaning (MiniLM vectors), nothing else;
- fts5 bm25: the raw query handed to SQLite FTS5, ranked by plain BM25;
- rapidfuzz wratio: the raw query against every heading + question, ranked by WRatio.

A query with relevant records scores by the rank of the first of them. A query with no answer
in the store ("no_answer") counts as right at every rank when the search says it has no
confident match (baselines, having no such notion, only when they return nothing).

Then, for the engine, how far its confident flag can be trusted: the share of right top answers
it marks confident (higher is better), the share of wrong top answers to answerable queries it
marks confident (lower is better), and the share of no-answer queries it flags as having no
confident match (higher is better).
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process
from rapidfuzz.utils import default_process

from store.db import QuestionStore
from store.ingest import ingest_paths
from store.search import QueryError, SearchEngine
from store.search.lookups import RecordLookups
from store.seeding import ensure_seeded
from store.semantic import SemanticIndex

QUERIES = Path(__file__).parent / "queries.jsonl"
DEPTH = 10
# The searches with a notion of "no confident match", whose flag is measured.
FLAGGING = ("engine", "words alone")

# A search: query text in; ranked record ids and whether it claims a confident match, out.
Search = Callable[[str], tuple[list[str], bool]]


@dataclass(frozen=True)
class Outcome:
    """What one search made of one query."""

    rank: int | None  # of the first relevant record (see rank_of_first_relevant)
    answerable: bool  # the query has relevant records
    top_relevant: bool  # the first record returned is a relevant one
    returned: bool  # the search returned any record
    confident: bool


def engine_search(store: QuestionStore, by_meaning: bool = True) -> Search:
    engine = SearchEngine(store, by_meaning=by_meaning)

    def search(query: str) -> tuple[list[str], bool]:
        try:
            result = engine.search(query, limit=DEPTH)
        except QueryError:
            return [], False
        return [hit.record["id"] for hit in result.hits], result.confident

    return search


def meaning_search(store: QuestionStore) -> Search:
    """The records nearest the query in meaning alone; it has no notion of no match."""
    index, lookups = SemanticIndex(store), RecordLookups(store)

    def search(query: str) -> tuple[list[str], bool]:
        rowids = [rowid for rowid, _ in index.nearest(query, DEPTH)]
        ids = {rowid: record_id for record_id, rowid in lookups.ids_of(rowids).items()}
        return [ids[rowid] for rowid in rowids if rowid in ids], bool(rowids)

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


def evaluate(
    searches: dict[str, Search], queries: list[dict], show_misses: bool, times: dict[str, list[float]] | None = None
) -> dict[str, dict[str, list[Outcome]]]:
    """Outcomes per search, per query kind (and "all"); each query's milliseconds kept in times."""
    outcomes: dict[str, dict[str, list[Outcome]]] = {name: defaultdict(list) for name in searches}
    for item in queries:
        relevant = set(item["relevant"])
        for name, search in searches.items():
            started = time.perf_counter()
            ids, confident = search(item["query"])
            if times is not None:
                times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
            rank = rank_of_first_relevant(ids, confident, relevant)
            outcome = Outcome(rank, bool(relevant), bool(ids) and ids[0] in relevant, bool(ids), confident)
            outcomes[name][item["kind"]].append(outcome)
            outcomes[name]["all"].append(outcome)
            if show_misses and name == "engine" and (rank is None or rank > 1):
                print(f"  miss ({rank}): [{item['kind']}] {item['query']!r} got {ids[:3]} want {sorted(relevant)[:3]}")
    return outcomes


def metrics(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """Recall@1, Recall@3 and MRR."""
    ranks = [outcome.rank for outcome in outcomes]
    count = len(ranks)
    return (
        sum(rank == 1 for rank in ranks) / count,
        sum(rank is not None and rank <= 3 for rank in ranks) / count,
        sum(1 / rank for rank in ranks if rank) / count,
    )


def share(part: int, whole: int) -> str:
    """A share as a fraction with its counts, e.g. "0.66 (58/88)"."""
    return f"{part / whole:.2f} ({part}/{whole})" if whole else "n/a (0/0)"


def confidence_shares(outcomes: list[Outcome]) -> dict[str, str]:
    """How often the confident flag is set on right and wrong top answers, and held back for no-answer queries."""
    answered = [outcome for outcome in outcomes if outcome.answerable and outcome.returned]
    right = [outcome for outcome in answered if outcome.top_relevant]
    wrong = [outcome for outcome in answered if not outcome.top_relevant]
    no_answer = [outcome for outcome in outcomes if not outcome.answerable]
    return {
        "right top answers marked confident": share(sum(o.confident for o in right), len(right)),
        "wrong top answers marked confident": share(sum(o.confident for o in wrong), len(wrong)),
        "no-answer queries flagged (not confident)": share(sum(not o.confident for o in no_answer), len(no_answer)),
    }


def print_tables(outcomes: dict[str, dict[str, list[Outcome]]], times: dict[str, list[float]]) -> None:
    print("| search | Recall@1 | Recall@3 | MRR | median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for name, by_kind in outcomes.items():
        spent = times[name]
        p95 = statistics.quantiles(spent, n=20)[-1] if len(spent) > 1 else spent[0]
        print(
            "| {} | {:.2f} | {:.2f} | {:.2f} | {:.1f} | {:.1f} |".format(
                name, *metrics(by_kind["all"]), statistics.median(spent), p95
            )
        )
    kinds = sorted(kind for kind in outcomes["engine"] if kind != "all")
    print("\nRecall@3 by kind of query\n")
    print("| kind | queries | " + " | ".join(outcomes) + " |")
    print("|---|---|" + "---|" * len(outcomes))
    for kind in kinds:
        cells = " | ".join(f"{metrics(by_kind[kind])[1]:.2f}" for by_kind in outcomes.values())
        print(f"| {kind} | {len(outcomes['engine'][kind])} | {cells} |")
    print("\nThe confident flag\n")
    flagged = [name for name in FLAGGING if name in outcomes]
    print("| | " + " | ".join(flagged) + " |")
    print("|---|" + "---|" * len(flagged))
    shares = [confidence_shares(outcomes[name]["all"]) for name in flagged]
    for label in shares[0]:
        print(f"| {label} | " + " | ".join(share[label] for share in shares) + " |")


def read_queries(path: Path) -> list[dict]:
    """The graded queries in a JSON-lines file, with a clear error for a line that is not one."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as error:
        raise SystemExit(f"cannot read the queries: {error}") from error
    queries = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as error:
            raise SystemExit(f"{path}:{number}: not JSON ({error})") from error
        if not (
            isinstance(item, dict)
            and isinstance(item.get("query"), str)
            and isinstance(item.get("kind"), str)
            and isinstance(item.get("relevant"), list)
        ):
            raise SystemExit(
                f'{path}:{number}: want {{"query": "...", "relevant": [ids], "kind": "...", "note": "..."}}'
            )
        item["relevant"] = item["relevant"] + list(item.get("second_reading", {}))
        queries.append(item)
    return queries


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
    parser.add_argument(
        "--queries", type=Path, default=QUERIES, help="graded queries, one JSON line each (default: %(default)s)"
    )
    parser.add_argument("--db", type=Path, help="a store already holding the seeds and the corpus")
    parser.add_argument("--show-misses", action="store_true", help="list the engine's queries not answered first")
    args = parser.parse_args()
    queries = read_queries(args.queries)
    with tempfile.TemporaryDirectory() as folder:
        store = QuestionStore.open(args.db) if args.db else build_store(args.corpus, Path(folder))
        searches = {
            "engine": engine_search(store),
            "words alone": engine_search(store, by_meaning=False),
            "meaning alone": meaning_search(store),
            "fts5 bm25": bm25_search(store),
            "rapidfuzz wratio": wratio_search(store),
        }
        embedded = SemanticIndex(store).embedded_count()
        print(
            f"{len(queries)} queries from {args.queries.name} over {store.count():,} records ({embedded:,} embedded)\n"
        )
        times: dict[str, list[float]] = {}
        outcomes = evaluate(searches, queries, args.show_misses, times)
        print_tables(outcomes, times)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak RSS of this process (every search's data loaded): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
