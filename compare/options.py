"""All comparison settings in one object, so the CLI, the app and batch share the defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_EMBEDDER = "e5"


@dataclass(frozen=True)
class CompareOptions:
    """Settings for `compare_articles`.

    strictness scales the alignment thresholds: 1.0 is the tuned default, higher
    values demand stronger evidence before two sentences count as the same fact.
    """

    embedder: str = DEFAULT_EMBEDDER
    cache: bool = True
    strictness: float = 1.0
    neighbours: int = 4
    term_weight: float = 0.01

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
