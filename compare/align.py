"""Order-free, many-to-many sentence alignment across two to fifty articles.

Raw cosine is a poor judge on its own: with e5, unrelated German news sentences score
about 0.83 and paraphrases 0.86-0.91. We therefore score every cross-article pair with
the margin of Artetxe & Schwenk (2019): cosine minus the mean similarity of both
sentences to their k nearest neighbours *in the other article*, in units of the spread
of cross-article cosines (so thresholds carry over between embedders), plus a small bonus
for shared key terms (names, numbers, quoted words; see `keyterms`). Links are then:

* mutual best matches above `mutual_threshold`,
* one-sided best matches above the stricter `single_threshold`,
* and, so that a fact split over two adjacent sentences of one article is caught, a best
  match above `adjacent_threshold` whose neighbour in the same article is already linked.

An optional second embedder ("support", USE by default) adds its cosine, as a z-score,
as a second opinion: its raw cosines spread far wider than e5's, which separates unrelated
same-language news sentences much better (measurements in README.md, "Quality gate").

Every link must also stand out absolutely: its cosine must exceed, by `background_floor`
standard deviations, how close its two sentences come to unrelated news sentences
(`compare.background`). Without that, two articles about different events would still
"share" their mutually most similar sentences.

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

STRICTNESS_STEP = 0.5  # threshold shift (in standard deviations) per unit of strictness


@dataclass(frozen=True)
class AlignSettings:
    """Thresholds on the margin score, in standard deviations of cross-article cosine
    (0 = no better than the pair's neighbourhood).

    Tuned on the Text+Berg de-fr gold and the seeds gold (see eval/); `strictness`
    shifts every threshold by (strictness - 1) * STRICTNESS_STEP.
    """

    neighbours: int = 4
    mutual_threshold: float = 0.3
    single_threshold: float = 1.0
    adjacent_threshold: float = 0.0
    term_weight: float = 0.2
    support_weight: float = 0.25
    absolute_floor: float = 2.0  # used only when no background vectors are given
    background_floor: float = 1.5
    # A mutual best match whose neighbours on both sides are linked to each other (the
    # sandwich of local order) needs this much less standing against the background.
    sandwich_relief: float = 1.0
    background_neighbours: int = 3
    max_per_article: int = 3
    strictness: float = 1.0
    # Without a support embedder the margin alone carries the decision.
    solo_mutual_threshold: float = 0.3
    solo_single_threshold: float = 1.0


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


@dataclass(frozen=True)
class _Similarity:
    """One embedder's cosine matrix and its cross-article statistics, computed once."""

    vectors: np.ndarray
    cosine: np.ndarray
    cross: np.ndarray
    spread: float

    @classmethod
    def of(cls, vectors: np.ndarray, article_of: np.ndarray) -> "_Similarity":
        cosine = vectors @ vectors.T
        cross = article_of[:, None] != article_of[None, :]
        spread = float(cosine[cross].std()) if cross.any() else 1.0
        return cls(vectors, cosine, cross, max(spread, 1e-6))


def _margin(sim: _Similarity, article_of: np.ndarray, k: int) -> np.ndarray:
    n_articles = int(article_of.max()) + 1 if len(article_of) else 0
    knn = np.zeros((len(sim.cosine), n_articles), dtype=np.float32)
    for b in range(n_articles):
        cols = np.flatnonzero(article_of == b)
        knn[:, b] = _topk_mean(sim.cosine[:, cols], k)
    neighbourhood = (knn[:, article_of] + knn[:, article_of].T) / 2.0
    margin = ((sim.cosine - neighbourhood) / sim.spread).astype(np.float32)
    margin[~sim.cross] = -np.inf
    return margin


def _absolute(sim: _Similarity) -> np.ndarray:
    if not sim.cross.any():
        return np.zeros_like(sim.cosine)
    centre = float(np.median(sim.cosine[sim.cross]))
    return ((sim.cosine - centre) / sim.spread).astype(np.float32)


def _background(sim: _Similarity, background: np.ndarray, k: int) -> np.ndarray:
    near = _topk_mean(sim.vectors @ background.T, k)
    return ((sim.cosine - (near[:, None] + near[None, :]) / 2.0) / sim.spread).astype(np.float32)


def margin_scores(vectors: np.ndarray, article_of: np.ndarray, k: int) -> np.ndarray:
    """Margin in standard deviations: (cos - neighbourhood mean) / std of cross-article cos.

    The neighbourhood of a pair is the mean of both sentences' k nearest cosines in the
    other's article (Artetxe & Schwenk's margin, difference form). Dividing by the spread
    of cross-article cosines makes one threshold work for embedders whose cosines live on
    very different scales (e5: 0.8-0.95, USE: 0.0-0.9). Same-article pairs are -inf.
    """
    return _margin(_Similarity.of(vectors, article_of), article_of, k)


def absolute_scores(vectors: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """Cosine as a z-score against all cross-article pairs of this comparison.

    The margin alone is relative: even two articles about different events have
    sentence pairs that are each other's best match. Requiring the pair to stand out
    against every cross-article pair as well keeps such articles from sharing "facts".
    """
    return _absolute(_Similarity.of(vectors, article_of))


def background_standing(
    vectors: np.ndarray, background: np.ndarray, article_of: np.ndarray, k: int
) -> np.ndarray:
    """How far a pair's cosine rises above its sentences' closeness to unrelated news.

    (cos(x, y) - mean(bg_x, bg_y)) / spread, where bg_x is the mean cosine of x to its
    k nearest background sentences and spread the std of cross-article cosines.
    """
    return _background(_Similarity.of(vectors, article_of), background, k)


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


def _sandwich_support(accepted: np.ndarray, article_of: np.ndarray) -> np.ndarray:
    """support[x, y]: x-1 links to y-1 *and* x+1 to y+1 (each neighbour in its own article).

    Short, generic sentences ("The company plans to invest €3.5 billion") sit close to
    any news text, so they can fail the background floor although they are each other's
    clear best match; between two linked neighbour pairs the local order vouches for
    them, as in gap filling for parallel text. One linked side is not enough: the
    sentence after a shared fact is as often unique coverage.
    """
    n = len(article_of)
    before = np.zeros_like(accepted)
    after = np.zeros_like(accepted)
    if n < 3:
        return before
    same_next = article_of[:-1] == article_of[1:]
    both = same_next[:, None] & same_next[None, :]
    before[1:, 1:] = accepted[:-1, :-1] & both
    after[:-1, :-1] = accepted[1:, 1:] & both
    return before & after


def find_links(
    vectors: np.ndarray,
    article_of: np.ndarray,
    term_overlap: np.ndarray | None,
    settings: AlignSettings,
    eligible: np.ndarray | None = None,
    support: np.ndarray | None = None,
    background: np.ndarray | None = None,
    support_background: np.ndarray | None = None,
) -> list[Link]:
    """All accepted cross-article links, strongest first."""
    n = len(vectors)
    if n == 0:
        return []
    primary = _Similarity.of(vectors, article_of)
    score = _margin(primary, article_of, settings.neighbours)
    if background is not None and len(background):
        standing = _background(primary, background, settings.background_neighbours)
    else:
        standing = _absolute(primary)
    if term_overlap is not None and settings.term_weight:
        score = score + settings.term_weight * term_overlap
    if support is not None:
        second = _Similarity.of(support, article_of)
        support_z = _absolute(second)
        score = score + settings.support_weight * support_z
        if support_background is not None and len(support_background):
            support_standing = _background(second, support_background, settings.background_neighbours)
        else:
            support_standing = support_z
        standing = (standing + support_standing) / 2.0
        mutual_bar, single_bar = settings.mutual_threshold, settings.single_threshold
    else:
        mutual_bar, single_bar = settings.solo_mutual_threshold, settings.solo_single_threshold
    if eligible is not None:
        score[~eligible, :] = -np.inf
        score[:, ~eligible] = -np.inf
    best = best_match_mask(score, article_of)
    either = best | best.T
    mutual = best & best.T
    shift = (settings.strictness - 1.0) * STRICTNESS_STEP
    accepted = (mutual & (score >= mutual_bar + shift)) | (either & (score >= single_bar + shift))
    floor = settings.background_floor if background is not None else settings.absolute_floor
    accepted &= standing >= floor + shift
    accepted |= _adjacent_support(accepted, article_of) & either & (score >= settings.adjacent_threshold + shift)
    linked = accepted | accepted.T
    accepted |= (
        _sandwich_support(linked, article_of)
        & mutual
        & (score >= mutual_bar + shift)
        & (standing >= floor - settings.sandwich_relief + shift)
    )
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
    support: np.ndarray | None = None,
    background: np.ndarray | None = None,
    support_background: np.ndarray | None = None,
) -> list[AlignedGroup]:
    """Groups of stacked-row indices that report the same fact, in order of first member."""
    settings = settings or AlignSettings()
    links = find_links(
        np.asarray(vectors, dtype=np.float32),
        np.asarray(article_of),
        term_overlap,
        settings,
        eligible,
        support,
        background,
        support_background,
    )
    return group_links(links, np.asarray(article_of), settings.max_per_article)
