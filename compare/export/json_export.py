"""JSON export: the `parallax/comparison@1` schema exactly as `Comparison.to_dict()` builds it.

Each article carries its `text`, the string every offset in the result indexes, so a
reader can check any span without the source files; `text=False` leaves the texts out
(large batch exports), and the offsets then index the source as loaded.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from compare.model import Comparison

__all__ = ["to_json"]


def _default(value: Any) -> Any:
    """Accept the few non-JSON types producers tend to leave in free-form dicts (numpy, sets, paths)."""
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, PurePath):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(c: Comparison, text: bool = True) -> str:
    """Pretty, UTF-8-readable JSON (no \\u escapes for umlauts) ending with a newline;
    without the article texts when `text` is False."""
    data = c.to_dict()
    if not text:
        for article in data["articles"]:
            article.pop("text", None)
    return json.dumps(data, indent=2, ensure_ascii=False, default=_default) + "\n"
