"""Writing at scale: ingest speed, digest matching, and search while an ingest writes.

    python bench/scale.py ../shared/corpus [--store /tmp/pqbot-100k.db] [--new 20000] [--topics 200]

Works on a copy of a store built by bench/search.py (so the cached store is never changed), and
in that copy measures, in one run:

- ingest: `--new` real answers from CORPUS/api under fresh UINs, in files of 1,000, records/s,
  beside the same files ingested into an empty store (what the store's size costs);
- digest matching: `--topics` subscriptions, then 2,000 new answers ingested, the time spent
  owing them to the subscriptions (Subscriptions.queue, inside the ingest's transaction);
- search while writing: the mixed queries' p95 with no writer, then with a second thread
  ingesting at the same time, side by side.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from search import percentile

from store.db import QuestionStore, SaveCounts
from store.ingest import ingest_paths
from store.search import QueryError, SearchEngine
from store.subscriptions import Subscriptions

BENCH = Path(__file__).parent
FILE_SIZE = 1000
DIGEST_BATCH = 2000


def corpus_answers(corpus: Path) -> list[dict]:
    """Every answered question in CORPUS/api, in the API's own shape."""
    answers = []
    for path in sorted((corpus / "api").glob("*.json")):
        answers += [item["value"] for item in json.loads(path.read_text("utf-8"))["results"]]
    return answers


def write_new_files(answers: list[dict], count: int, folder: Path, tag: str) -> list[Path]:
    """`count` of these answers under UINs no store holds, in API-shaped files of FILE_SIZE."""
    folder.mkdir(parents=True)
    paths = []
    for start in range(0, count, FILE_SIZE):
        batch = []
        for number in range(start, min(start + FILE_SIZE, count)):
            answer = dict(answers[number % len(answers)])
            answer["uin"] = f"{tag}{number}"
            answer["id"] = None
            batch.append({"value": answer})
        path = folder / f"{tag}-{start}.json"
        path.write_text(json.dumps({"totalResults": len(batch), "results": batch}), "utf-8")
        paths.append(path)
    return paths


def timed_ingest(store: QuestionStore, files: list[Path]) -> tuple[SaveCounts, float]:
    """What ingesting these files stored, and at how many new records a second."""
    started = time.perf_counter()
    counts = ingest_paths(store, files).counts
    return counts, counts.new / (time.perf_counter() - started)


def topics(count: int) -> list[str]:
    """Campaigners' topics: the mixed bench queries, the evaluation's, then record-like headings."""
    found = [line for line in (BENCH / "queries.txt").read_text("utf-8").splitlines() if line.strip()]
    evaluation = BENCH.parent / "eval" / "queries.jsonl"
    found += [json.loads(line)["query"] for line in evaluation.read_text("utf-8").splitlines() if line.strip()]
    unique = list(dict.fromkeys(topic for topic in found if len(topic) < 80))
    return [unique[number % len(unique)] + ("" if number < len(unique) else f" {number}") for number in range(count)]


def search_times(engine: SearchEngine, queries: list[str], until: threading.Event | None, rounds: int) -> list[float]:
    """Milliseconds per query: `rounds` passes, or passes until `until` is set."""
    times = []
    passes = 0
    while (until is None and passes < rounds) or (until is not None and not until.is_set()):
        for query in queries:
            started = time.perf_counter()
            try:
                engine.search(query)
            except QueryError:
                pass
            times.append((time.perf_counter() - started) * 1000)
        passes += 1
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--store", type=Path, default=Path("/tmp/pqbot-100k.db"))
    parser.add_argument("--new", type=int, default=20_000)
    parser.add_argument("--topics", type=int, default=200)
    args = parser.parse_args()
    answers = corpus_answers(args.corpus)
    queries = [line for line in (BENCH / "queries.txt").read_text("utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        copy = work / "store.db"
        shutil.copyfile(args.store, copy)
        store = QuestionStore.open(copy)
        records = store.count()

        files = write_new_files(answers, args.new, work / "ingest", "bench")
        counts, ingest_rate = timed_ingest(store, files)
        _, empty_rate = timed_ingest(QuestionStore.open(work / "empty.db"), files)

        subscriptions = Subscriptions(store, SearchEngine(store))
        now = datetime.now(UTC)
        for number, topic in enumerate(topics(args.topics)):
            subscriptions.add(f"C{number:04d}", topic, "U1", now)
        queue_seconds = []
        owed = []

        def timed_queue(ids: list[str]) -> None:
            started = time.perf_counter()
            owed.append(subscriptions.queue(ids, now))
            queue_seconds.append(time.perf_counter() - started)

        ingest_paths(
            store,
            write_new_files(answers, DIGEST_BATCH, work / "digest", "digest"),
            on_saved=lambda counts: timed_queue(counts.new_ids),
        )

        engine = SearchEngine(QuestionStore.open(copy))
        idle = search_times(engine, queries, None, rounds=3)
        done = threading.Event()
        files = write_new_files(answers, args.new // 2, work / "during", "during")
        thread = threading.Thread(target=lambda: (ingest_paths(QuestionStore.open(copy), files), done.set()))
        thread.start()
        busy = search_times(engine, queries, done, rounds=0)
        thread.join()

    print(f"{records:,} records to start with\n")
    print("| measured | figure | target |")
    print("|---|---|---|")
    print(f"| ingest, {counts.new:,} new answers in files of {FILE_SIZE:,} | {ingest_rate:,.0f} records/s | ≥ 2,000 |")
    print(f"| the same into an empty store, beside it | {empty_rate:,.0f} records/s | |")
    print(
        f"| {args.topics} topics × {DIGEST_BATCH:,} new answers, matching ({sum(owed):,} owed) "
        f"| {sum(queue_seconds):.2f} s | ≤ 5 s |"
    )
    print(f"| search p95, idle ({len(idle)} searches) | {percentile(idle, 0.95):.0f} ms | |")
    print(
        f"| search p95 while an ingest writes ({len(busy)} searches) | {percentile(busy, 0.95):.0f} ms "
        f"({percentile(busy, 0.95) / percentile(idle, 0.95):.1f}× idle) | ≤ 2× idle |"
    )


if __name__ == "__main__":
    main()
