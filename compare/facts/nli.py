"""Optional NLI contradiction check on aligned sentence pairs (`--nli hf:<model>`).

The typed checks (numbers, negation, dates, entities, quotes) only see differences they
have rules for. A natural-language-inference cross-encoder reads both versions of a fact
together and says whether they contradict; it catches what no rule covers and gives the
typed findings a second, independent opinion. Off by default: no NLI weights ship
offline, so the user names a hub id or a local folder.

torch and transformers are imported only when the model loads (see `compare.hf_models`).
"""

from __future__ import annotations

import functools
import logging
import re
from itertools import combinations
from typing import Any, Protocol, Sequence, runtime_checkable

import numpy as np

from compare.errors import ModelError
from compare.hf_models import HFModel, length_batches, position_limit, resolve_model
from compare.facts.discrepancies import Discrepancy
from compare.model import Comparison, Sentence

__all__ = ["ContradictionScorer", "HFNLIScorer", "get_nli_scorer", "nli_discrepancies", "NLI_SPECS"]

logger = logging.getLogger(__name__)

NLI_SPECS: dict[str, str] = {
    "hf:<model>": "any Hugging Face NLI cross-encoder (sequence classification with a 'contradiction' label), "
    "by hub id or local folder",
}
_CONTRADICTION_LABELS = ("contradiction", "contradict")


