"""Extractive summaries: the article's own most central, non-redundant sentences.

Ranking follows LexRank (Erkan & Radev 2004) with a news lead prior:

1. Sentence embeddings (multilingual, so German, English and French alike) give a
   cosine graph. Embedders differ in scale (e5 puts unrelated German sentences at
   about 0.83), so cosines are rescaled per article: the median off-diagonal cosine
   maps to 0, identity to 1, anything below the median is no edge.
2. PageRank on that graph scores centrality: a sentence similar to many others
   carries the article's main content.
3. News puts the core in the first sentences (inverted pyramid): a prior decaying
   exponentially with the sentence's position is mixed in with weight `lead_weight`.
4. Maximal Marginal Relevance (Carbonell & Goldstein 1998) picks sentences one by one,
   trading relevance against similarity to those already picked (`diversity`), and
   never picks a near-duplicate of a picked sentence: raw cosine above
   `max_similarity` (default DUPLICATE_COSINE) or the same text up to case and spacing.

Headings, datelines and fragments under `min_words` words are never picked (unless an
article has nothing else). The result lists the picks in article order.
"""

from __future__ import annotations

import logging
import re
import threading

import numpy as np

from compare.embed.base import Embedder
from compare.model import ArticleResult, Sentence
from summarize.base import Budget, Summary, body_sentences

logger = logging.getLogger(__name__)

# Raw cosine from which two sentences count as the same sentence. Paraphrases of one fact
# by different writers stay below it with e5 (0.86-0.91) and USE; copies, and copies with
# a changed word or punctuation, lie above it.
DUPLICATE_COSINE = 0.95
_DAMPING = 0.85
_WORD_RE = re.compile(r"\w+")


def _fold(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.casefold()))


def rescaled_similarity(vectors: np.ndarray) -> np.ndarray:
    """Cosines mapped so the article's median pair is 0 and identity 1, clipped to [0, 1]; zero diagonal."""
    sims = np.clip(vectors @ vectors.T, -1.0, 1.0).astype(np.float64)
    n = sims.shape[0]
    if n < 2:
        return np.zeros((n, n))
    off = sims[~np.eye(n, dtype=bool)]
    base = float(np.median(off))
    scale = max(1.0 - base, 1e-6)
    out = np.clip((sims - base) / scale, 0.0, 1.0)
    np.fill_diagonal(out, 0.0)
    return out


