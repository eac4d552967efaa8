"""On-disk summary cache: re-summarising an unchanged article costs a lookup, not a model run.

One SQLite file (`summaries.sqlite`) next to the embedding cache (same folder,
PARALLAX_CACHE_DIR overrides it), keyed by a hash of (summarizer name, its settings,
the budget, the article's label, text and segmentation): the summary cites sentence
ids and offsets, so those are part of what it depends on. Like the embedding cache it
is an optimisation only: when it cannot be opened, read or written it logs a warning
and every lookup becomes a miss; it never makes summarising fail.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

from compare.embed.cache import default_cache_path
from compare.model import ArticleResult
from compare.sqlite_file import SqliteFile, is_busy, resolve_path
from summarize.base import Budget, Summarizer, Summary

logger = logging.getLogger(__name__)

FILENAME = "summaries.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS summaries (
    key     TEXT NOT NULL PRIMARY KEY,
    summary TEXT NOT NULL
) WITHOUT ROWID
"""


def default_summary_cache_path() -> Path:
    """summaries.sqlite in the embedding cache's folder."""
    return default_cache_path().parent / FILENAME


def summary_key(name: str, settings: dict[str, Any], budget: Budget, result: ArticleResult) -> str:
    """sha256 over everything the summary depends on (exact text, ids and offsets included)."""
    payload = {
        "summarizer": name,
        "settings": settings,
        "budget": budget.to_dict(),
        "label": result.label,
        "language": result.article.language,
        "text": hashlib.sha256(result.article.text.encode("utf-8", "surrogatepass")).hexdigest(),
        "segments": [[s.id, s.start, s.end, s.kind] for s in result.sentences],
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(blob.encode("ascii")).hexdigest()


class SummaryCache(SqliteFile):
    """Summary dicts by key; opened lazily on first use, one connection per process."""

    def __init__(self, path: Path | str | None = None) -> None:
        super().__init__(resolve_path(path, default_summary_cache_path(), FILENAME), _SCHEMA, "summary cache")

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored summary dict, or None (miss, damaged row, or cache unusable)."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return None
            try:
                row = conn.execute("SELECT summary FROM summaries WHERE key = ?", (key,)).fetchone()
            except sqlite3.Error as exc:
                if is_busy(exc):
                    logger.warning("summary cache %s busy (%s); treating the lookup as a miss", self.path, exc)
                else:
                    self._disable("cannot read", exc)
                return None
        if row is None:
            return None
        try:
            data = json.loads(row[0])
        except (TypeError, ValueError):
            logger.warning("summary cache %s: damaged entry, recomputing it", self.path)
            return None
        return data if isinstance(data, dict) and isinstance(data.get("text"), str) else None

    def put(self, key: str, summary: dict[str, Any]) -> None:
        """Store (or replace) one summary dict."""
        blob = json.dumps(summary, ensure_ascii=False)
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                conn.execute("INSERT OR REPLACE INTO summaries (key, summary) VALUES (?, ?)", (key, blob))
            except sqlite3.Error as exc:
                if is_busy(exc):
                    logger.warning("summary cache %s busy (%s); summary not stored", self.path, exc)
                else:
                    self._disable("cannot write", exc)

    def __repr__(self) -> str:
        return f"SummaryCache({str(self.path)!r})"


class CachedSummarizer:
    """A Summarizer that asks the cache first and runs the inner one only on a miss.

    It keeps the inner summarizer's `name`, so callers cannot tell the two apart except
    by speed.
    """

    def __init__(self, inner: Summarizer, cache: SummaryCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name

    @property
    def settings(self) -> dict[str, Any]:
        return dict(getattr(self.inner, "settings", {}) or {})

    def summarize(self, result: ArticleResult, budget: Budget) -> Summary:
        key = summary_key(self.name, self.settings, budget, result)
        found = self.cache.get(key)
        if found is not None:
            try:
                logger.debug("%s: summary of %s from cache", self.name, result.label)
                return Summary.from_dict(result.article.id, found)
            except (KeyError, TypeError, ValueError):
                logger.warning("summary cache %s: damaged entry, recomputing it", self.cache.path)
        summary = self.inner.summarize(result, budget)
        self.cache.put(key, summary.to_dict())
        return summary

    def __repr__(self) -> str:
        return f"CachedSummarizer({self.inner!r}, {self.cache!r})"
