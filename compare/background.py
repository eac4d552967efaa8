"""Background sentences: what "unrelated news" looks like to an embedder.

Margins are relative, and z-scores within one comparison are too: two articles about
different events still have pairs that stand out among themselves. Comparing each pair
with how close its sentences come to a fixed set of unrelated news sentences (weather,
sport, budgets, courts...) in their language gives the alignment an absolute floor.
The sets are short and hand-written; their vectors are computed once per embedder and
language per process (`background_embedding` keeps them in memory, beside the disk cache).
"""

from __future__ import annotations

import threading
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import numpy as np

from compare.embed.base import Embedder

DATA = Path(__file__).resolve().parent / "data"
AVAILABLE = ("de", "en", "fr")

_vectors: "weakref.WeakKeyDictionary[Embedder, dict[str, np.ndarray]]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()


@lru_cache(maxsize=None)
def _sentences(language: str) -> tuple[str, ...]:
    path = DATA / f"background_{language}.txt"
    return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _languages(languages: Iterable[str | None]) -> list[str]:
    wanted = {lang for lang in languages}
    if not wanted or any(lang not in AVAILABLE for lang in wanted):
        wanted = set(AVAILABLE)
    return [lang for lang in AVAILABLE if lang in wanted]


def background_sentences(languages: Iterable[str | None]) -> list[str]:
    """Background sentences in the given languages; all sets when one is unknown or not covered."""
    return [s for lang in _languages(languages) for s in _sentences(lang)]


def background_embedding(embedder: Embedder, languages: Iterable[str | None]) -> np.ndarray:
    """Vectors of `background_sentences(languages)` by `embedder`, each language's set
    embedded once per embedder object and process (held as long as the embedder lives)."""
    wanted = _languages(languages)
    with _lock:
        try:
            known = _vectors.setdefault(embedder, {})
        except TypeError:  # an embedder that cannot be weakly referenced: no memo
            known = {}
        missing = [lang for lang in wanted if lang not in known]
    if missing:
        texts = [s for lang in missing for s in _sentences(lang)]
        vectors = np.asarray(embedder.embed(texts), dtype=np.float32)
        start = 0
        with _lock:
            for lang in missing:
                count = len(_sentences(lang))
                known[lang] = vectors[start : start + count]
                start += count
    return np.vstack([known[lang] for lang in wanted])