@runtime_checkable
class ContradictionScorer(Protocol):
    """Scores sentence pairs: probability that the two texts contradict each other.

    `name` identifies backend and model (recorded in the result's settings).
    """

    name: str

    def contradiction(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray: ...


def contradiction_label(id2label: dict[Any, Any]) -> int:
    """Index of the contradiction class; ModelError naming the labels the model has."""
    for index, label in id2label.items():
        if str(label).strip().lower() in _CONTRADICTION_LABELS:
            return int(index)
    labels = ", ".join(str(label) for _, label in sorted(id2label.items(), key=lambda kv: int(kv[0])))
    raise ModelError(f"not an NLI model: no 'contradiction' label among its labels ({labels or 'none'})")


def _label_of(config: Any) -> int:
    """The contradiction class of a model's config, checked before its weights load."""
    return contradiction_label(dict(getattr(config, "id2label", None) or {}))


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class HFNLIScorer(HFModel):
    """A transformers sequence-classification NLI model scoring contradiction both ways.

    NLI is asymmetric ("A entails B" is not "B entails A"); two outlets' versions have no
    premise, so each pair is scored as (a, b) and (b, a) and the higher contradiction
    probability counts.
    """

    def __init__(self, model: str, batch_size: int = 16, max_length: int | None = None, device: str = "cpu") -> None:
        if batch_size < 1 or (max_length is not None and max_length < 4):
            raise ValueError("batch_size must be >= 1 and max_length >= 4")
        super().__init__(model, batch_size, device)
        self.max_length = max_length
        self._label = -1

    def _load(self) -> None:
        if self._model is not None:
            return
        tokenizer, model, label = self._pretrained("AutoModelForSequenceClassification", "NLI", "--nli needs", _label_of)
        limit = position_limit(tokenizer, model.config)
        self.max_length = min(self.max_length or limit, limit)
        self._tokenizer, self._model, self._label = tokenizer, model, label
        logger.debug("loaded NLI model %s (contradiction = label %d)", self.name, label)

    def contradiction(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """(n,) float32 in [0, 1]: max of P(contradiction) over both directions of each pair."""
        first, second = [str(t) for t in premises], [str(t) for t in hypotheses]
        if len(first) != len(second):
            raise ValueError(f"premises and hypotheses differ in length ({len(first)} vs {len(second)})")
        with self._lock:
            self._load()
            if not first:
                return np.zeros(0, dtype=np.float32)
            both = self._score(first + second, second + first)
        n = len(first)
        return np.maximum(both[:n], both[n:]).astype(np.float32)

    def _score(self, first: list[str], second: list[str]) -> np.ndarray:
        import torch

        out = np.empty(len(first), dtype=np.float32)
        with torch.inference_mode():
            for idx in length_batches([len(a) + len(b) for a, b in zip(first, second)], self.batch_size):
                batch = self._inputs(self.max_length, [first[i] for i in idx], [second[i] for i in idx])
                logits = self._model(**batch).logits.float().cpu().numpy()
                out[idx] = _softmax(logits)[:, self._label]
        return out


@functools.lru_cache(maxsize=None)
def _scorer(model: str) -> HFNLIScorer:
    return HFNLIScorer(model)


def get_nli_scorer(spec: str) -> ContradictionScorer:
    """The scorer for "hf:<hub id or folder>", built once per resolved model; loads nothing."""
    kind, sep, arg = (spec or "").strip().partition(":")
    if sep and kind.strip().lower() == "hf" and arg.strip():
        model, _ = resolve_model(arg)
        return _scorer(model)
    raise ModelError(f"unknown NLI model {spec!r}; valid: hf:<hub id or local model folder>")


get_nli_scorer.cache_clear = _scorer.cache_clear  # type: ignore[attr-defined]


def _pairs(comparison: Comparison) -> list[tuple[str, Sentence, Sentence]]:
    """(group id, a, b) for every pair of member sentences from different articles."""
    index = comparison.sentence_index()
    out: list[tuple[str, Sentence, Sentence]] = []
    for group in comparison.groups:
        members = [index[sid] for sid in group.sentences if sid in index]
        out.extend((group.id, a, b) for a, b in combinations(members, 2) if a.article != b.article)
    return out


def _next_number(existing: Sequence[Discrepancy]) -> int:
    """Continue find_discrepancies' "D1", "D2", ... so ids stay unique and in list order."""
    numbers = [int(m.group(1)) for d in existing if (m := re.fullmatch(r"D(\d+)", d.id or ""))]
    return max(numbers, default=0) + 1


def nli_discrepancies(
    comparison: Comparison, scorer: ContradictionScorer, threshold: float, existing: Sequence[Discrepancy] = ()
) -> list[Discrepancy]:
    """New "contradiction" discrepancies for aligned pairs the model scores >= threshold.

    A pair whose sentences an existing discrepancy already names is not reported again;
    instead that discrepancy gets `extra["nli"]` (the highest score among its pairs), so
    typed findings carry the model's opinion. The new ones are numbered after `existing`
    and meant to be appended to it.
    """
    pairs = _pairs(comparison)
    if not pairs:
        return []
    scores = np.asarray(scorer.contradiction([a.text for _, a, _ in pairs], [b.text for _, _, b in pairs]), dtype=float)
    if scores.shape != (len(pairs),) or not np.all(np.isfinite(scores)):
        raise ModelError(f"NLI model {scorer.name} returned {scores.shape} scores for {len(pairs)} sentence pairs")
    scores = np.clip(scores, 0.0, 1.0)
    found: list[Discrepancy] = []
    number = _next_number(existing)
    for (group, a, b), p in zip(pairs, scores.tolist()):
        p = round(float(p), 3)
        covering = [d for d in existing if a.id in d.sentences and b.id in d.sentences]
        for d in covering:
            d.extra["nli"] = max(p, float(d.extra.get("nli", 0.0)))
        if covering or p < threshold:
            continue
        found.append(
            Discrepancy(
                type="contradiction",
                group=group,
                sentences=[a.id, b.id],
                values={a.article: a.text, b.article: b.text},
                normalized={"contradiction": p},
                spans={a.id: [a.start, a.end], b.id: [b.start, b.end]},
                explanation=f"an NLI model ({scorer.name}) scores these versions as contradicting (p={p:.2f})",
                confidence=p,
                id=f"D{number}",
            )
        )
        number += 1
    logger.info("NLI scored %d sentence pairs: %d contradictions", len(pairs), len(found))
    return found
