"""On-disk embedding cache, so re-comparing the same articles skips the model entirely.

One SQLite file keyed by (embedder name, sha256 of the exact text). WAL mode plus a busy
timeout lets several processes (batch workers) read and write it at once. The cache is
an optimisation only: if it cannot be opened or written, it logs a warning and every
lookup becomes a miss; it never makes a comparison fail.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from pathlib import Path
from typing import Sequence

import numpy as np

from compare.embed.base import Embedder, as_texts
from compare.sqlite_file import SqliteFile, is_busy, resolve_path

logger = logging.getLogger(__name__)

CACHE_ENV = "PARALLAX_CACHE_DIR"
FILENAME = "embeddings.sqlite"
_CHUNK = 500  # keys per SELECT, under SQLite's bound-parameter limit on old builds

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (
    model  TEXT    NOT NULL,
    key    BLOB    NOT NULL,
    dim    INTEGER NOT NULL,
    vector BLOB    NOT NULL,
    PRIMARY KEY (model, key)
) WITHOUT ROWID
"""


def default_cache_path() -> Path:
    """$PARALLAX_CACHE_DIR/embeddings.sqlite, else the platform's user cache dir for parallax."""
    directory = os.environ.get(CACHE_ENV)
    if not directory:
        import platformdirs

        directory = platformdirs.user_cache_dir("parallax")
    return Path(directory).expanduser() / FILENAME


def text_key(text: str) -> bytes:
    """sha256 of the exact text: whitespace and case matter to the embedder, so they matter here."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache(SqliteFile):
    """Vectors by (embedder name, text); opened lazily on first use, one connection per process."""

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__(resolve_path(path, default_cache_path(), FILENAME), _SCHEMA, "embedding cache")

    def get_many(self, name: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """{index in texts: vector} for every text already cached under `name`."""
        items = as_texts(texts)
        if not items:
            return {}
        positions: dict[bytes, list[int]] = {}
        for i, text in enumerate(items):
            positions.setdefault(text_key(text), []).append(i)
        keys = list(positions)
        found: dict[int, np.ndarray] = {}
        with self._lock:
            conn = self._connection()
            if conn is None:
                return {}
            try:
                for start in range(0, len(keys), _CHUNK):
                    chunk = keys[start : start + _CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT key, dim, vector FROM embeddings WHERE model = ? AND key IN ({marks})",
                        [name, *chunk],
                    ).fetchall()
                    for key, dim, blob in rows:
                        if dim <= 0 or len(blob) != dim * 4:
                            continue  # damaged row: treat as a miss, it gets rewritten
                        vector = np.frombuffer(blob, dtype=np.float32).copy()
                        for i in positions[bytes(key)]:
                            found[i] = vector
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    logger.warning("embedding cache %s busy (%s); treating lookups as misses", self.path, exc)
                    return {}
                self._disable("cannot read", exc)
                return {}
            except sqlite3.Error as exc:
                self._disable("cannot read", exc)
                return {}
        return found

    def put_many(self, name: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text under `name` (replacing older entries)."""
        items = as_texts(texts)
        matrix = np.asarray(vectors, dtype=np.float32)
        if not items:
            return
        if matrix.ndim != 2 or matrix.shape[0] != len(items):
            raise ValueError(f"need one vector per text: {len(items)} texts, vectors of shape {matrix.shape}")
        dim = int(matrix.shape[1])
        rows = [(name, text_key(t), dim, np.ascontiguousarray(v).tobytes()) for t, v in zip(items, matrix)]
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    conn.executemany(
                        "INSERT OR REPLACE INTO embeddings (model, key, dim, vector) VALUES (?, ?, ?, ?)", rows
                    )
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    logger.warning("embedding cache %s busy (%s); %d vectors not stored", self.path, exc, len(rows))
                    return
                self._disable("cannot write", exc)
            except sqlite3.Error as exc:
                self._disable("cannot write", exc)

    def __repr__(self) -> str:
        return f"EmbeddingCache({str(self.path)!r})"


class CachedEmbedder:
    """An Embedder that asks the cache first and embeds only the misses, each distinct text once."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name

    @property
    def loaded(self) -> bool:
        """Whether the wrapped model is loaded (backends without the flag count as loaded)."""
        return bool(getattr(self.inner, "loaded", True))

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Same contract as the inner embedder: (n, dim) float32 normalised, input order."""
        items = as_texts(texts)
        if not items:
            return self.inner.embed([])
        found = self.cache.get_many(self.name, items)
        if found and len({v.shape[0] for v in found.values()}) > 1:
            found = {}  # inconsistent dims under one name: trust nothing, recompute
        missing: dict[str, list[int]] = {}
        for i, text in enumerate(items):
            if i not in found:
                missing.setdefault(text, []).append(i)
        fresh: np.ndarray | None = None
        if missing:
            unique = list(missing)
            fresh = np.asarray(self.inner.embed(unique), dtype=np.float32)
            if found and fresh.shape[1] != next(iter(found.values())).shape[0]:
                # cached vectors have another dim than the model now gives: recompute everything
                return self._recompute(items)
            self.cache.put_many(self.name, unique, fresh)
        dim = fresh.shape[1] if fresh is not None else next(iter(found.values())).shape[0]
        out = np.empty((len(items), dim), dtype=np.float32)
        for i, vector in found.items():
            out[i] = vector
        if fresh is not None:
            for row, indices in enumerate(missing.values()):
                out[indices] = fresh[row]
        logger.debug("%s: %d cached, %d embedded", self.name, len(found), len(missing))
        return out

    def _recompute(self, items: list[str]) -> np.ndarray:
        unique = list(dict.fromkeys(items))
        vectors = np.asarray(self.inner.embed(unique), dtype=np.float32)
        self.cache.put_many(self.name, unique, vectors)
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t] for t in items]]

    def __repr__(self) -> str:
        return f"CachedEmbedder({self.inner!r}, {self.cache!r})"
