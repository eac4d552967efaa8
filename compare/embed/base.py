"""The one interface every sentence-embedding backend implements."""

from __future__ import annotations

import threading

from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Maps sentences to L2-normalised float32 vectors, shape (len(texts), dim).

    `name` identifies backend *and* model (e.g. "e5:multilingual-e5-small-q4"), so
    cached vectors of one model are never served for another.
    """

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """Row-wise L2 normalisation in float32; zero rows stay zero instead of becoming NaN."""
    v = np.asarray(vectors, dtype=np.float32)
    if v.ndim == 1:
        v = v[None, :]
    norms = np.linalg.norm(v, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return v / norms


def as_texts(texts: Sequence[str] | str) -> list[str]:
    """A list of str from any sequence; a bare string counts as one text, not as characters."""
    if isinstance(texts, str):
        return [texts]
    out = list(texts)
    for t in out:
        if not isinstance(t, str):
            raise TypeError(f"embedders take strings, got {type(t).__name__}")
    return out


def empty(dim: int) -> np.ndarray:
    """The (0, dim) float32 result for an empty input, so callers can still stack and matmul."""
    return np.zeros((0, dim), dtype=np.float32)


class LazyModel:
    """Shared plumbing of the backends: a model slot filled on first use, and a lock.

    Backends subclass it, call `super().__init__()` and fill `self._model` in their own
    `_load`; nothing is loaded at construction, so building an embedder is free.
    """

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """True once the model has been loaded (never before the first `embed`)."""
        return self._model is not None
