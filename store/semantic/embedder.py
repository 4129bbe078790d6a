"""Sentences to unit vectors with all-MiniLM-L6-v2, run by onnxruntime from the int8 model shipped in
store/semantic/model/ (made by scripts/derive_semantic_model.py); no torch at run time."""

from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).parent / "model"
MODEL_FILE = "minilm-l6-int8.onnx"
# The model's own name and version: vectors made by another model are never compared with these.
MODEL_ID = "all-MiniLM-L6-v2/onnx-int8/128"
DIMENSIONS = 384
# MiniLM was trained on 128 tokens; longer inputs cost more and add little for a heading and question.
MAX_TOKENS = 128
# Recent queries' vectors are kept, so ranking one query's candidates never embeds it twice.
QUERY_CACHE = 256


class Embedder:
    """Loads the model on first use (once, under a lock) and embeds texts; safe to share across threads."""

    def __init__(self, model_dir: Path = MODEL_DIR, threads: int = 0):
        """threads: how many cores the model may use for one call (0: all of them)."""
        self.model_dir = model_dir
        self.threads = threads
        self._lock = threading.Lock()
        self._session = None
        self._tokenizer = None
        self.embed_query = lru_cache(maxsize=QUERY_CACHE)(self._embed_query)

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        with self._lock:
            if self._session is not None:
                return
            tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            self._tokenizer = tokenizer
            self._session = onnxruntime.InferenceSession(
                str(self.model_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )

    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised float32 row of DIMENSIONS per text, in the order given.

        Each text runs through the model alone: the int8 model scales its activations by each
        run's range, so a text batched with others would come out a little different each time
        (and on two cores one at a time is as fast, with no padding).
        """
        if self._session is None:
            self._load()
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, encoding in enumerate(self._tokenizer.encode_batch(texts)):
            ids = np.array([encoding.ids], dtype=np.int64)
            (vectors[row],) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]
        return vectors

    def _embed_query(self, text: str) -> np.ndarray:
        """One text's unit vector (read-only: it is shared by every caller that asks for this text)."""
        vector = self.embed([text])[0]
        vector.flags.writeable = False
        return vector


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> Embedder:
    """The process's one Embedder, so the model is loaded once however many stores use it.

    It runs on one thread: a query's few words take milliseconds, and embedding in the background
    leaves the other cores to searches.
    """
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Embedder(threads=1)
        return _shared
