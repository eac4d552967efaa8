"""All comparison settings in one object, so the CLI, the app and batch share the defaults."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

DEFAULT_EMBEDDER = "e5"
DEFAULT_SUPPORT = "use"


@dataclass(frozen=True)
class CompareOptions:
    """Settings for `compare_articles`.

    `embedder` drives the alignment (margin scoring); `support` is a second embedder
    whose cosine adds a second opinion (None or "none" turns it off: half the embedding
    time, lower precision on same-language news). `strictness` moves the pair scorer's
    probability thresholds (one log-odds step per unit; `compare.pairmodel`): 1.0 is the
    fitted default, higher values demand stronger evidence.
    `nli` ("hf:<hub id or folder>") adds an NLI cross-encoder that scores the aligned
    sentence pairs for contradiction (off by default: no NLI weights ship offline);
    pairs at or above `nli_threshold` (a probability) become "contradiction" findings.
    """

    embedder: str = DEFAULT_EMBEDDER
    support: str | None = DEFAULT_SUPPORT
    cache: bool = True
    strictness: float = 1.0
    neighbours: int = 4
    term_weight: float = 0.2
    nli: str | None = None
    nli_threshold: float = 0.5

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
