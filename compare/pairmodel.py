"""The calibrated pair scorer: logistic models over alignment features, stored as data.

`compare.align` computes features for each candidate sentence pair (margins, background
standing, key terms, ...); this module turns them into a link probability with the
coefficients in `compare/data/align_model.json`. That file is produced by
`python -m compare.alignfit --write` (fitted on the Text+Berg gold); applying it needs only
numpy, so scikit-learn is imported by the refit alone.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

MODEL_FILE = Path(__file__).resolve().parent / "data" / "align_model.json"
SOLO, SUPPORTED = "solo", "support"  # without / with a second-opinion embedder
STRICTNESS_STEP = 1.0  # log-odds added to the probability threshold per unit of strictness
FLOOR_QUANTILE = 0.99  # share of the training documents' true links the evidence floor admits


@dataclass(frozen=True)
class PairModel:
    """Standardise, then logistic: p = sigmoid(((x - mean) / scale) . coef + intercept).

    `threshold` is the probability at which a pair links at strictness 1, chosen on the
    training documents (F1-optimal there), never on the document being scored.
    """

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float = 0.5

    def probability(self, values: np.ndarray) -> np.ndarray:
        """One probability per row of `values` (columns in `self.features` order)."""
        x = np.asarray(values, dtype=np.float64)
        if x.size == 0:
            return np.zeros(len(x), dtype=np.float64)
        return self._logistic((x - self.mean) / self.scale)

    def probability_of_columns(self, columns: Sequence[np.ndarray], rows: int) -> np.ndarray:
        """`probability` of the matrix whose columns (`rows` values each, in `self.features`
        order) are `columns`, built in one (rows, features) buffer.

        Why: the alignment scores tens of thousands of pairs per stage; stacking the
        columns, subtracting the mean and dividing by the scale made three matrices of
        fresh memory, whose page faults cost more than the arithmetic. Each element goes
        through the same float64 subtraction and division as the broadcast expression, and
        the buffer is the same C-ordered matrix, so the matrix product and the
        probabilities are bit-identical.
        """
        if len(columns) != len(self.features):
            raise ValueError(f"pair model: {len(self.features)} feature columns expected, got {len(columns)}")
        if rows == 0 or not columns:
            return np.zeros(rows, dtype=np.float64)
        x = np.empty((rows, len(columns)), dtype=np.float64)
        for j, column in enumerate(columns):
            out = x[:, j]
            np.subtract(np.asarray(column, dtype=np.float64), self.mean[j], out=out)
            np.divide(out, self.scale[j], out=out)
        return self._logistic(x)

    def _logistic(self, standardised: np.ndarray) -> np.ndarray:
        """sigmoid(standardised . coef + intercept)."""
        z = standardised @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0)))

    def threshold_at(self, strictness: float) -> float:
        """The probability bar at a strictness: each unit above 1 adds STRICTNESS_STEP log-odds."""
        p = min(max(self.threshold, 1e-6), 1 - 1e-6)
        logit = math.log(p / (1 - p)) + (strictness - 1.0) * STRICTNESS_STEP
        return 1.0 / (1.0 + math.exp(-logit))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(float(self.intercept), 6),
            "threshold": round(float(self.threshold), 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PairModel":
        features = tuple(str(f) for f in data["features"])
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(a.shape != (len(features),) for a in arrays):
            raise ValueError("pair model: mean, scale and coef need one value per feature")
        mean, scale, coef = arrays
        scale = np.where(scale > 0, scale, 1.0)
        return cls(features, mean, scale, coef, float(data["intercept"]), float(data.get("threshold", 0.5)))


@dataclass(frozen=True)
class PairScorer:
    """The two models of one alignment: `link` decides candidate pairs, `extend` decides
    whether a link also takes in a sentence adjacent to one of its ends (split facts).

    `floor` is the least evidence against unrelated news (background standing, averaged
    over the embedders) a link needs: the level that FLOOR_QUANTILE of the training
    documents' true links reach, so it is fitted like the coefficients, not set by hand.
    """

    link: PairModel
    extend: PairModel | None = None
    floor: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "link": self.link.to_dict(),
            "extend": None if self.extend is None else self.extend.to_dict(),
            "floor": round(float(self.floor), 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "PairScorer":
        extend = data.get("extend")
        return cls(
            PairModel.from_dict(data["link"]),
            None if extend is None else PairModel.from_dict(extend),
            float(data.get("floor", 0.0)),
        )


@lru_cache(maxsize=None)
def _shipped(path: str) -> dict[str, PairScorer]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name: PairScorer.from_dict(entry) for name, entry in data["models"].items()}


def default_scorer(with_support: bool, path: Path | None = None) -> PairScorer:
    """The shipped models for alignment with (or without) a second-opinion embedder."""
    return _shipped(str(path or MODEL_FILE))[SUPPORTED if with_support else SOLO]
