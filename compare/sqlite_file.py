"""One SQLite file used as a best-effort cache: the plumbing the embedding and summary caches share.

Opened lazily, one connection per process (never reused across a fork), WAL mode and a
busy timeout so several batch workers can read and write at once. A cache is an
optimisation only: when the file cannot be opened, read or written, it logs one warning
and disables itself; callers then treat every lookup as a miss.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

TIMEOUT_S = 30.0


def is_busy(exc: sqlite3.Error) -> bool:
    """Another process holds the lock: worth a warning, not worth disabling the cache."""
    return "locked" in str(exc) or "busy" in str(exc)


class SqliteFile:
    """A lazily opened SQLite file with one schema; subclasses add their reads and writes,
    holding `self._lock` around `self._connection()`."""

    def __init__(self, path: Path, schema: str, what: str) -> None:
        self.path = path
        self._schema = schema
        self._what = what
        self._conn: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._disabled = False
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        """Whether the cache can be used (opens it if needed)."""
        with self._lock:
            return self._connection() is not None

    def _disable(self, what: str, exc: BaseException) -> None:
        self._disabled = True
        self._close()
        logger.warning(
            "%s %s: %s (%s); continuing without cache (delete the file if it is corrupt)", self._what, self.path, what, exc
        )

    def _connection(self) -> sqlite3.Connection | None:
        if self._disabled:
            return None
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        # New process (fork) or first use: never reuse a connection across a fork.
        self._conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=TIMEOUT_S, check_same_thread=False, isolation_level=None)
            try:
                conn.execute(f"PRAGMA busy_timeout = {int(TIMEOUT_S * 1000)}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute(self._schema)
            except BaseException:
                conn.close()
                raise
        except (OSError, sqlite3.Error) as exc:
            self._disable("cannot open", exc)
            return None
        self._conn, self._pid = conn, os.getpid()
        return conn

    def _close(self) -> None:
        if self._conn is not None and self._pid == os.getpid():
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
        self._conn = None

    def close(self) -> None:
        """Close the connection; the next call reopens it."""
        with self._lock:
            self._close()


def resolve_path(path: Path | str | None, default: Path, filename: str) -> Path:
    """The given file (a folder means `folder/filename`), else the default."""
    if path is None:
        return default
    resolved = Path(path).expanduser()
    return resolved / filename if resolved.is_dir() else resolved
