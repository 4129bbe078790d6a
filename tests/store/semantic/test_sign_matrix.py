"""The sign-bit scan: the nearest rows in Hamming distance make the shortlist, and new bits replace old."""

import numpy as np

from store.semantic.vectors import SignMatrix, sign_bits


def random_unit(rows: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(rows, 384)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_the_shortlist_holds_the_rows_nearest_the_query():
    vectors = random_unit(2000, 1)
    matrix = SignMatrix()
    matrix.merge(np.arange(2000, dtype=np.int64) + 10, sign_bits(vectors), seq=1)
    query = vectors[1234] + np.random.default_rng(2).normal(0, 0.01, 384).astype(np.float32)
    shortlist = matrix.shortlist(sign_bits(query[None, :])[0], 50)
    assert len(shortlist) == 50 and 1234 + 10 in shortlist


def test_merging_bits_again_for_a_rowid_replaces_them():
    first, second = random_unit(300, 3), random_unit(1, 4)
    matrix = SignMatrix()
    matrix.merge(np.arange(300, dtype=np.int64), sign_bits(first), seq=1)
    matrix.merge(np.array([7], dtype=np.int64), sign_bits(second), seq=2)
    assert len(matrix.rowids) == 300 and matrix.seq == 2
    assert 7 in matrix.shortlist(sign_bits(second)[0], 5)
    assert 7 not in matrix.shortlist(sign_bits(first[7:8])[0], 5)
