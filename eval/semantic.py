"""Search by meaning alone, on the queries in eval/queries.jsonl: recall, speed and the runtimes compared.

    python eval/semantic.py ../shared/corpus [--keep FOLDER] [--model2vec DIR]

Builds the evaluation's store (with --keep, in FOLDER/eval.db, reused with its vectors by the next
run: embedding is resumable), embeds every record with pqbot's SemanticIndex (shipped int8 MiniLM, onnxruntime),
then runs each query through SemanticIndex.nearest and prints Recall@1, Recall@3 and MRR by kind
of query, embedding speed and query times. With --model2vec, a model2vec model (a folder, for
instance one distilled from MiniLM) is measured beside it by exact search over its vectors.

Search by meaning alone has no notion of "no confident match", so no_answer queries count as misses.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from evaluate import DEPTH, QUERIES, build_store, metrics, rank_of_first_relevant
from tqdm import tqdm

from store.db import QuestionStore
from store.semantic import SemanticIndex, record_text
from store.semantic.index import ANSWER_CHARS


def embed_all(index: SemanticIndex) -> float | None:
    """Embed what is pending, with a progress bar; documents per second, or None if nothing was."""
    pending = index.pending_count()
    if not pending:
        return None
    started = time.perf_counter()
    with tqdm(total=pending, unit="answer", desc="embedding") as bar:
        index.embed_pending(batch=64, progress=bar.update)
    return pending / (time.perf_counter() - started)


def minilm_search(store: QuestionStore, index: SemanticIndex, queries: list[dict]) -> tuple[dict, list[float]]:
    """Ranks by kind, and each query's milliseconds, for the shipped model through the index."""
    ids = dict(store.db.execute("SELECT rowid, id FROM questions"))
    index.nearest("warm up", 1)
    ranks, times = defaultdict(list), []
    for item in queries:
        started = time.perf_counter()
        hits = index.nearest(item["query"], DEPTH)
        times.append((time.perf_counter() - started) * 1000)
        _note(ranks, item, [ids[rowid] for rowid, _ in hits])
    return ranks, times


def model2vec_search(store: QuestionStore, folder: Path, queries: list[dict]) -> tuple[dict, list[float], float]:
    """Ranks by kind, query milliseconds and documents per second for a model2vec model, exact search."""
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(folder))
    rows = store.db.execute(
        "SELECT id, heading, question, substr(answer, 1, ?) FROM questions", [ANSWER_CHARS]
    ).fetchall()
    started = time.perf_counter()
    vectors = model.encode([record_text(*row[1:]) for row in rows])
    docs_per_second = len(rows) / (time.perf_counter() - started)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    ranks, times = defaultdict(list), []
    for item in queries:
        started = time.perf_counter()
        query = model.encode([item["query"]])[0]
        best = np.argsort(-(vectors @ query))[:DEPTH]
        times.append((time.perf_counter() - started) * 1000)
        _note(ranks, item, [rows[i][0] for i in best])
    return ranks, times, docs_per_second


def _note(ranks: dict, item: dict, ids: list[str]) -> None:
    rank = rank_of_first_relevant(ids, True, set(item["relevant"]))
    ranks[item["kind"]].append(rank)
    ranks["all"].append(rank)
    if item["relevant"]:
        ranks["answerable"].append(rank)


def print_table(results: dict[str, tuple[dict, list[float], float | None]]) -> None:
    print("| search | Recall@1 | Recall@3 | MRR | answerable R@3 | paraphrase R@3 | docs/s | query p50 (ms) | p95 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, (ranks, times, speed) in results.items():
        r1, r3, mrr = metrics(ranks["all"])
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"| {name} | {r1:.2f} | {r3:.2f} | {mrr:.2f} | {metrics(ranks['answerable'])[1]:.2f} "
            f"| {metrics(ranks['paraphrase'])[1]:.2f} | {speed or 0:,.0f} "
            f"| {statistics.median(times):.1f} | {p95:.1f} |"
        )
    print("\nRecall@3 by kind of query\n")
    kinds = sorted(kind for kind in next(iter(results.values()))[0] if kind not in ("all", "answerable"))
    print("| kind | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for kind in kinds:
        print(f"| {kind} | " + " | ".join(f"{metrics(r[kind])[1]:.2f}" for r, _, _ in results.values()) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path, help="the corpus folder, holding api/ and wrans/")
    parser.add_argument("--keep", type=Path, help="keep the store and its vectors in this folder, for the next run")
    parser.add_argument("--model2vec", type=Path, help="a model2vec model folder to measure beside MiniLM")
    args = parser.parse_args()
    queries = [json.loads(line) for line in QUERIES.read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        kept = args.keep / "eval.db" if args.keep else None
        if kept and kept.exists():
            store = QuestionStore.open(kept)
        else:
            store = build_store(args.corpus, args.keep or Path(folder))
        index = SemanticIndex(store)
        speed = embed_all(index)
        results = {"minilm int8 (onnxruntime), index": (*minilm_search(store, index, queries), speed)}
        if args.model2vec:
            ranks, times, m2v_speed = model2vec_search(store, args.model2vec, queries)
            results[f"model2vec {args.model2vec.name}, exact"] = (ranks, times, m2v_speed)
        print(f"\n{len(queries)} queries over {store.count():,} records\n")
        print_table(results)


if __name__ == "__main__":
    main()
