"""Vectors in two compact forms, and the in-memory scan over every record's sign bits.

A unit vector of 384 floats is kept as its sign bits (48 bytes: a fast, coarse Hamming scan over
every record) and as int8 (384 bytes: exact enough to rescore the scan's shortlist). At 600,000
records the bits held in memory take 29 MB.
"""

from __future__ import annotations

import threading

import numpy as np


def sign_bits(vectors: np.ndarray) -> np.ndarray:
    """Each row's signs packed into uint64 words (384 dimensions: 6 words)."""
    return np.packbits(vectors > 0, axis=1).view(np.uint64)


def to_int8(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled so its largest component is ±127, then rounded: cosine survives to ~0.999."""
    peak = np.abs(vectors).max(axis=1, keepdims=True)
    return np.round(vectors / np.maximum(peak, 1e-12) * 127).astype(np.int8)


def cosine_int8(query: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Cosine similarity of a unit float query to each int8 row."""
    rows = stored.astype(np.float32)
    return rows @ query / np.maximum(np.linalg.norm(rows, axis=1), 1e-12)


class SignMatrix:
    """Every embedded record's rowid and sign bits, sorted by rowid, refreshed from what is new.

    The bits are held a word per row (6 rows of n words), so the scan reads each word of every
    record in one contiguous pass: twice as fast as a record per row. Safe to share between
    threads: a merge builds new arrays and swaps them in under a lock, and a scan works on the
    arrays it started with.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.clear()

    def merge(self, rowids: np.ndarray, bits: np.ndarray, seq: int) -> None:
        """Add rows embedded since the last merge (bits a record per row); a rowid seen again takes its new bits."""
        with self.lock:
            all_rowids = np.concatenate([self.rowids, rowids])
            all_words = np.concatenate([self.words, bits.T], axis=1) if len(self.rowids) else bits.T
            order = np.argsort(all_rowids, kind="stable")
            all_rowids = all_rowids[order]
            last_of_each = np.append(all_rowids[1:] != all_rowids[:-1], True)
            kept = order[last_of_each]
            self.rowids, self.words, self.seq = all_rowids[last_of_each], np.ascontiguousarray(all_words[:, kept]), seq

    def clear(self) -> None:
        with self.lock:
            self.rowids, self.words, self.seq = np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.uint64), 0

    def shortlist(self, query_bits: np.ndarray, size: int) -> np.ndarray:
        """The rowids of the `size` rows nearest the query's bits in Hamming distance, any order."""
        with self.lock:
            rowids, words = self.rowids, self.words
        if len(rowids) <= size:
            return rowids
        distances = np.zeros(len(rowids), dtype=np.uint16)
        differing = np.empty(len(rowids), dtype=np.uint64)
        counts = np.empty(len(rowids), dtype=np.uint8)
        for word, query_word in zip(words, query_bits, strict=True):
            np.bitwise_xor(word, query_word, out=differing)
            np.bitwise_count(differing, out=counts)
            distances += counts
        return rowids[np.argpartition(distances, size)[:size]]
