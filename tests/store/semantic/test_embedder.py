"""The shipped model run by onnxruntime: deterministic unit vectors that put like meanings together."""

import numpy as np

from store.semantic import shared_embedder
from store.semantic.embedder import DIMENSIONS

FIT_NOTE = (
    "Fit Notes. To ask the Secretary of State for Work and Pensions, how many fit notes were issued by GPs "
    "last year. Over 11 million fit notes were issued in England, most of them saying the patient was not fit for work."
)
FISHING = (
    "Fisheries: North Sea. To ask the Secretary of State for Environment, Food and Rural Affairs, what the cod "
    "quota for fishing vessels in the North Sea is. The UK's share of the total allowable catch was agreed with Norway."
)


def test_vectors_are_unit_length_and_the_same_every_time():
    """The same text gives the same vector whatever else is embedded beside it."""
    embedder = shared_embedder()
    alone = embedder.embed([FIT_NOTE])
    among_others = embedder.embed(["a short one", FISHING, FIT_NOTE, "x " * 400])
    assert alone.shape == (1, DIMENSIONS) and alone.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(among_others, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(alone[0], among_others[2], atol=1e-5)


def test_a_plain_phrase_is_nearer_the_answer_that_means_it():
    """ "sick notes" shares no word with fit notes, and is still nearer them than fishing."""
    embedder = shared_embedder()
    query = embedder.embed_query("sick notes")
    fit_note, fishing = embedder.embed([FIT_NOTE, FISHING])
    assert query @ fit_note > query @ fishing + 0.1


def test_no_texts_give_no_vectors():
    assert shared_embedder().embed([]).shape == (0, DIMENSIONS)
