"""Order-free, many-to-many sentence alignment across two to fifty articles.

Raw cosine is a poor judge on its own: with e5, unrelated German news sentences score
about 0.83 and paraphrases 0.86-0.91. We therefore score every cross-article pair with
the ratio margin of Artetxe & Schwenk (2019): cosine divided by the mean similarity of
both sentences to their k nearest neighbours *in the other article*, plus a small bonus
for shared key terms (names, numbers, quoted words; see `keyterms`). Links are then:

* mutual best matches above `mutual_threshold`,
* one-sided best matches above the stricter `single_threshold`,
* and, so that a fact split over two adjacent sentences of one article is caught, a best
  match above `adjacent_threshold` whose neighbour in the same article is already linked.

Linked sentences are merged into groups greedily, strongest link first, refusing merges
that would put more than `max_per_article` sentences of one article into one group (this
stops chains from gluing unrelated facts together). Everything is matrix work over the
stacked embeddings; Python only loops over articles, never over sentence pairs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Sequence

import numpy as np

logger = logging.getLogger(__name__)

STRICTNESS_STEP = 0.02  # threshold shift per unit of strictness above/below 1.0


@dataclass(frozen=True)
class AlignSettings:
    """Thresholds on the margin score (1.0 = no better than the neighbourhood).

    Tuned on the Text+Berg de-fr gold and the seeds gold (see eval/); `strictness`
    shifts every threshold by (strictness - 1) * STRICTNESS_STEP.
    """

    neighbours: int = 4
    mutual_threshold: float = 1.01
    single_threshold: float = 1.03
    adjacent_threshold: float = 0.99
    term_weight: float = 0.01
    max_per_article: int = 3
    strictness: float = 1.0



@dataclass
class Link:
    """Two sentences (row indices into the stacked matrix) judged to report the same fact."""

    a: int
    b: int
    score: float


@dataclass
class AlignedGroup:
    members: list[int]
    score: float


def _topk_mean(block: np.ndarray, k: int) -> np.ndarray:
    """Mean of the k largest values in each row."""
    k = max(1, min(k, block.shape[1]))
    if k == block.shape[1]:
        return block.mean(axis=1)
    part = np.partition(block, block.shape[1] - k, axis=1)[:, block.shape[1] - k :]
    return part.mean(axis=1)


def margin_scores(vectors: np.ndarray, article_of: np.ndarray, k: int) -> np.ndarray:
    """Ratio-margin matrix; same-article pairs are -inf so they never link."""
    n_articles = int(article_of.max()) + 1 if len(article_of) else 0
    cosine = vectors @ vectors.T
    knn = np.zeros((len(vectors), n_articles), dtype=np.float32)
    for b in range(n_articles):
        cols = np.flatnonzero(article_of == b)
        knn[:, b] = _topk_mean(cosine[:, cols], k)
    neighbourhood = (knn[:, article_of] + knn[:, article_of].T) / 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(neighbourhood > 0, cosine / neighbourhood, 0.0).astype(np.float32)
    margin[article_of[:, None] == article_of[None, :]] = -np.inf
    return margin


def best_match_mask(score: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """best[x, y]: y is x's highest-scoring sentence within y's article."""
    n = len(score)
    best = np.zeros((n, n), dtype=bool)
    rows = np.arange(n)
    for b in range(int(article_of.max()) + 1 if n else 0):
        cols = np.flatnonzero(article_of == b)
        pick = cols[np.argmax(score[:, cols], axis=1)]
        valid = article_of != b
        best[rows[valid], pick[valid]] = True
    return best


def _adjacent_support(accepted: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """support[x, y]: a neighbour of x (same article) links to y, or a neighbour of y links to x."""
    same_next = np.zeros(len(article_of), dtype=bool)
    same_next[:-1] = article_of[:-1] == article_of[1:]
    from_prev = np.zeros_like(accepted)
    from_prev[1:] = accepted[:-1] & same_next[:-1, None]
    from_next = np.zeros_like(accepted)
    from_next[:-1] = accepted[1:] & same_next[:-1, None]
    rows = from_prev | from_next
    return rows | rows.T


def find_links(
    vectors: np.ndarray,
    article_of: np.ndarray,
    term_overlap: np.ndarray | None,
    settings: AlignSettings,
    eligible: np.ndarray | None = None,
) -> list[Link]:
    """All accepted cross-article links, strongest first."""
    n = len(vectors)
    if n == 0:
        return []
    score = margin_scores(vectors, article_of, settings.neighbours)
    if term_overlap is not None and settings.term_weight:
        score = score + settings.term_weight * term_overlap
    if eligible is not None:
        score[~eligible, :] = -np.inf
        score[:, ~eligible] = -np.inf
    best = best_match_mask(score, article_of)
    either = best | best.T
    mutual = best & best.T
    shift = (settings.strictness - 1.0) * STRICTNESS_STEP
    accepted = (mutual & (score >= settings.mutual_threshold + shift)) | (
        either & (score >= settings.single_threshold + shift)
    )
    accepted |= _adjacent_support(accepted, article_of) & either & (score >= settings.adjacent_threshold + shift)
    accepted &= np.isfinite(score)
    xs, ys = np.nonzero(np.triu(accepted | accepted.T, k=1))
    links = [Link(int(x), int(y), float(score[x, y])) for x, y in zip(xs, ys)]
    links.sort(key=lambda link: (-link.score, link.a, link.b))
    logger.debug("alignment: %d sentences, %d links", n, len(links))
    return links


def group_links(links: Sequence[Link], article_of: np.ndarray, max_per_article: int) -> list[AlignedGroup]:
    """Greedy union of links (strongest first) under a per-article size cap."""
    parent = list(range(len(article_of)))
    counts: dict[int, dict[int, int]] = {i: {int(article_of[i]): 1} for i in range(len(article_of))}
    scores: dict[int, list[float]] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in links:
        ra, rb = root(link.a), root(link.b)
        if ra == rb:
            scores.setdefault(ra, []).append(link.score)
            continue
        merged = dict(counts[ra])
        for art, c in counts[rb].items():
            merged[art] = merged.get(art, 0) + c
        if max(merged.values()) > max_per_article:
            continue
        parent[rb] = ra
        counts[ra] = merged
        scores[ra] = scores.get(ra, []) + scores.pop(rb, []) + [link.score]

    members: dict[int, list[int]] = {}
    for i in range(len(article_of)):
        members.setdefault(root(i), []).append(i)
    groups = [
        AlignedGroup(sorted(m), float(np.mean(scores[r])))
        for r, m in members.items()
        if len(m) > 1 and r in scores
    ]
    groups.sort(key=lambda g: g.members[0])
    return groups


def align(
    vectors: np.ndarray,
    article_of: np.ndarray,
    term_overlap: np.ndarray | None = None,
    settings: AlignSettings | None = None,
    eligible: np.ndarray | None = None,
) -> list[AlignedGroup]:
    """Groups of stacked-row indices that report the same fact, in order of first member."""
    settings = settings or AlignSettings()
    links = find_links(np.asarray(vectors, dtype=np.float32), np.asarray(article_of), term_overlap, settings, eligible)
    return group_links(links, np.asarray(article_of), settings.max_per_article)
