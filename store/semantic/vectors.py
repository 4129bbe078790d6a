"""Vectors in two compact forms, and the in-memory scan over every record's sign bits.

A unit vector of 384 floats is kept as its sign bits (48 bytes: a fast, coarse Hamming scan over
every record) and as int8 (384 bytes: exact enough to rescore the scan's shortlist). At 600,000
records the bits held in memory take 29 MB.
"""

from __future__ import annotations

import threading

import numpy as np

# Rows scanned at a time, so the scan's temporary arrays stay a few MB however large the store.
SCAN_CHUNK = 131_072


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

    Safe to share between threads: a refresh builds new arrays and swaps them in under a lock, and
    a scan works on the arrays it started with.
    """

    def __init__(self) -> None:
        self.rowids = np.zeros(0, dtype=np.int64)
        self.bits = np.zeros((0, 6), dtype=np.uint64)
        self.seq = 0
        self.lock = threading.Lock()

    def merge(self, rowids: np.ndarray, bits: np.ndarray, seq: int) -> None:
        """Add rows embedded since the last merge; a rowid seen again takes its new bits."""
        with self.lock:
            all_rowids = np.concatenate([self.rowids, rowids])
            all_bits = np.concatenate([self.bits, bits])
            order = np.argsort(all_rowids, kind="stable")
            all_rowids, all_bits = all_rowids[order], all_bits[order]
            last_of_each = np.append(all_rowids[1:] != all_rowids[:-1], True)
            self.rowids, self.bits, self.seq = all_rowids[last_of_each], all_bits[last_of_each], seq

    def clear(self) -> None:
        with self.lock:
            self.rowids = np.zeros(0, dtype=np.int64)
            self.bits = np.zeros((0, 6), dtype=np.uint64)
            self.seq = 0

    def shortlist(self, query_bits: np.ndarray, size: int) -> np.ndarray:
        """The rowids of the `size` rows nearest the query's bits in Hamming distance, any order."""
        rowids, bits = self.rowids, self.bits
        if len(rowids) <= size:
            return rowids
        distances = np.empty(len(rowids), dtype=np.uint16)
        for start in range(0, len(rowids), SCAN_CHUNK):
            chunk = np.bitwise_xor(bits[start : start + SCAN_CHUNK], query_bits)
            distances[start : start + len(chunk)] = np.bitwise_count(chunk).sum(axis=1, dtype=np.uint16)
        return rowids[np.argpartition(distances, size)[:size]]
