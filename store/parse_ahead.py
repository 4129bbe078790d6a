"""Parsing the next files in another process while this one stores the last, for big batches.

Parsing (HTML to text above all) and storing (SQLite and its full-text index) each take about
half of an ingest; done side by side on two cores, a batch goes at the speed of the slower.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from store.parsing import parse_document
from store.record import Question

# A batch smaller than this is parsed in this process: starting a worker costs more than it saves.
PARSE_AHEAD_FROM_BYTES = 4 * 1024 * 1024
# Worker processes at most; one core is left to store what they parse.
MOST_WORKERS = 4
# Workers yield the cores to everything else on the machine (a server answering /pq above all).
WORKER_NICENESS = 10


class Parse(Protocol):
    """Starts parsing one file's bytes; the future holds its questions, or the ParseError."""

    def __call__(self, data: bytes, source_file: str) -> Future[list[Question]]: ...


def parse_here(data: bytes, source_file: str) -> Future[list[Question]]:
    """Parses in this process, at once: the future is already done."""
    future: Future[list[Question]] = Future()
    try:
        future.set_result(parse_document(data, source_file))
    except Exception as error:
        future.set_exception(error)
    return future


def batch_bytes(files: list[Path]) -> int:
    """How many bytes these files hold, as far as they can be looked at; the rest count as none."""
    total = 0
    for path in files:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total


@contextmanager
def parser_for(files: list[Path], parse_ahead_from: int = PARSE_AHEAD_FROM_BYTES) -> Iterator[tuple[Parse, int]]:
    """How to parse this batch, and how many files to read ahead of the one being stored.

    Worker processes are spawned, not forked, so a process running threads (a server, a bench
    searching while it writes) starts them safely; they run at a lower priority than anything
    else, and are stopped when the batch is done.
    """
    workers = min(MOST_WORKERS, max(1, (os.cpu_count() or 1) - 1))
    if len(files) < 2 or batch_bytes(files) < parse_ahead_from:
        yield parse_here, 0
        return
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=spawn, initializer=os.nice, initargs=(WORKER_NICENESS,)) as pool:

        def parse_ahead(data: bytes, source_file: str) -> Future[list[Question]]:
            """In a worker; here if the pool has broken (a worker killed), so the batch goes on."""
            try:
                return pool.submit(parse_document, data, source_file)
            except BrokenProcessPool:
                return parse_here(data, source_file)

        yield parse_ahead, workers + 1