def pagerank(weights: np.ndarray, damping: float = _DAMPING, iterations: int = 100, tol: float = 1e-9) -> np.ndarray:
    """Stationary scores of a weighted graph; a sentence without edges links to all evenly."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    rows = weights.sum(axis=1, keepdims=True)
    transition = np.where(rows > 0, weights / np.where(rows > 0, rows, 1.0), 1.0 / n)
    score = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1.0 - damping) / n + damping * (transition.T @ score)
        if np.abs(new - score).sum() < tol:
            return new
        score = new
    return score


def lead_prior(n: int, decay: float) -> np.ndarray:
    """exp(-position / decay): 1 for the first sentence, 1/e for the one `decay` positions later."""
    return np.exp(-np.arange(n, dtype=np.float64) / max(decay, 1e-6))


class ExtractiveSummarizer:
    """Central, diverse, early sentences of the article, within the budget.

    The embedder is injected, or built from `embedder_spec` by the cached factory on
    first use (so constructing a summarizer loads nothing).
    """

    def __init__(
        self,
        embedder: Embedder | None = None,
        embedder_spec: str = "e5",
        lead_weight: float = 0.4,
        diversity: float = 0.3,
        lead_decay: float = 3.0,
        max_similarity: float = DUPLICATE_COSINE,
        min_words: int = 4,
        embedder_cache: bool = True,
    ) -> None:
        if not 0.0 <= lead_weight <= 1.0:
            raise ValueError("lead_weight must be within [0, 1]")
        if not 0.0 <= diversity < 1.0:
            raise ValueError("diversity must be within [0, 1)")
        if lead_decay <= 0 or min_words < 0 or not 0.0 < max_similarity <= 1.0:
            raise ValueError("lead_decay must be > 0, min_words >= 0, max_similarity within (0, 1]")
        self._embedder = embedder
        self.embedder_spec = embedder_spec
        self.embedder_cache = bool(embedder_cache)  # --no-cache reaches the embeddings too
        self.lead_weight = float(lead_weight)
        self.diversity = float(diversity)
        self.lead_decay = float(lead_decay)
        self.max_similarity = float(max_similarity)
        self.min_words = int(min_words)
        backend = embedder.name if embedder is not None else embedder_spec
        self.name = f"extractive({backend},lead={self.lead_weight:g},diversity={self.diversity:g})"
        self._lock = threading.Lock()

    @property
    def settings(self) -> dict[str, object]:
        """Everything besides the name that changes the output (part of cache keys)."""
        return {
            "lead_decay": self.lead_decay,
            "max_similarity": self.max_similarity,
            "min_words": self.min_words,
        }

    @property
    def embedder(self) -> Embedder:
        with self._lock:
            if self._embedder is None:
                from compare.embed import get_embedder

                self._embedder = get_embedder(self.embedder_spec, cache=self.embedder_cache)
            return self._embedder

    def candidates(self, result: ArticleResult) -> list[Sentence]:
        """Sentences that may be picked: claims of at least `min_words` words (all claims if none is that long)."""
        claims = body_sentences(result)
        long_enough = [s for s in claims if len(_WORD_RE.findall(s.text)) >= self.min_words]
        return long_enough or claims

    def rank(self, sentences: list[Sentence]) -> tuple[np.ndarray, np.ndarray]:
        """(relevance per sentence, raw cosine matrix) for the candidates, in article order."""
        vectors = np.asarray(self.embedder.embed([s.text for s in sentences]), dtype=np.float32)
        cosines = np.clip(vectors @ vectors.T, -1.0, 1.0).astype(np.float64)
        central = pagerank(rescaled_similarity(vectors))
        if central.size and central.max() > 0:
            central = central / central.max()
        relevance = (1.0 - self.lead_weight) * central + self.lead_weight * lead_prior(len(sentences), self.lead_decay)
        return relevance, cosines

    def select(self, sentences: list[Sentence], relevance: np.ndarray, cosines: np.ndarray, budget: Budget) -> list[int]:
        """Indices picked by MMR until a budget limit is hit; skips picks that would overflow `chars`."""
        n = len(sentences)
        redundancy = np.zeros(n)
        if n > 1:
            off = cosines[~np.eye(n, dtype=bool)]
            base = float(np.median(off))
            redundancy_matrix = np.clip((cosines - base) / max(1.0 - base, 1e-6), 0.0, 1.0)
        else:
            redundancy_matrix = np.zeros((n, n))
        folded = [_fold(s.text) for s in sentences]
        available = np.ones(n, dtype=bool)
        picked: list[int] = []
        used = 0
        limit = budget.sentences if budget.sentences is not None else n
        while len(picked) < limit and available.any():
            scores = (1.0 - self.diversity) * relevance - self.diversity * redundancy
            scores = np.where(available, scores, -np.inf)
            best = int(np.argmax(scores))
            available[best] = False
            length = len(sentences[best].text) + (1 if picked else 0)
            if budget.chars is not None and used + length > budget.chars:
                continue  # does not fit: a shorter, lower-ranked sentence still may
            picked.append(best)
            used += length
            redundancy = np.maximum(redundancy, redundancy_matrix[best])
            duplicate = cosines[best] > self.max_similarity
            duplicate |= np.array([f == folded[best] for f in folded])
            available &= ~duplicate
        if not picked and n and budget.chars is not None:
            # Nothing fits the character budget: the documented exception, the top sentence alone.
            picked.append(int(np.argmax(relevance)))
        return sorted(picked)

    def summarize(self, result: ArticleResult, budget: Budget) -> Summary:
        sentences = self.candidates(result)
        if not sentences:
            return Summary(article=result.article.id, text="", sentences=[], method=self.name, offsets=[])
        relevance, cosines = self.rank(sentences)
        picked = [sentences[i] for i in self.select(sentences, relevance, cosines, budget)]
        logger.debug("%s: picked %s of %d candidates", result.label, [s.id for s in picked], len(sentences))
        return Summary(
            article=result.article.id,
            text=" ".join(s.text for s in picked),
            sentences=[s.id for s in picked],
            method=self.name,
            offsets=[[s.start, s.end] for s in picked],
        )

    def __repr__(self) -> str:
        return f"ExtractiveSummarizer({self.name!r})"
