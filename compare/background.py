"""Background sentences: what "unrelated news" looks like to an embedder.

Margins are relative, and z-scores within one comparison are too: two articles about
different events still have pairs that stand out among themselves. Comparing each pair
with how close its sentences come to a fixed set of unrelated news sentences (weather,
sport, budgets, courts...) in their language gives the alignment an absolute floor.
The sets are short, hand-written, and embedded once per model (the disk cache keeps them).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Iterable

DATA = Path(__file__).resolve().parent / "data"
AVAILABLE = ("de", "en", "fr")


@lru_cache(maxsize=None)
def _sentences(language: str) -> tuple[str, ...]:
    path = DATA / f"background_{language}.txt"
    return tuple(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def background_sentences(languages: Iterable[str | None]) -> list[str]:
    """Background sentences in the given languages; all sets when one is unknown or not covered."""
    wanted = {lang for lang in languages}
    if not wanted or any(lang not in AVAILABLE for lang in wanted):
        wanted = set(AVAILABLE)
    return [s for lang in AVAILABLE if lang in wanted for s in _sentences(lang)]
